/**
 * Keeps the in-memory stores bounded when the sandbox runs for hours or under a load script, without making any
 * request pay for a full scan: a store sweeps out long-dead entries at most once per minute of the sandbox clock.
 */

const SWEEP_INTERVAL_MS = 60 * 1000

/** How long an entry is kept after it expired, so that it still answers "expired" rather than "unknown". */
export const KEEP_EXPIRED_MS = 10 * 60 * 1000

export class SweepSchedule {
  private lastSweep = Number.NEGATIVE_INFINITY

  constructor(private readonly now: () => number) {}

  /** True at most once per interval; the caller then sweeps. */
  due(): boolean {
    const now = this.now()
    if (now - this.lastSweep < SWEEP_INTERVAL_MS) return false
    this.lastSweep = now
    return true
  }
}

/** Appends to a log that keeps only its newest `limit` entries. */
export function appendBounded<T>(log: T[], entry: T, limit: number): void {
  log.push(entry)
  if (log.length > limit) log.splice(0, log.length - limit)
}
