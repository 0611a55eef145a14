/**
 * The bench report: its JSON shape (reports/bench.json, compared between commits), the table printed from it, and
 * what makes the bench fail. Pure: everything here works on plain data.
 */
import { formatBytes, type FileSize, type SizeSummary } from './bench-size'
import type { QualityVerdict } from './bench-quality'

export const REPORT_SCHEMA = 1

/** The pages whose first render is measured, in journey order. */
export const PAGE_NAMES = ['launch', 'bind', 'register', 'mfa', 'denied', 'home'] as const
export type PageName = (typeof PAGE_NAMES)[number]

/** The request flows counted from the wx-node request log. */
export const FLOW_NAMES = ['login', 'sendCode', 'bind', 'mfa', 'refresh'] as const
export type FlowName = (typeof FLOW_NAMES)[number]

export interface SetDataCost {
  calls: number
  bytes: number
  /** calls and bytes per component (the page's route or the component's tag) */
  byComponent: Record<string, { calls: number; bytes: number }>
}

export interface RequestCount {
  requests: number
  /** request paths in order, without the `/api/v2/sdk/` prefix */
  paths: string[]
}

/** What the jest run in miniprogram-simulate measured (tools/drivers/bench-runtime.run.ts). */
export interface RuntimeMeasurements {
  firstRender: Record<PageName, SetDataCost & RequestCount & { how: string }>
  /** one character typed into the bind page's mobile field */
  typing: SetDataCost
  /** one tick of the countdown component on the bind page's send button */
  countdownTick: SetDataCost
  /** one puzzle: from the send tap until it can be solved (the page, the popup and the captcha) */
  puzzle: SetDataCost
  /** from the bind page's load to its navigation home: typed character by character, captcha, code, submit */
  fullBind: SetDataCost & RequestCount
  flows: Record<FlowName, RequestCount & { how: string }>
  ms: number
}

export interface SizeReport extends SizeSummary {
  budgetBytes: number
  mainPackageLimitBytes: number
  packages: { name: string; bytes: number }[]
}

export interface BenchReport {
  schema: typeof REPORT_SCHEMA
  generatedAt: string
  commit: string | null
  /** uncommitted changes when the bench ran */
  dirty: boolean
  node: string
  size: SizeReport
  baseline: {
    description: string
    components: number
    size: SizeSummary
    /** ours / baseline */
    ratios: { total: number; ours: number; npm: number }
    quality: QualityVerdict[]
  }
  quality: { passed: boolean; verdicts: QualityVerdict[]; checkerErrors: string[] }
  runtime: RuntimeMeasurements
  timingsMs: Record<string, number>
  /** why the bench fails; empty when it passes */
  failures: string[]
}

export function ratio(ours: number, baseline: number): number {
  return baseline > 0 ? Math.round((ours / baseline) * 1000) / 1000 : 0
}

/**
 * What every user downloads at the first open: the main package. The budget is about it; subpackages (loaded on
 * demand, e.g. the OneAccess signing code) are reported beside it and held to WeChat's per-package limit.
 */
export function mainBytes(size: Pick<SizeReport, 'packages' | 'totalBytes'>): number {
  return size.packages.find((pack) => pack.name === 'main')?.bytes ?? size.totalBytes
}

/**
 * setData budgets, bytes: one puzzle (its images go as file paths, not data URLs) and the whole bind from the page's
 * load to its navigation home.
 */
export const SETDATA_BUDGETS = { puzzle: 2 * 1024, fullBind: 10 * 1024 } as const

/** Sentences for everything that fails the bench: size over budget or limit, a failed audit rule, setData over budget. */
export function benchFailures(report: Pick<BenchReport, 'size' | 'quality' | 'runtime'>): string[] {
  const failures: string[] = []
  const { size, quality, runtime } = report
  const main = mainBytes(size)
  if (main > size.budgetBytes) {
    failures.push(
      `The package is ${formatBytes(main)} (${main} bytes), over this product's budget of ${formatBytes(size.budgetBytes)} by ${formatBytes(main - size.budgetBytes)}: see the largest files above.`,
    )
  }
  for (const pack of size.packages) {
    if (pack.bytes > size.mainPackageLimitBytes) {
      failures.push(
        `The ${pack.name} package is ${formatBytes(pack.bytes)}, over WeChat's 2 MB limit per package.`,
      )
    }
  }
  for (const verdict of quality.verdicts) {
    if (!verdict.pass) failures.push(`The code-quality rule ${verdict.name} fails: ${verdict.detail}.`)
  }
  for (const error of quality.checkerErrors) {
    failures.push(`A code-quality checker threw (${error}), so its rule's verdict cannot be trusted.`)
  }
  const setData: [string, SetDataCost | undefined, number][] = [
    ['One puzzle', runtime.puzzle, SETDATA_BUDGETS.puzzle],
    ['The full bind', runtime.fullBind, SETDATA_BUDGETS.fullBind],
  ]
  for (const [what, cost, budget] of setData) {
    if (!cost) failures.push(`${what} was not measured, so its setData budget cannot be checked.`)
    else if (cost.bytes > budget)
      failures.push(
        `${what} costs ${formatBytes(cost.bytes)} of setData (${cost.bytes} bytes in ${cost.calls} calls), over its budget of ${formatBytes(budget)}: see the components in reports/bench.json.`,
      )
  }
  return failures
}

