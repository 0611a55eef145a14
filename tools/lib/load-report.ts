/**
 * The numbers of a load run and their two renderings: a table for people, a JSON document for machines. Pure.
 */

export interface LatencySummary {
  count: number
  p50: number
  p90: number
  p99: number
  max: number
}

/** Nearest rank: the smallest sample with at least p % of the samples at or below it. 0 for no samples. */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return 0
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length))
  return sorted[Math.min(rank, sorted.length) - 1] as number
}

/** Milliseconds to 0.1 ms: finer is noise on a shared machine. */
const tenths = (ms: number) => Math.round(ms * 10) / 10

export function summarise(samples: readonly number[]): LatencySummary {
  const sorted = [...samples].sort((a, b) => a - b)
  return {
    count: sorted.length,
    p50: tenths(percentile(sorted, 50)),
    p90: tenths(percentile(sorted, 90)),
    p99: tenths(percentile(sorted, 99)),
    max: tenths(sorted.length ? (sorted[sorted.length - 1] as number) : 0),
  }
}

export interface LoadFailure {
  journey: number
  mode: string
  /** The step that went wrong, e.g. `send REGISTER_SMS`. */
  step: string
  /** The request path, when a request failed. */
  path?: string
  /** HTTP status; 0 when no answer came (dropped, refused, stopped by the deadline). */
  status?: number
  /** `error_code` of the answer, when it had one. */
  code?: string
  message: string
}

export interface LoadResult {
  ok: boolean
  modes: string[]
  journeys: { planned: number; completed: number; failed: number; unfinished: number }
  concurrency: { limit: number; peakJourneys: number; connectionsOpened: number }
  deadlineS: number
  durationMs: number
  requests: number
  throughput: { journeysPerS: number; requestsPerS: number }
  /** Per endpoint (path after `/api/v2/sdk/`), plus `all requests` and `journey` (a whole journey). */
  latencyMs: Record<string, LatencySummary>
  failures: LoadFailure[]
  /** Problems found after the run in the outbox and the code lines (codes lost, crossed or duplicated). */
  problems: string[]
}

export const ALL_REQUESTS = 'all requests'
export const WHOLE_JOURNEY = 'journey'

/** Latency rows: endpoints alphabetically, then all requests, then the whole journey. */
export function latencyTable(
  byEndpoint: ReadonlyMap<string, readonly number[]>,
  journeys: readonly number[],
): Record<string, LatencySummary> {
  const table: Record<string, LatencySummary> = {}
  const everything: number[] = []
  for (const endpoint of [...byEndpoint.keys()].sort()) {
    const samples = byEndpoint.get(endpoint) ?? []
    table[endpoint] = summarise(samples)
    everything.push(...samples)
  }
  table[ALL_REQUESTS] = summarise(everything)
  table[WHOLE_JOURNEY] = summarise(journeys)
  return table
}

export const perSecond = (count: number, durationMs: number) =>
  durationMs > 0 ? Math.round((count / (durationMs / 1000)) * 10) / 10 : 0

const ms = (value: number) => (value >= 100 ? value.toFixed(0) : value.toFixed(1))

function pad(cells: string[], widths: number[]): string {
  return cells
    .map((cell, index) => (index === 0 ? cell.padEnd(widths[0] ?? 0) : cell.padStart(widths[index] ?? 0)))
    .join('  ')
}

