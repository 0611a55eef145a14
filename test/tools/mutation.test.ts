/**
 * The score `npm run mutation` prints from StrykerJS's JSON reports, and its command line. The StrykerJS runs
 * themselves take an hour on two cores and are not part of `npm test`.
 */
import { execFileSync } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { ScriptError } from '../../scripts/lib/errors'
import {
  type MutantStatus,
  type MutationReport,
  scoreOf,
  scoreReports,
  scoreTable,
} from '../../tools/lib/mutation-score'
import {
  keyOfListed,
  type ListedMutant,
  matchesPart,
  rangeOf,
  seededSample,
  wilsonInterval,
} from '../../tools/lib/mutation-sample'
import { parseMutationArgs, scoreMarkdown } from '../../tools/mutation'

const ROOT = resolve(__dirname, '../..')

let nextId = 0
const mutant = (status: MutantStatus, line = 1, replacement = 'false') => ({
  id: String((nextId += 1)),
  mutatorName: 'BooleanLiteral',
  replacement,
  status,
  location: { start: { line, column: 5 } },
})

const report = (files: Record<string, MutantStatus[]>): MutationReport => ({
  files: Object.fromEntries(
    Object.entries(files).map(([file, statuses]) => [
      `/repo/${file}`,
      { mutants: statuses.map((status, index) => mutant(status, index + 1)) },
    ]),
  ),
})

describe('the score', () => {
  test('is what StrykerJS prints: killed and timed out over every mutant a test could have run', () => {
    const tally = { killed: 15, timeout: 2, survived: 2, noCoverage: 1, invalid: 30, ignored: 7 }
    expect(scoreOf(tally)).toBe(85)
    expect(scoreOf({ ...tally, killed: 14 })).toBe(84.2)
    expect(
      scoreOf({ killed: 0, timeout: 0, survived: 0, noCoverage: 0, invalid: 3, ignored: 1 }),
    ).toBeUndefined()
  })

  test('adds both parts per file and in total, paths relative to the repository, survivors in file order', () => {
    const app = report({ 'miniprogram/utils/b.ts': ['Killed', 'Survived', 'CompileError', 'Ignored'] })
    const sandbox = report({ 'sandbox/a.ts': ['Timeout', 'NoCoverage', 'RuntimeError', 'Pending'] })

    const { files, total, survivors } = scoreReports([app, sandbox], '/repo')

    expect(files.map(({ file, score }) => [file, score])).toEqual([
      ['miniprogram/utils/b.ts', 50],
      ['sandbox/a.ts', 50],
    ])
    expect(total).toEqual({
      file: 'total',
      killed: 1,
      timeout: 1,
      survived: 1,
      noCoverage: 1,
      invalid: 2,
      ignored: 1,
      score: 50,
    })
    expect(survivors.map(({ file, line, status }) => `${file}:${line} ${status}`)).toEqual([
      'miniprogram/utils/b.ts:2 Survived',
      'sandbox/a.ts:2 NoCoverage',
    ])
  })

  test('the table has a row a file and the total last', () => {
    const { files, total } = scoreReports([report({ 'x.ts': ['Killed', 'Killed', 'Survived'] })], '/repo/')
    const rows = scoreTable(files, total).split('\n')
    expect(rows[2]).toBe('| `x.ts` | 2 | 0 | 1 | 0 | 0 | 66.7% |')
    expect(rows[3]).toBe('| **total** | 2 | 0 | 1 | 0 | 0 | 66.7% |')
  })
})

describe('the score of the reports on disk', () => {
  let dir: string
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'mutation-'))
  })
  afterEach(() => rmSync(dir, { recursive: true, force: true }))

  test('lists each surviving mutant with its replacement on one line', () => {
    const app: MutationReport = {
      files: {
        '/repo/f.ts': { mutants: [mutant('Survived', 7, 'if (\n  false\n)'), mutant('NoCoverage', 9)] },
      },
    }
    writeFileSync(join(dir, 'app.json'), JSON.stringify(app))

    const markdown = scoreMarkdown(dir, '/repo')

    expect(markdown).toContain('Surviving mutants (2):')
    expect(markdown).toContain('- f.ts:7:5 BooleanLiteral → if ( false )\n')
    expect(markdown).toContain('- f.ts:9:5 BooleanLiteral → false (no test reaches it)\n')
  })

  test('of a sample, counts only the drawn mutants and gives the 95% interval', () => {
    const drawn = mutant('Killed', 3)
    const nested = mutant('Survived', 3, 'true')
    nested.mutatorName = 'ConditionalExpression'
    const app: MutationReport = {
      files: { '/repo/f.ts': { mutants: [drawn, nested, mutant('Survived', 4)] } },
    }
    writeFileSync(join(dir, 'app.json'), JSON.stringify(app))
    const keys = ['f.ts:3:5 BooleanLiteral false', 'f.ts:4:5 BooleanLiteral false']
    writeFileSync(join(dir, 'app.sample.json'), JSON.stringify({ seed: 9, population: 40, keys }))

    const markdown = scoreMarkdown(dir, '/repo')

    expect(markdown).toContain(
      '- app: 50.0% (1 of 2), 95% interval 9.5–90.5%; a random sample of 2 of its 40 mutants (seed 9)',
    )
    expect(markdown).toContain('Surviving mutants (1):')
    expect(markdown).not.toContain('ConditionalExpression')
  })

  test('without any report it says to run the mutation first', () => {
    expect(() => scoreMarkdown(dir, '/repo')).toThrow(ScriptError)
    expect(() => scoreMarkdown(dir, '/repo')).toThrow(/run `npm run mutation` first/)
  })
})

