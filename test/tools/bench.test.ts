/**
 * The pure parts of `npm run bench`: how sizes are counted and split, the baseline's app.json, the code-quality
 * verdicts (including miniprogram-ci's habit of reporting a crashed checker as passing), what fails the bench, and
 * the printed table. The bench itself (real build, real audit, real pages) runs with `npm run bench`.
 */
import fs from 'node:fs'
import path from 'node:path'
import { baselineAppJson, vantComponents } from '../../tools/lib/bench-baseline'
import { failureExcerpt } from '../../tools/lib/run-jest'
import { auditCodeQuality, describeRule, EXPECTED_RULES, verdictsOf } from '../../tools/lib/bench-quality'
import {
  benchFailures,
  ratio,
  renderReport,
  REPORT_SCHEMA,
  table,
  type BenchReport,
  type SetDataCost,
} from '../../tools/lib/bench-report'
import {
  filesIn,
  filesOfCompiled,
  formatBytes,
  MAIN_PACKAGE_LIMIT_BYTES,
  npmComponentOf,
  SIZE_BUDGET_BYTES,
  summariseSizes,
} from '../../tools/lib/bench-size'
import type { QualityRuleResult } from '../../scripts/lib/ci'
import { ScriptError } from '../../scripts/lib/errors'
import { captureConsole, fakeCi, tempDir } from '../scripts/helpers'

const passing = (name: string, extra: Partial<QualityRuleResult> = {}): QualityRuleResult => ({
  name,
  success: true,
  text: `${name} describes its failure`,
  ...extra,
})
const allPassing = () => EXPECTED_RULES.map((name) => passing(name))

describe('package size', () => {
  test('files are split into ours and miniprogram_npm, with npm bytes per component folder', () => {
    const summary = summariseSizes([
      { file: 'app.js', bytes: 100 },
      { file: 'pages/bind/index.js', bytes: 900 },
      { file: 'miniprogram_npm/@vant/weapp/button/index.js', bytes: 500 },
      { file: 'miniprogram_npm/@vant/weapp/button/index.wxss', bytes: 300 },
      { file: 'miniprogram_npm/@vant/weapp/calendar/components/month/index.js', bytes: 50 },
    ])
    expect(summary.totalBytes).toBe(1850)
    expect(summary.ours).toEqual({ bytes: 1000, files: 2 })
    expect(summary.npm).toEqual({ bytes: 850, files: 3 })
    expect(summary.npmComponents).toEqual([
      { file: '@vant/weapp/button', bytes: 800 },
      { file: '@vant/weapp/calendar', bytes: 50 },
    ])
    expect(summary.largest[0]).toEqual({ file: 'pages/bind/index.js', bytes: 900 })
  })

  test('npm files name their component folder, scoped or not; our files name none', () => {
    expect(npmComponentOf('miniprogram_npm/@vant/weapp/wxs/utils.wxs')).toBe('@vant/weapp/wxs')
    expect(npmComponentOf('miniprogram_npm/plain-lib/index.js')).toBe('plain-lib')
    expect(npmComponentOf('oneaccess/miniprogram_npm/jsencrypt/index.js')).toBe('oneaccess/jsencrypt')
    expect(npmComponentOf('oneaccess/rsa.js')).toBeUndefined()
    expect(npmComponentOf('pages/miniprogram_npm/x.js')).toBeUndefined()
  })

  test('sizes on disk are bytes of content, not blocks', () => {
    const dir = tempDir()
    fs.mkdirSync(path.join(dir, 'pages'))
    fs.writeFileSync(path.join(dir, 'app.json'), '{}')
    fs.writeFileSync(path.join(dir, 'pages', 'a.js'), '中')
    expect(filesIn(dir)).toEqual([
      { file: 'app.json', bytes: 2 },
      { file: 'pages/a.js', bytes: 3 },
    ])
  })

  test('compiled text is counted in UTF-8 bytes, buffers by length', () => {
    expect(filesOfCompiled({ 'b.js': '中文', 'a.png': Buffer.alloc(7) })).toEqual([
      { file: 'a.png', bytes: 7 },
      { file: 'b.js', bytes: 6 },
    ])
  })

  test('sizes read in 1024-based units, as WeChat states its limits', () => {
    expect(formatBytes(512)).toBe('512 B')
    expect(formatBytes(SIZE_BUDGET_BYTES)).toBe('224.0 KB')
    expect(formatBytes(MAIN_PACKAGE_LIMIT_BYTES)).toBe('2.00 MB')
  })
})

