/**
 * `npm run mutation`: StrykerJS over the app's services and utils, then over the sandbox's rules
 * (tools/mutation/stryker.config.mjs, one part each), then the score of both from their JSON reports: a table per
 * file and in total, and every surviving mutant, printed and written to reports/mutation/score.md.
 *
 *   npm run mutation                      both parts, then the score
 *   npm run mutation -- --part app        one part (app | sandbox), then the score of what is on disk
 *   npm run mutation -- --score           only the score of the reports on disk
 *   npm run mutation -- --part app --sample 300 [--seed 1]
 *                                         a seeded random sample of the part's mutants (tools/lib/mutation-sample.ts):
 *                                         the score within a few points, with its 95% interval, in a fraction of
 *                                         the time; a run without --sample measures them all again
 *   npm run mutation -- --part app --mutate miniprogram/utils/format.ts
 *                                         anything else goes to StrykerJS as it is (here: scope the run to a file)
 *
 * Incremental: each part reuses its last result on this machine for mutants whose code and tests did not change.
 * Not part of `npm test`: on two cores a run from nothing takes about an hour.
 */
import { spawn } from 'node:child_process'
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join, relative, resolve } from 'node:path'
import { pathToFileURL } from 'node:url'
import { fail, isMainModule, runCli } from '../scripts/lib/errors'
import {
  keyOfListed,
  type ListedMutant,
  matchesPart,
  rangeOf,
  seededSample,
  wilsonInterval,
} from './lib/mutation-sample'
import {
  type MutationReport,
  scoreOf,
  scoreReports,
  scoreTable,
  survivorLines,
  totalOf,
} from './lib/mutation-score'

const ROOT = resolve(__dirname, '..')
const PARTS = ['app', 'sandbox'] as const
type Part = (typeof PARTS)[number]
const REPORTS = join(ROOT, 'reports', 'mutation')

export interface MutationArgs {
  parts: Part[]
  scoreOnly: boolean
  /** how many mutants to draw per part; undefined: all */
  sample?: number
  seed: number
  /** passed to `stryker run` as they are */
  stryker: string[]
}

export function parseMutationArgs(argv: readonly string[]): MutationArgs {
  const args: MutationArgs = { parts: [...PARTS], scoreOnly: false, seed: 1, stryker: [] }
  const count = (name: string, value: string | undefined, min: number) => {
    const number = Number(value)
    if (!Number.isInteger(number) || number < min)
      fail(`${name} takes a whole number from ${min}, not ${value ?? 'nothing'}.`)
    return number
  }
  for (let index = 0; index < argv.length; index += 1) {
    const arg = argv[index]
    if (arg === '--score') args.scoreOnly = true
    else if (arg === '--sample') {
      args.sample = count('--sample', argv[index + 1], 1)
      index += 1
    } else if (arg === '--seed') {
      args.seed = count('--seed', argv[index + 1], 0)
      index += 1
    } else if (arg === '--part') {
      const part = argv[index + 1]
      if (!PARTS.includes(part as Part)) fail(`--part takes ${PARTS.join(' or ')}, not ${part ?? 'nothing'}.`)
      args.parts = [part as Part]
      index += 1
    } else args.stryker.push(arg)
  }
  return args
}

interface SampleFile {
  seed: number
  /** mutants in the part when drawn */
  population: number
  keys: string[]
}

const sampleFileOf = (part: Part) => join(REPORTS, `${part}.sample.json`)

function sourceFiles(folder: string): string[] {
  return readdirSync(folder, { withFileTypes: true }).flatMap((entry) => {
    const path = join(folder, entry.name)
    return entry.isDirectory() ? sourceFiles(path) : entry.name.endsWith('.ts') ? [path] : []
  })
}

/** Every mutant StrykerJS's instrumenter makes in these files (no test run), lines counted from 1 as in its ranges. */
export async function mutantsIn(
  files: ReadonlyArray<{ name: string; content: string }>,
): Promise<ListedMutant[]> {
  const { Instrumenter } = await import('@stryker-mutator/instrumenter')
  const quiet = { debug: () => undefined, info: () => undefined, trace: () => undefined }
  const logger = { ...quiet, warn: console.warn, error: console.error, isDebugEnabled: () => false }
  const instrumenter = new Instrumenter(logger as never)
  const { mutants } = await instrumenter.instrument(
    files.map((file) => ({ ...file, mutate: true as const })),
    { plugins: null, excludedMutations: [], ignorers: [], noHeader: true } as never,
  )
  // the instrumenter counts lines from 0; StrykerJS's `--mutate` ranges and its reports, from 1
  return (mutants as readonly ListedMutant[]).map((mutant) => ({
    ...mutant,
    location: {
      start: { ...mutant.location.start, line: mutant.location.start.line + 1 },
      end: { ...mutant.location.end, line: mutant.location.end.line + 1 },
    },
  }))
}

