import { fail } from './errors'

/** Default bound on one miniprogram-ci call (network or compile); MP_CI_TIMEOUT_MS changes it. */
export const DEFAULT_CI_TIMEOUT_MS = 120_000

export class TimeoutError extends Error {
  constructor(
    readonly label: string,
    readonly ms: number,
  ) {
    super(`${label} did not finish within ${ms / 1000} s`)
    this.name = 'TimeoutError'
  }
}

/**
 * Settle with `work`, or reject with a TimeoutError after `ms`. The work itself cannot be cancelled (miniprogram-ci
 * offers no abort); the CLI exits right after, so a late answer is dropped.
 */
export async function withTimeout<T>(work: Promise<T>, ms: number, label: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined
  const deadline = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new TimeoutError(label, ms)), ms)
  })
  try {
    return await Promise.race([work, deadline])
  } finally {
    clearTimeout(timer)
  }
}

/** MP_CI_TIMEOUT_MS as a positive whole number of milliseconds, or the default. */
export function ciTimeoutFromEnv(env: NodeJS.ProcessEnv): number {
  const raw = env.MP_CI_TIMEOUT_MS?.trim()
  if (!raw) return DEFAULT_CI_TIMEOUT_MS
  const ms = Number(raw)
  if (!/^\d+$/.test(raw) || !Number.isSafeInteger(ms) || ms <= 0) {
    fail(`MP_CI_TIMEOUT_MS must be a whole number of milliseconds such as 120000, got "${raw}".`)
  }
  return ms
}