// ---- the table -------------------------------------------------------------------------------------------------

type Row = readonly string[]

/** A cell that is a number: `1234`, `+1.2 KB`, `84.7% used`, `×0.45`, `=` (unchanged). */
const NUMERIC_CELL = /^(?:[-+]?\d[\d.]*(?: ?(?:B|KB|MB))?(?:% used|%)?|×[\d.]+|=)$/

/** Columns padded to their widest cell; numbers right-aligned. */
export function table(header: Row, rows: readonly Row[]): string[] {
  const all = [header, ...rows]
  const widths = header.map((_, column) => Math.max(...all.map((row) => (row[column] ?? '').length)))
  const numeric = (cell: string) => NUMERIC_CELL.test(cell)
  const line = (row: Row) =>
    row
      .map((cell, column) =>
        column > 0 && numeric(cell) ? cell.padStart(widths[column] ?? 0) : cell.padEnd(widths[column] ?? 0),
      )
      .join('  ')
      .trimEnd()
  return [line(header), widths.map((width) => '-'.repeat(width)).join('  '), ...rows.map(line)]
}

const percent = (part: number, whole: number) => (whole > 0 ? `${((part / whole) * 100).toFixed(1)}%` : '-')
const times = (value: number) => `×${value.toFixed(2)}`

/** `+1.2 KB`, `-300 B`, `+3`: the change since the previous report, '' without one. */
function delta(now: number, before: number | undefined, asBytes: boolean): string {
  if (before === undefined || now === before) return before === undefined ? '' : '='
  const sign = now > before ? '+' : '-'
  const amount = Math.abs(now - before)
  return `${sign}${asBytes ? formatBytes(amount) : String(amount)}`
}

function files(list: readonly FileSize[]): Row[] {
  return list.map(({ file, bytes }) => [file, formatBytes(bytes), String(bytes)])
}