/** Every mutant StrykerJS would make in the part's files: seconds. */
async function listMutants(part: Part): Promise<ListedMutant[]> {
  const configUrl = pathToFileURL(join(__dirname, 'mutation', 'stryker.config.mjs')).href
  const config = (await import(configUrl)) as { MUTATE: Record<Part, string[]> }
  const names = ['miniprogram', 'sandbox']
    .flatMap((folder) => sourceFiles(join(ROOT, folder)))
    .map((path) => relative(ROOT, path))
    .filter((path) => matchesPart(path, config.MUTATE[part]))
  return mutantsIn(names.map((name) => ({ name, content: readFileSync(join(ROOT, name), 'utf8') })))
}

/** Draws the sample, keeps which mutants were drawn for the score, and answers StrykerJS's `--mutate` for them. */
async function drawSample(part: Part, size: number, seed: number): Promise<string[]> {
  const mutants = await listMutants(part)
  const drawn = seededSample(mutants, size, seed)
  const file: SampleFile = { seed, population: mutants.length, keys: drawn.map(keyOfListed) }
  mkdirSync(REPORTS, { recursive: true })
  writeFileSync(sampleFileOf(part), JSON.stringify(file))
  return ['--mutate', drawn.map(rangeOf).join(',')]
}

async function runPart(part: Part, args: MutationArgs): Promise<void> {
  const scope = args.sample === undefined ? [] : await drawSample(part, args.sample, args.seed)
  if (args.sample === undefined) rmSync(sampleFileOf(part), { force: true })
  await runStryker(part, [...scope, ...args.stryker])
}

function runStryker(part: Part, strykerArgs: readonly string[]): Promise<void> {
  const cli = join(ROOT, 'node_modules', '@stryker-mutator', 'core', 'bin', 'stryker.js')
  const child = spawn(process.execPath, [cli, 'run', 'tools/mutation/stryker.config.mjs', ...strykerArgs], {
    cwd: ROOT,
    env: { ...process.env, MUTATION_PART: part },
    stdio: 'inherit',
  })
  return new Promise((done, reject) => {
    child.on('error', reject)
    child.on('exit', (code) =>
      code === 0
        ? done()
        : reject(new Error(`StrykerJS stopped with exit code ${code} on the ${part} part.`)),
    )
  })
}

const readJson = <T>(file: string): T | undefined =>
  existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as T) : undefined

/** One line a part: its score, and for a sample how it was drawn and the 95% interval. */
function partLine(part: Part, tally: ReturnType<typeof scoreReports>['total'], sample?: SampleFile): string {
  const detected = tally.killed + tally.timeout
  const valid = detected + tally.survived + tally.noCoverage
  const score = scoreOf(tally)
  const figure =
    score === undefined ? 'no mutant a test could run' : `${score.toFixed(1)}% (${detected} of ${valid})`
  if (!sample) return `- ${part}: ${figure}, every mutant`
  const interval = wilsonInterval(detected, valid)
  const range = interval ? `, 95% interval ${interval[0]}–${interval[1]}%` : ''
  return `- ${part}: ${figure}${range}; a random sample of ${sample.keys.length} of its ${sample.population} mutants (seed ${sample.seed})`
}

/** The score of the reports on disk, as Markdown (also written to reports/mutation/score.md). */
export function scoreMarkdown(reportsDir = REPORTS, root = ROOT): string {
  const reports: MutationReport[] = []
  const lines: string[] = []
  const survivors: ReturnType<typeof scoreReports>['survivors'] = []
  const rows: ReturnType<typeof scoreReports>['files'] = []
  for (const part of PARTS) {
    const report = readJson<MutationReport>(join(reportsDir, `${part}.json`))
    if (!report) continue
    reports.push(report)
    const sample = readJson<SampleFile>(join(reportsDir, `${part}.sample.json`))
    const drawn = sample && new Set(sample.keys)
    const scored = scoreReports([report], root, drawn && ((key) => drawn.has(key)))
    lines.push(partLine(part, scored.total, sample))
    rows.push(...scored.files)
    survivors.push(...scored.survivors)
  }
  if (reports.length === 0) fail(`No report in ${reportsDir}: run \`npm run mutation\` first.`)
  return [
    ...lines,
    '',
    scoreTable(rows, totalOf(rows)),
    '',
    `Surviving mutants (${survivors.length}):`,
    '',
    ...survivorLines(survivors).map((line) => `- ${line}`),
    '',
  ].join('\n')
}

export async function main(argv: readonly string[]): Promise<void> {
  const args = parseMutationArgs(argv)
  if (!args.scoreOnly) for (const part of args.parts) await runPart(part, args)
  const markdown = scoreMarkdown()
  mkdirSync(REPORTS, { recursive: true })
  writeFileSync(join(REPORTS, 'score.md'), markdown)
  process.stdout.write(markdown)
}

if (isMainModule(__filename)) void runCli(() => main(process.argv.slice(2)))
