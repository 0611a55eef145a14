import { checkSyntaxLevel } from '../../scripts/lib/syntax-level'

describe('the shipped-syntax check', () => {
  test('accepts ES2019 scripts, including async functions, object spread and optional catch bindings', () => {
    const files = {
      'a.js': 'async function f(o){try{await g({...o})}catch{return 1}}',
      'b.json': '{"not":"checked"}',
    }
    expect(checkSyntaxLevel(files)).toEqual([])
  })

  test('names each script that uses optional chaining or nullish coalescing', () => {
    const problems = checkSyntaxLevel({
      'pages/a.js': 'var x=a?.b',
      'pages/b.js': 'var y=a??1',
      'ok.js': 'var z=1',
    })
    expect(problems.map((problem) => problem.file)).toEqual(['pages/a.js', 'pages/b.js'])
  })
})