/** The whole report as the lines the bench prints; `previous` (the last reports/bench.json) adds a Δ column. */
export function renderReport(report: BenchReport, previous?: BenchReport): string[] {
  const out: string[] = []
  const { size, baseline, quality, runtime } = report
  const before = previous?.schema === REPORT_SCHEMA ? previous : undefined
  const heading = (title: string) => out.push('', `== ${title}`)

  heading('Package size (official offline compile, minified as uploaded, bytes)')
  out.push(
    ...table(
      ['', 'bytes', 'size', 'share', 'files', 'Δ since last run'],
      [
        [
          'total',
          String(size.totalBytes),
          formatBytes(size.totalBytes),
          '100%',
          String(size.files),
          delta(size.totalBytes, before?.size.totalBytes, true),
        ],
        [
          'ours (outside miniprogram_npm)',
          String(size.ours.bytes),
          formatBytes(size.ours.bytes),
          percent(size.ours.bytes, size.totalBytes),
          String(size.ours.files),
          delta(size.ours.bytes, before?.size.ours.bytes, true),
        ],
        [
          'miniprogram_npm (Vant)',
          String(size.npm.bytes),
          formatBytes(size.npm.bytes),
          percent(size.npm.bytes, size.totalBytes),
          String(size.npm.files),
          delta(size.npm.bytes, before?.size.npm.bytes, true),
        ],
        ...size.packages.map((pack) => [
          pack.name === 'main' ? 'main package' : `subpackage ${pack.name} (on demand)`,
          String(pack.bytes),
          formatBytes(pack.bytes),
          percent(pack.bytes, size.totalBytes),
          '',
          delta(pack.bytes, before?.size.packages.find((old) => old.name === pack.name)?.bytes, true),
        ]),
        [
          'budget (this product, main package)',
          String(size.budgetBytes),
          formatBytes(size.budgetBytes),
          percent(mainBytes(size), size.budgetBytes) + ' used',
          '',
          '',
        ],
        [
          'main package limit (WeChat)',
          String(size.mainPackageLimitBytes),
          formatBytes(size.mainPackageLimitBytes),
          percent(mainBytes(size), size.mainPackageLimitBytes) + ' used',
          '',
          '',
        ],
      ],
    ),
  )
  out.push('', 'largest files:')
  out.push(...table(['file', 'size', 'bytes'], files(size.largest)).map((line) => `  ${line}`))
  out.push('', 'Vant components packed:')
  out.push(...table(['component', 'size', 'bytes'], files(size.npmComponents)).map((line) => `  ${line}`))

  heading(`Baseline: ${baseline.description}`)
  out.push(
    ...table(
      ['', 'ours', 'baseline', 'ours / baseline'],
      [
        [
          'total',
          formatBytes(size.totalBytes),
          formatBytes(baseline.size.totalBytes),
          times(baseline.ratios.total),
        ],
        [
          'ours (outside miniprogram_npm)',
          formatBytes(size.ours.bytes),
          formatBytes(baseline.size.ours.bytes),
          times(baseline.ratios.ours),
        ],
        [
          'miniprogram_npm (Vant)',
          formatBytes(size.npm.bytes),
          formatBytes(baseline.size.npm.bytes),
          times(baseline.ratios.npm),
        ],
        [
          'files',
          String(size.files),
          String(baseline.size.files),
          times(ratio(size.files, baseline.size.files)),
        ],
        [
          'code-quality rules failed',
          String(failedRules(quality.verdicts).length),
          String(failedRules(baseline.quality).length),
          [
            ...failedRules(quality.verdicts).map((name) => `ours: ${name}`),
            ...failedRules(baseline.quality).map((name) => `baseline: ${name}`),
          ].join(', '),
        ],
      ],
    ),
  )

  heading('WeChat code-quality audit (miniprogram-ci checkCodeQuality)')
  out.push(
    ...table(
      ['rule', 'verdict', 'detail'],
      quality.verdicts.map((v) => [v.name, v.pass ? 'pass' : 'FAIL', v.detail]),
    ),
  )
  for (const error of quality.checkerErrors) out.push(`  checker error: ${error}`)

  heading('Runtime in miniprogram-simulate (real pages, sandbox on loopback)')
  const costRow = (label: string, cost: SetDataCost, old: SetDataCost | undefined, extra = ''): Row => [
    label,
    String(cost.calls),
    String(cost.bytes),
    delta(cost.calls, old?.calls, false),
    delta(cost.bytes, old?.bytes, true),
    extra,
  ]
  out.push(
    ...table(
      ['setData', 'calls', 'bytes', 'Δ calls', 'Δ bytes', 'requests / note'],
      [
        ...PAGE_NAMES.map((page) =>
          costRow(
            `first render: ${page}`,
            runtime.firstRender[page],
            before?.runtime.firstRender[page],
            `${runtime.firstRender[page].requests} (${runtime.firstRender[page].paths.join(', ') || 'none'})`,
          ),
        ),
        costRow(
          'typing one character (bind mobile)',
          runtime.typing,
          before?.runtime.typing,
          describeComponents(runtime.typing),
        ),
        costRow(
          'one countdown tick',
          runtime.countdownTick,
          before?.runtime.countdownTick,
          describeComponents(runtime.countdownTick),
        ),
        costRow(
          'one puzzle (send tap → ready to solve)',
          runtime.puzzle,
          before?.runtime.puzzle,
          `budget ${formatBytes(SETDATA_BUDGETS.puzzle)}; ${describeComponents(runtime.puzzle)}`,
        ),
        costRow(
          'full bind (load → navigation home)',
          runtime.fullBind,
          before?.runtime.fullBind,
          fullBindNote(runtime.fullBind),
        ),
      ],
    ),
  )
  out.push('')
  out.push(
    ...table(
      ['requests per flow', 'requests', 'Δ', 'paths'],
      FLOW_NAMES.map((flow) => [
        `${flow}: ${runtime.flows[flow].how}`,
        String(runtime.flows[flow].requests),
        delta(runtime.flows[flow].requests, before?.runtime.flows[flow]?.requests, false),
        runtime.flows[flow].paths.join(', '),
      ]),
    ),
  )
  return out
}

/** The captcha's share: its images go as file paths (data URLs only when the user-data folder cannot be written). */
function fullBindNote(fullBind: RuntimeMeasurements['fullBind']): string {
  const captcha = fullBind.byComponent['slider-captcha']
  const share = captcha ? `; ${formatBytes(captcha.bytes)} of it the captcha` : ''
  return `${fullBind.requests} requests${share}; budget ${formatBytes(SETDATA_BUDGETS.fullBind)}`
}

function failedRules(verdicts: readonly QualityVerdict[]): string[] {
  return verdicts.filter((verdict) => !verdict.pass).map((verdict) => verdict.name)
}

function describeComponents(cost: SetDataCost): string {
  return Object.entries(cost.byComponent)
    .map(([component, { calls, bytes }]) => `${component} ${calls}×/${bytes} B`)
    .join(', ')
}