/** The table and the summary lines, as printed by `npm run load`. */
export function formatReport(result: LoadResult): string {
  const header = ['endpoint', 'count', 'p50 ms', 'p90 ms', 'p99 ms', 'max ms']
  const rows = Object.entries(result.latencyMs).map(([endpoint, row]) => [
    endpoint,
    String(row.count),
    ms(row.p50),
    ms(row.p90),
    ms(row.p99),
    ms(row.max),
  ])
  const widths = header.map((cell, index) =>
    Math.max(cell.length, ...rows.map((row) => (row[index] ?? '').length)),
  )
  const rule = widths.map((width) => '-'.repeat(width)).join('  ')
  const { journeys, throughput, concurrency } = result
  const lines = [
    `Load: ${journeys.planned} journeys (${result.modes.join(' + ')}), at most ${concurrency.limit} at once, deadline ${result.deadlineS} s`,
    '',
    pad(header, widths),
    rule,
    ...rows.slice(0, -2).map((row) => pad(row, widths)),
    rule,
    ...rows.slice(-2).map((row) => pad(row, widths)),
    '',
    `journeys: ${journeys.completed} completed, ${journeys.failed} failed, ${journeys.unfinished} unfinished in ${(result.durationMs / 1000).toFixed(2)} s`,
    `throughput: ${throughput.journeysPerS} journeys/s, ${throughput.requestsPerS} requests/s (${result.requests} requests)`,
    `concurrency: peak ${concurrency.peakJourneys} journeys in flight, ${concurrency.connectionsOpened} connections opened (keep-alive)`,
  ]
  for (const failure of result.failures) lines.push(`FAIL ${describeFailure(failure)}`)
  for (const problem of result.problems) lines.push(`FAIL ${problem}`)
  lines.push(result.ok ? 'OK' : 'FAILED')
  return lines.join('\n')
}

/** One line per failure: which journey, which step, the path and the code when a request failed. */
export function describeFailure(failure: LoadFailure): string {
  const where = failure.path
    ? ` ${failure.path} → ${failure.status ?? 0}${failure.code ? ` ${failure.code}` : ''}`
    : ''
  return `journey ${failure.journey} (${failure.mode}) at ${failure.step}:${where} ${failure.message}`
}

/** A code the sandbox sent, as its outbox lists it. */
export interface SentCode {
  target: string
  type: string
  code: string
}

/** What one journey sent and used. */
export interface JourneyCodes {
  journey: number
  target: string
  /** In the order sent: the type and the code the journey read back (and then used). */
  used: Array<{ type: string; code: string }>
}

/**
 * After the run, for one sandbox: every code in its outbox belongs to exactly one journey's target, there is exactly
 * one per target and type, it is the code that journey used, and each code line on stdout matches one outbox entry.
 * Only completed journeys are checked for what they used; failed ones are reported as failures already.
 */
export function checkCodes(
  label: string,
  journeys: readonly JourneyCodes[],
  outbox: readonly SentCode[],
  codeLines?: readonly string[],
): string[] {
  const problems: string[] = []
  const owners = new Map<string, number>()
  for (const journey of journeys) {
    const owner = owners.get(journey.target)
    if (owner !== undefined)
      problems.push(`${label}: journeys ${owner} and ${journey.journey} share ${journey.target}`)
    owners.set(journey.target, journey.journey)
  }
  const sent = new Map<string, SentCode[]>()
  for (const entry of outbox) {
    if (!owners.has(entry.target)) {
      problems.push(`${label}: a ${entry.type} code went to ${entry.target}, which no journey owns`)
      continue
    }
    const key = `${entry.type} ${entry.target}`
    sent.set(key, [...(sent.get(key) ?? []), entry])
  }
  for (const [key, entries] of sent) {
    if (entries.length > 1)
      problems.push(`${label}: ${entries.length} codes of ${key} in the outbox, expected 1`)
  }
  for (const journey of journeys) {
    for (const { type, code } of journey.used) {
      const entries = sent.get(`${type} ${journey.target}`) ?? []
      if (entries.length === 0) {
        problems.push(`${label}: journey ${journey.journey} used a ${type} code the outbox never had (lost)`)
      } else if (!entries.some((entry) => entry.code === code)) {
        problems.push(
          `${label}: journey ${journey.journey} used ${type} code ${code}, not the one sent to its target`,
        )
      }
    }
  }
  if (codeLines) {
    const expected = outbox.map(codeLine).sort()
    const printed = [...codeLines].sort()
    if (expected.length !== printed.length || expected.some((line, index) => line !== printed[index])) {
      problems.push(
        `${label}: ${printed.length} code lines printed for ${expected.length} codes in the outbox, or they differ`,
      )
    }
  }
  return problems
}

/** The stdout line the sandbox prints for a code (docs/design.md "Options and output"). */
export function codeLine(entry: SentCode): string {
  const channel = entry.target.includes('@') ? 'EMAIL' : 'SMS'
  return `[eiam-sandbox] ${channel} to ${entry.target} type=${entry.type} code=${entry.code}`
}
