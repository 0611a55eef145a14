/**
 * `npm run bench [-- --out FILE]`: what this mini program costs, printed as tables and written as JSON
 * (reports/bench.json, git-ignored) to compare between commits; the previous JSON, when there is one, adds a Δ column.
 *
 * - Package size: the release build (`build()`: pack npm, official offline compile into dist/, minified as
 *   uploaded), in bytes: total, ours vs miniprogram_npm, the largest files, against this product's 224 KB budget
 *   and WeChat's 2 MB main-package limit.
 * - Baseline: the same project built the same way into .tmp/bench/baseline/, with every Vant component registered
 *   globally in app.json and lazy code loading off, so the size reads as a ratio.
 * - WeChat's code-quality audit (miniprogram-ci checkCodeQuality, offline): every rule's verdict.
 * - Runtime in miniprogram-simulate (real pages, the sandbox on loopback): setData calls and bytes for first renders,
 *   one typed character, one countdown tick and a full bind; requests per flow from the wx-node request log. This
 *   part runs as jest project "bench" of tools/jest.config.js (tools/drivers/bench-runtime.run.ts) in a child process.
 *
 * Fails (exit 1) when the package is over budget or over the limit, or when a code-quality rule fails.
 */
import { execFileSync } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import { build, PACKAGE_LIMIT_BYTES } from '../scripts/build'
import { buildBaseline } from './lib/bench-baseline'
import { runJestProject } from './lib/run-jest'
import { auditCodeQuality } from './lib/bench-quality'
import {
  benchFailures,
  ratio,
  renderReport,
  REPORT_SCHEMA,
  type BenchReport,
  type RuntimeMeasurements,
} from './lib/bench-report'
import { filesIn, filesOfCompiled, SIZE_BUDGET_BYTES, summariseSizes } from './lib/bench-size'
import { loadCi } from '../scripts/lib/ci'
import { fail, isMainModule, runCli, seconds } from '../scripts/lib/errors'
import { ROOT, displayPath } from '../scripts/lib/paths'
import { ciTimeoutFromEnv } from '../scripts/lib/timeout'

export const DEFAULT_REPORT = path.join('reports', 'bench.json')
const WORK_DIR = path.join('.tmp', 'bench')
const RUNTIME_TIMEOUT_MS = 5 * 60_000

function git(rootDir: string, args: string[]): string | undefined {
  try {
    return execFileSync('git', args, {
      cwd: rootDir,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
      timeout: 5000,
    }).trim()
  } catch {
    return undefined
  }
}

function readPrevious(file: string): BenchReport | undefined {
  try {
    const previous = JSON.parse(fs.readFileSync(file, 'utf8')) as BenchReport
    return previous.schema === REPORT_SCHEMA ? previous : undefined
  } catch {
    return undefined
  }
}

/**
 * miniprogram-ci's audit leaves a file watcher running that announces itself on the console some time later, in the
 * middle of the report: that one line is dropped for the rest of the run.
 */
function muteWatcherChatter(): void {
  const log = console.log
  console.log = (...args: unknown[]) => {
    if (
      args.length === 1 &&
      typeof args[0] === 'string' &&
      /^Initial scan complete\. Ready for changes/.test(args[0])
    )
      return
    log(...args)
  }
}