describe('the command line', () => {
  test('runs both parts by default, one with --part, none with --score, and passes the rest to StrykerJS', () => {
    expect(parseMutationArgs([])).toEqual({
      parts: ['app', 'sandbox'],
      scoreOnly: false,
      seed: 1,
      stryker: [],
    })
    expect(parseMutationArgs(['--part', 'sandbox', '--mutate', 'sandbox/codes.ts'])).toEqual({
      parts: ['sandbox'],
      scoreOnly: false,
      seed: 1,
      stryker: ['--mutate', 'sandbox/codes.ts'],
    })
    expect(parseMutationArgs(['--sample', '300', '--seed', '7'])).toMatchObject({ sample: 300, seed: 7 })
    expect(parseMutationArgs(['--score']).scoreOnly).toBe(true)
  })

  test('an unknown part is refused in one sentence', () => {
    expect(() => parseMutationArgs(['--part', 'pages'])).toThrow('--part takes app or sandbox, not pages.')
    expect(() => parseMutationArgs(['--part'])).toThrow('--part takes app or sandbox, not nothing.')
  })

  test('a sample size or seed that is not a whole number is refused in one sentence', () => {
    expect(() => parseMutationArgs(['--sample', '0'])).toThrow('--sample takes a whole number from 1, not 0.')
    expect(() => parseMutationArgs(['--sample'])).toThrow(
      '--sample takes a whole number from 1, not nothing.',
    )
    expect(() => parseMutationArgs(['--seed', '1.5'])).toThrow('--seed takes a whole number from 0, not 1.5.')
  })
})

describe('drawing a sample', () => {
  const listed = (line: number) => ({
    fileName: 'miniprogram/utils/format.ts',
    mutatorName: 'StringLiteral',
    replacement: '""',
    location: { start: { line, column: 4 }, end: { line, column: 9 } },
  })

  test('the same seed draws the same mutants, another seed others, never one twice', () => {
    const items = Array.from({ length: 50 }, (_, index) => index)
    const first = seededSample(items, 10, 1)
    expect(seededSample(items, 10, 1)).toEqual(first)
    expect(seededSample(items, 10, 2)).not.toEqual(first)
    expect(new Set(first).size).toBe(10)
    expect(seededSample(items, 80, 1).sort((a, b) => a - b)).toEqual(items)
  })

  test('a drawn mutant is scoped by its exact range and named as the report names it (1-based column)', () => {
    expect(rangeOf(listed(12))).toBe('miniprogram/utils/format.ts:12:4-12:9')
    expect(keyOfListed(listed(12))).toBe('miniprogram/utils/format.ts:12:5 StringLiteral ""')
  })

  test("a listed mutant's range and key point at its own source text", () => {
    // StrykerJS's instrumenter is an ES module, which jest's CommonJS runtime cannot load: list in a tsx child
    const content = [
      '// a comment',
      'export const greeting = (name: string) =>',
      "  name ? 'hello' : 'who?'",
      '',
    ].join('\n')
    const script = `import { mutantsIn } from './tools/mutation'
mutantsIn([{ name: 'x.ts', content: ${JSON.stringify(content)} }]).then((m) => console.log(JSON.stringify(m)))`
    const tsx = join(ROOT, 'node_modules', '.bin', 'tsx')
    const mutants = JSON.parse(
      execFileSync(tsx, ['-e', script], { cwd: ROOT, encoding: 'utf8' }),
    ) as ListedMutant[]

    const hello = mutants.find(
      (mutant) => mutant.mutatorName === 'StringLiteral' && mutant.replacement === '""',
    )
    if (!hello) throw new Error(`no StringLiteral mutant of 'hello' among ${mutants.length}`)
    const { start, end } = hello.location
    expect(content.split('\n')[start.line - 1].slice(start.column, end.column)).toBe("'hello'")
    expect(rangeOf(hello)).toBe('x.ts:3:9-3:16')
    expect(keyOfListed(hello)).toBe('x.ts:3:10 StringLiteral ""')
  })

  test("the parts' globs select what StrykerJS mutates", () => {
    const app = [
      'miniprogram/services/**/*.ts',
      'miniprogram/utils/**/*.ts',
      '!miniprogram/services/subpackages.ts',
    ]
    expect(matchesPart('miniprogram/services/http.ts', app)).toBe(true)
    expect(matchesPart('miniprogram/utils/deep/x.ts', app)).toBe(true)
    expect(matchesPart('miniprogram/services/subpackages.ts', app)).toBe(false)
    expect(matchesPart('miniprogram/pages/bind/index.ts', app)).toBe(false)
    const sandbox = ['sandbox/{tenant,codes}.ts']
    expect(matchesPart('sandbox/codes.ts', sandbox)).toBe(true)
    expect(matchesPart('sandbox/server.ts', sandbox)).toBe(false)
    expect(matchesPart('sandbox/codesXts', sandbox)).toBe(false)
  })

  test('the 95% interval narrows as the sample grows', () => {
    expect(wilsonInterval(85, 100)).toEqual([76.7, 90.7])
    expect(wilsonInterval(255, 300)).toEqual([80.5, 88.6])
    expect(wilsonInterval(0, 0)).toBeUndefined()
  })
})