describe('the baseline', () => {
  test('registers every component globally, keeps what app.json had, and turns lazy code loading off', () => {
    const app = {
      pages: ['pages/launch/index'],
      lazyCodeLoading: 'requiredComponents',
      usingComponents: { 'my-thing': '/components/thing/index' },
    }
    expect(baselineAppJson(app, ['button', 'cell-group'])).toEqual({
      pages: ['pages/launch/index'],
      usingComponents: {
        'my-thing': '/components/thing/index',
        'van-button': '@vant/weapp/button/index',
        'van-cell-group': '@vant/weapp/cell-group/index',
      },
    })
    expect(app.lazyCodeLoading).toBe('requiredComponents')
  })

  test('finds the packed Vant folders that declare a component, and only those', () => {
    const root = tempDir()
    const vant = path.join(root, 'miniprogram', 'miniprogram_npm', '@vant', 'weapp')
    for (const [name, json] of [
      ['button', { component: true }],
      ['common', null],
      ['mixins', { component: false }],
      ['area', { component: true }],
    ] as const) {
      fs.mkdirSync(path.join(vant, name), { recursive: true })
      if (json) fs.writeFileSync(path.join(vant, name, 'index.json'), JSON.stringify(json))
    }
    expect(vantComponents(root)).toEqual(['area', 'button'])
  })

  test('without a packed miniprogram_npm it says to pack first', () => {
    expect(() => vantComponents(tempDir())).toThrow(/run npm run pack-npm first/)
  })
})

describe('code-quality verdicts', () => {
  test('every rule passing gives one passing verdict per rule, with a readable detail', () => {
    const rules = allPassing()
    rules[0] = passing('PACKAGE_SIZE_LIMIT', { detail: { __APP__: 468439 } })
    const verdicts = verdictsOf(rules)
    expect(verdicts.map((verdict) => verdict.name)).toEqual([...EXPECTED_RULES])
    expect(verdicts.every((verdict) => verdict.pass)).toBe(true)
    expect(verdicts[0]?.detail).toBe('main 457.5 KB of source as analysed (limit 1.5 MB)')
    expect(verdicts.find((v) => v.name === 'LAZYCODE_LOADING_OPEN')?.detail).toBe(
      'lazyCodeLoading set in app.json',
    )
  })

  test('a failing rule shows what it found, not the text it carries whatever the verdict', () => {
    expect(
      describeRule({
        name: 'LAZYCODE_LOADING_OPEN',
        success: false,
        text: 'LazyCodeLoading is not turned on',
      }),
    ).toBe('LazyCodeLoading is not turned on')
    expect(
      describeRule({
        name: 'CONTAINS_UNUSED_COMPONENTS',
        success: false,
        detail: ['a', 'b', 'c', 'd', 'e', 'f'],
      }),
    ).toBe('6: a, b, c, d and 2 more')
  })

  test('unused files say how many are ours and that the upload leaves them out', () => {
    const detail = ['miniprogram_npm/@vant/weapp/area/index.wxml', 'components/old/index.js']
    expect(describeRule(passing('CONTAINS_UNUSED_CODES', { detail }))).toBe(
      '2 unused files, 1 of ours (components/old/index.js); left out of the upload (ignoreUploadUnusedFiles)',
    )
  })

  test('a rule the audit no longer answers is a failing verdict', () => {
    const verdicts = verdictsOf(allPassing().filter((rule) => rule.name !== 'JS_COMPRESS_OPEN'))
    expect(verdicts).toContainEqual({
      name: 'JS_COMPRESS_OPEN',
      pass: false,
      detail: 'not answered by checkCodeQuality',
    })
  })

  test('a checker that throws fails the audit, although miniprogram-ci reports its rule as passing', async () => {
    const { ci } = fakeCi()
    const project = tempDir()
    fs.writeFileSync(path.join(project, 'project.config.json'), JSON.stringify({ appid: 'touristappid' }))
    const audited = await auditCodeQuality(
      {
        ...ci,
        checkCodeQuality: async () => {
          console.error(new Error('cannot read app.json'))
          return allPassing()
        },
      },
      project,
      { timeoutMs: 1000, verbose: false },
    )
    expect(audited.verdicts.every((verdict) => verdict.pass)).toBe(true)
    expect(audited.checkerErrors).toEqual(['Error: cannot read app.json'])
    expect(audited.passed).toBe(false)
  })

  test('the audit holds miniprogram-ci’s console chatter back and gives the console back afterwards', async () => {
    const { ci } = fakeCi()
    const project = tempDir()
    fs.writeFileSync(path.join(project, 'project.config.json'), JSON.stringify({ appid: 'touristappid' }))
    const output = captureConsole()
    try {
      const audited = await auditCodeQuality(
        {
          ...ci,
          checkCodeQuality: async () => {
            console.log('Initial scan complete')
            return allPassing()
          },
        },
        project,
        { timeoutMs: 1000, verbose: false },
      )
      console.log('after')
      expect(audited.passed).toBe(true)
      expect(output.printed).toEqual(['after'])
    } finally {
      output.restore()
    }
  })
})

