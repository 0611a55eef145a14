/**
 * `npm run mutation`: StrykerJS over the app's services and utils, then over the sandbox's rules
 * (tools/mutation/stryker.config.mjs, one part each), then the score of both from their JSON reports: a table per
 * file and in total, and every surviving mutant, printed and written to reports/mutation/score.md.
 *
 *   npm run mutation                      both parts, then the score
 *   npm run mutation -- --part app        one part (app | sandbox), then the score of what is on disk
 *   npm run mutation -- --score           only the score of the reports on disk
 *   npm run mutation -- --part app --mutate miniprogram/utils/format.ts
 *                                         anything else goes to StrykerJS as it is (here: scope the run to a file)
 *
 * Incremental: each part reuses its last result on this machine for mutants whose code and tests did not change.
 * Not part of `npm test`: on two cores a run from nothing takes about an hour.
 */
import { spawn } from 'node:child_process'
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { fail, isMainModule, runCli } from '../scripts/lib/errors'
import { type MutationReport, scoreReports, scoreTable, survivorLines } from './lib/mutation-score'

const ROOT = resolve(__dirname, '..')
const PARTS = ['app', 'sandbox'] as const
type Part = (typeof PARTS)[number]
const REPORTS = join(ROOT, 'reports', 'mutation')

export interface MutationArgs {
  parts: Part[]
  scoreOnly: boolean
  /** passed to `stryker run` as they are */
  stryker: string[]
}

export function parseMutationArgs(argv: readonly string[]): MutationArgs {
  const args: MutationArgs = { parts: [...PARTS], scoreOnly: false, stryker: [] }
  for (let index = 0; index < argv.length; index += 1) {
    const arg = argv[index]
    if (arg === '--score') args.scoreOnly = true
    else if (arg === '--part') {
      const part = argv[index + 1]
      if (!PARTS.includes(part as Part)) fail(`--part takes ${PARTS.join(' or ')}, not ${part ?? 'nothing'}.`)
      args.parts = [part as Part]
      index += 1
    } else args.stryker.push(arg)
  }
  return args
}

function runPart(part: Part, strykerArgs: readonly string[]): Promise<void> {
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

/** The score of the reports on disk, as Markdown (also written to reports/mutation/score.md). */
export function scoreMarkdown(reportsDir = REPORTS, root = ROOT): string {
  const reports: MutationReport[] = []
  for (const part of PARTS) {
    const file = join(reportsDir, `${part}.json`)
    if (existsSync(file)) reports.push(JSON.parse(readFileSync(file, 'utf8')) as MutationReport)
  }
  if (reports.length === 0) fail(`No report in ${reportsDir}: run \`npm run mutation\` first.`)
  const { files, total, survivors } = scoreReports(reports, root)
  return [
    scoreTable(files, total),
    '',
    `Surviving mutants (${survivors.length}):`,
    '',
    ...survivorLines(survivors).map((line) => `- ${line}`),
    '',
  ].join('\n')
}

export async function main(argv: readonly string[]): Promise<void> {
  const args = parseMutationArgs(argv)
  if (!args.scoreOnly) for (const part of args.parts) await runPart(part, args.stryker)
  const markdown = scoreMarkdown()
  mkdirSync(REPORTS, { recursive: true })
  writeFileSync(join(REPORTS, 'score.md'), markdown)
  process.stdout.write(markdown)
}

if (isMainModule(__filename)) void runCli(() => main(process.argv.slice(2)))