export async function bench(options: { rootDir?: string; out?: string; log?: (line: string) => void } = {}) {
  const started = Date.now()
  const rootDir = options.rootDir ?? ROOT
  const log = options.log ?? console.log
  const out = path.resolve(rootDir, options.out ?? DEFAULT_REPORT)
  const workDir = path.resolve(rootDir, WORK_DIR)
  const timeoutMs = ciTimeoutFromEnv(process.env)
  const verbose = process.env.MP_CI_VERBOSE === '1'
  const timingsMs: Record<string, number> = {}
  const timed = async <T>(name: string, work: () => Promise<T>): Promise<T> => {
    const at = Date.now()
    try {
      return await work()
    } finally {
      timingsMs[name] = Date.now() - at
    }
  }

  const ci = await loadCi()
  muteWatcherChatter()
  const built = await timed('build', () => build({ rootDir, ci, log, typecheck: false }))
  const size = summariseSizes(filesIn(built.outDir))
  if (size.totalBytes !== built.totalBytes) {
    fail(`dist/ holds ${size.totalBytes} bytes but the build wrote ${built.totalBytes}: run the bench again.`)
  }

  log(
    `baseline: every Vant component in app.json, lazyCodeLoading off → ${displayPath(path.join(workDir, 'baseline'), rootDir)}`,
  )
  const baseline = await timed('baseline', () =>
    buildBaseline({
      ci,
      rootDir,
      workDir: path.join(workDir, 'baseline'),
      overrides: built.overrides,
      timeoutMs,
      verbose,
    }),
  )
  const baselineSize = summariseSizes(filesOfCompiled(baseline.compiled))

  log('quality: checkCodeQuality on the staged build and on the baseline')
  const quality = await timed('quality', () => auditCodeQuality(ci, built.stageDir, { timeoutMs, verbose }))
  const baselineQuality = await timed('baselineQuality', () =>
    auditCodeQuality(ci, baseline.stageDir, { timeoutMs, verbose }),
  )

  log('runtime: real pages in miniprogram-simulate against the sandbox (jest project "bench")')
  const runtimeFile = path.join(workDir, 'runtime.json')
  fs.mkdirSync(workDir, { recursive: true })
  fs.rmSync(runtimeFile, { force: true })
  await timed('runtime', () =>
    runJestProject({
      rootDir,
      project: 'bench',
      env: { EIAM_BENCH_OUT: runtimeFile },
      timeoutMs: RUNTIME_TIMEOUT_MS,
    }),
  )
  const runtime = JSON.parse(fs.readFileSync(runtimeFile, 'utf8')) as RuntimeMeasurements

  const commit = git(rootDir, ['rev-parse', 'HEAD']) ?? null
  const report: BenchReport = {
    schema: REPORT_SCHEMA,
    generatedAt: new Date().toISOString(),
    commit,
    dirty: (git(rootDir, ['status', '--porcelain']) ?? '') !== '',
    node: process.version,
    size: {
      ...size,
      budgetBytes: SIZE_BUDGET_BYTES,
      mainPackageLimitBytes: PACKAGE_LIMIT_BYTES,
      packages: built.packages,
    },
    baseline: {
      description: `${baseline.components} Vant components registered globally in app.json, lazyCodeLoading off, same build`,
      components: baseline.components,
      size: baselineSize,
      ratios: {
        total: ratio(size.totalBytes, baselineSize.totalBytes),
        ours: ratio(size.ours.bytes, baselineSize.ours.bytes),
        npm: ratio(size.npm.bytes, baselineSize.npm.bytes),
      },
      quality: baselineQuality.verdicts,
    },
    quality: { passed: quality.passed, verdicts: quality.verdicts, checkerErrors: quality.checkerErrors },
    runtime,
    timingsMs: { ...timingsMs, total: Date.now() - started },
    failures: [],
  }
  report.failures = benchFailures(report)

  const previous = readPrevious(out)
  for (const line of renderReport(report, previous)) log(line)
  fs.mkdirSync(path.dirname(out), { recursive: true })
  fs.writeFileSync(out, `${JSON.stringify(report, null, 2)}\n`)
  log('')
  log(
    `bench: ${displayPath(out, rootDir)} written in ${seconds(Date.now() - started)}` +
      (previous
        ? ` (Δ against the run of ${previous.generatedAt}${previous.commit ? ` at ${previous.commit.slice(0, 8)}` : ''})`
        : ''),
  )
  if (report.failures.length) {
    fail(report.failures.length === 1 ? report.failures[0] : `The bench fails: ${report.failures.join(' ')}`)
  }
  return report
}

function parseArgs(argv: string[]): { out?: string } {
  const options: { out?: string } = {}
  for (let index = 0; index < argv.length; index += 1) {
    const [flag, inline] = argv[index].split(/=(.*)/s, 2)
    if (flag === '--out') {
      const value = inline ?? argv[(index += 1)]
      if (!value || value.startsWith('--')) fail('--out needs a file name.')
      options.out = path.resolve(value)
    } else fail(`Unknown option ${flag}: bench takes --out FILE.`)
  }
  return options
}

if (isMainModule(__filename)) {
  void runCli(async () => {
    await bench(parseArgs(process.argv.slice(2)))
  })
}