// ---- the report ----------------------------------------------------------------------------------------------------

const cost = (calls: number, bytes: number, component = 'pages/bind/index'): SetDataCost => ({
  calls,
  bytes,
  byComponent: { [component]: { calls, bytes } },
})

function report(
  overrides: {
    totalBytes?: number
    verdicts?: BenchReport['quality']['verdicts']
    puzzleBytes?: number
    fullBindBytes?: number
  } = {},
): BenchReport {
  const totalBytes = overrides.totalBytes ?? 170_000
  const size = summariseSizes([
    { file: 'pages/bind/index.js', bytes: totalBytes - 90_000 },
    { file: 'miniprogram_npm/@vant/weapp/button/index.js', bytes: 90_000 },
  ])
  const baselineSize = summariseSizes([
    { file: 'pages/bind/index.js', bytes: 85_000 },
    { file: 'miniprogram_npm/@vant/weapp/button/index.js', bytes: 300_000 },
  ])
  const verdicts = overrides.verdicts ?? verdictsOf(allPassing())
  const page = { ...cost(2, 300), requests: 1, paths: ['country-codes'], how: 'opened' }
  const flow = { requests: 1, paths: ['login/wechat-miniprogram'], how: 'launch' }
  return {
    schema: REPORT_SCHEMA,
    generatedAt: '2026-01-01T00:00:00.000Z',
    commit: 'abcdef0123456789',
    dirty: false,
    node: 'v20.0.0',
    size: {
      ...size,
      budgetBytes: SIZE_BUDGET_BYTES,
      mainPackageLimitBytes: MAIN_PACKAGE_LIMIT_BYTES,
      packages: [{ name: 'main', bytes: size.totalBytes }],
    },
    baseline: {
      description: '2 components globally',
      components: 2,
      size: baselineSize,
      ratios: { total: ratio(size.totalBytes, baselineSize.totalBytes), ours: 1, npm: 0.3 },
      quality: [{ name: 'LAZYCODE_LOADING_OPEN', pass: false, detail: 'off' }],
    },
    quality: { passed: verdicts.every((v) => v.pass), verdicts, checkerErrors: [] },
    runtime: {
      firstRender: { launch: page, bind: page, register: page, mfa: page, denied: page, home: page },
      typing: cost(3, 29, 'van-field'),
      countdownTick: cost(1, 30, 'countdown/offline-banner'),
      puzzle: cost(9, overrides.puzzleBytes ?? 1_500, 'slider-captcha'),
      fullBind: {
        ...cost(79, overrides.fullBindBytes ?? 5_000),
        requests: 5,
        paths: ['country-codes', 'captcha', 'captcha/verify', 'sms/send', 'social/bind'],
      },
      flows: { login: flow, sendCode: flow, bind: flow, mfa: flow, refresh: flow },
      ms: 1000,
    },
    timingsMs: { total: 1 },
    failures: [],
  }
}

