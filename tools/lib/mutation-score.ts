/**
 * The figures of `npm run mutation`, from StrykerJS's JSON reports (the mutation-testing-elements schema): per file
 * and in total, how many mutants the tests killed, how many survived or ran no test, and the score StrykerJS itself
 * prints: (killed + timed out) / (killed + timed out + survived + no coverage). Mutants the type checker rejected
 * and the ignored ones are counted apart: no test could ever run them.
 */
import { sampleKey } from './mutation-sample'

export type MutantStatus =
  'Killed' | 'Survived' | 'NoCoverage' | 'Timeout' | 'CompileError' | 'RuntimeError' | 'Ignored' | 'Pending'

export interface ReportMutant {
  id: string
  mutatorName: string
  replacement?: string
  status: MutantStatus
  location: { start: { line: number; column: number } }
}

/** The part of a StrykerJS JSON report this reads. */
export interface MutationReport {
  files: Record<string, { source?: string; mutants: ReportMutant[] }>
}

export interface Tally {
  killed: number
  timeout: number
  survived: number
  noCoverage: number
  /** rejected by the type checker, or broke the test run itself */
  invalid: number
  ignored: number
}

export interface FileScore extends Tally {
  file: string
  /** percent, one decimal; undefined when no mutant was valid */
  score: number | undefined
}

export interface Survivor {
  file: string
  line: number
  column: number
  mutator: string
  replacement: string
  status: 'Survived' | 'NoCoverage'
}

const emptyTally = (): Tally => ({
  killed: 0,
  timeout: 0,
  survived: 0,
  noCoverage: 0,
  invalid: 0,
  ignored: 0,
})

const FIELD_OF: Record<MutantStatus, keyof Tally | undefined> = {
  Killed: 'killed',
  Timeout: 'timeout',
  Survived: 'survived',
  NoCoverage: 'noCoverage',
  CompileError: 'invalid',
  RuntimeError: 'invalid',
  Ignored: 'ignored',
  Pending: undefined,
}

/** StrykerJS's mutation score of a tally, in percent with one decimal. */
export function scoreOf(tally: Tally): number | undefined {
  const detected = tally.killed + tally.timeout
  const valid = detected + tally.survived + tally.noCoverage
  return valid === 0 ? undefined : Math.round((detected / valid) * 1000) / 10
}

function add(into: Tally, from: Tally): void {
  for (const key of Object.keys(into) as Array<keyof Tally>) into[key] += from[key]
}

/** Per file (paths relative to `root`, sorted), and the total over all of them. */
export function scoreReports(
  reports: readonly MutationReport[],
  root: string,
  /** when a report is of a sample: whether a mutant, by `sampleKey`, is one of those drawn */
  drawn?: (key: string) => boolean,
): { files: FileScore[]; total: FileScore; survivors: Survivor[] } {
  const byFile = new Map<string, Tally>()
  const survivors: Survivor[] = []
  const prefix = root.endsWith('/') ? root : `${root}/`
  for (const report of reports) {
    for (const [path, { mutants }] of Object.entries(report.files)) {
      const file = path.startsWith(prefix) ? path.slice(prefix.length) : path
      const tally = byFile.get(file) ?? emptyTally()
      byFile.set(file, tally)
      for (const mutant of mutants) {
        const { line, column } = mutant.location.start
        if (drawn && !drawn(sampleKey(file, line, column, mutant.mutatorName, mutant.replacement))) continue
        const field = FIELD_OF[mutant.status]
        if (field) tally[field] += 1
        if (mutant.status === 'Survived' || mutant.status === 'NoCoverage') {
          const replacement = mutant.replacement ?? ''
          survivors.push({
            file,
            line,
            column,
            mutator: mutant.mutatorName,
            replacement,
            status: mutant.status,
          })
        }
      }
    }
  }
  const files = [...byFile.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([file, tally]) => ({ file, ...tally, score: scoreOf(tally) }))
  survivors.sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line || a.column - b.column)
  return { files, total: totalOf(files), survivors }
}

/** The sum of file rows, with its score. */
export function totalOf(files: readonly Tally[]): FileScore {
  const total = emptyTally()
  for (const file of files) add(total, file)
  return { file: 'total', ...total, score: scoreOf(total) }
}

const percent = (score: number | undefined) => (score === undefined ? '–' : `${score.toFixed(1)}%`)

/** A Markdown table: one row a file, then the total. */
export function scoreTable(files: readonly FileScore[], total: FileScore): string {
  const header = '| file | killed | timed out | survived | no coverage | rejected by tsc | score |'
  const rule = '| --- | ---: | ---: | ---: | ---: | ---: | ---: |'
  const row = (score: FileScore, name = score.file) =>
    `| ${name} | ${score.killed} | ${score.timeout} | ${score.survived} | ${score.noCoverage} | ${score.invalid} | ${percent(score.score)} |`
  return [header, rule, ...files.map((file) => row(file, `\`${file.file}\``)), row(total, '**total**')].join(
    '\n',
  )
}

/** One line a surviving mutant: `file:line:column Mutator → replacement`, the replacement on one line. */
export function survivorLines(survivors: readonly Survivor[]): string[] {
  return survivors.map((survivor) => {
    const replacement = survivor.replacement.replace(/\s+/g, ' ').slice(0, 100)
    const tag = survivor.status === 'NoCoverage' ? ' (no test reaches it)' : ''
    return `${survivor.file}:${survivor.line}:${survivor.column} ${survivor.mutator} → ${replacement}${tag}`
  })
}