describe('what fails the bench', () => {
  test('a package within budget with every rule passing fails nothing', () => {
    expect(benchFailures(report())).toEqual([])
  })

  test('the budget is about the main package: subpackages loaded on demand are reported, not counted in it', () => {
    const withSubpackage = report()
    withSubpackage.size.packages = [
      { name: 'main', bytes: 170_000 },
      { name: 'oneaccess/', bytes: 70_000 },
    ]
    withSubpackage.size.totalBytes = 240_000
    expect(benchFailures(withSubpackage)).toEqual([])
    expect(renderReport(withSubpackage).join('\n')).toMatch(
      /subpackage oneaccess\/ \(on demand\)\s+70000\s+68\.4 KB/,
    )
  })

  test('one byte over the 224 KB budget fails, saying by how much', () => {
    const failures = benchFailures(report({ totalBytes: SIZE_BUDGET_BYTES + 1 }))
    expect(failures).toEqual([
      `The package is 224.0 KB (${SIZE_BUDGET_BYTES + 1} bytes), over this product's budget of 224.0 KB by 1 B: see the largest files above.`,
    ])
  })

  test('setData over its budget fails: more than 2 KB for one puzzle, more than 10 KB for the full bind', () => {
    expect(benchFailures(report({ puzzleBytes: 2048, fullBindBytes: 10240 }))).toEqual([])
    expect(benchFailures(report({ puzzleBytes: 2049, fullBindBytes: 10241 }))).toEqual([
      'One puzzle costs 2.0 KB of setData (2049 bytes in 9 calls), over its budget of 2.0 KB: see the components in reports/bench.json.',
      'The full bind costs 10.0 KB of setData (10241 bytes in 79 calls), over its budget of 10.0 KB: see the components in reports/bench.json.',
    ])
  })

  test('a failing code-quality rule fails, naming the rule and what it found', () => {
    const verdicts = verdictsOf(allPassing()).map((v) =>
      v.name === 'CONTAINS_UNUSED_COMPONENTS' ? { ...v, pass: false, detail: '1: van-tag' } : v,
    )
    expect(benchFailures(report({ verdicts }))).toEqual([
      'The code-quality rule CONTAINS_UNUSED_COMPONENTS fails: 1: van-tag.',
    ])
  })

  test('ratios are ours over the baseline, rounded to thousandths, and 0 without a baseline', () => {
    expect(ratio(170, 380)).toBe(0.447)
    expect(ratio(1, 0)).toBe(0)
  })
})

describe('the printed report', () => {
  test('columns line up, numbers to the right', () => {
    expect(
      table(
        ['what', 'bytes'],
        [
          ['total', '1234'],
          ['ours', '5'],
        ],
      ),
    ).toEqual(['what   bytes', '-----  -----', 'total   1234', 'ours       5'])
  })

  test('shows size against budget and limit, the baseline ratio, every verdict and every runtime figure', () => {
    const text = renderReport(report()).join('\n')
    expect(text).toMatch(/total\s+170000\s+166\.0 KB/)
    expect(text).toMatch(/budget \(this product, main package\)\s+229376\s+224\.0 KB\s+74\.1% used/)
    expect(text).toMatch(/main package\s+170000\s+166\.0 KB/)
    expect(text).toMatch(/total\s+166\.0 KB\s+376\.0 KB\s+×0\.44/)
    for (const name of EXPECTED_RULES) expect(text).toMatch(new RegExp(`${name}\\s+pass`))
    expect(text).toMatch(/first render: denied\s+2\s+300/)
    expect(text).toMatch(/one countdown tick\s+1\s+30/)
    expect(text).toMatch(/one puzzle \(send tap → ready to solve\)\s+9\s+1500\s+budget 2\.0 KB/)
    expect(text).toMatch(/full bind \(load → navigation home\)\s+79\s+5000\s+5 requests; budget 10\.0 KB/)
  })

  test('a previous report of the same shape adds the change since then', () => {
    const before = report({ totalBytes: 169_000 })
    const now = report()
    now.runtime.typing = cost(4, 40, 'van-field')
    const text = renderReport(now, before).join('\n')
    expect(text).toMatch(/total\s+170000\s+166\.0 KB\s+100%\s+2\s+\+1000 B/)
    expect(text).toMatch(/typing one character \(bind mobile\)\s+4\s+40\s+\+1\s+\+11 B/)
  })

  test('a previous report of another shape is ignored', () => {
    const before = { ...report({ totalBytes: 1 }), schema: 99 } as unknown as BenchReport
    expect(renderReport(report(), before).join('\n')).not.toMatch(/-16\d\.\d KB/)
  })
})

test('a failed page run is summed up from its first failure', () => {
  const output = [
    'PASS one',
    'FAIL bench',
    '  ● launch → bind',
    '    waitFor timed out',
    'Tests: 1 failed',
  ].join('\n')
  expect(failureExcerpt(output, 2)).toBe('  ● launch → bind\n    waitFor timed out')
  expect(failureExcerpt('a\nb\nc', 2)).toBe('b\nc')
})

test('ScriptError is what the bench fails with', () => {
  expect(() => vantComponents(tempDir())).toThrow(ScriptError)
})
