/**
 * Support without guesswork. Each sign-in attempt gets a short random support code, shown with the errors a user
 * sees and on the denied page, and every step of the attempt writes one line to WeChat's real-time log, filtered by
 * that code: the administrator types the code an employee quotes into the real-time log search of the mini program
 * admin console and sees exactly that attempt.
 *
 * A line holds the step, its outcome, the error kind and code, the HTTP status, the status the server answered, the
 * base library and the platform. Never a token, a verification code, a password, a phone number or an email: nothing
 * from a request or answer body reaches it but the `status` word, and no error message (a server may echo input).
 */
import { EiamError } from './errors'
import { readPlain, STORAGE_KEYS, writePlain } from './storage'

/** Crockford's base-32 digits (no I, L, O, U): a code read out over the phone is not misheard. */
const DIGITS = '0123456789ABCDEFGHJKMNPQRSTVWXYZ'
const GROUP = '[0-9A-HJKMNP-TV-Z]{4}'
/** `XXXX-XXXX`, e.g. `7K4Q-92XF`: 40 random bits, grouped so it reads and types easily. */
export const SUPPORT_CODE_FORM = new RegExp(`^${GROUP}-${GROUP}$`)

interface StoredSupport {
  code: string
  /** epoch ms the attempt began */
  startedAt: number
}

let current: StoredSupport | undefined

function makeCode(): string {
  // an identifier, not a secret: it is printed on screen and read out to IT, so Math.random's quality is enough
  let code = ''
  for (let index = 0; index < 8; index += 1) {
    if (index === 4) code += '-'
    code += DIGITS[Math.floor(Math.random() * DIGITS.length)]
  }
  return code
}

function stored(): StoredSupport | undefined {
  if (current) return current
  const value = readPlain<StoredSupport>(STORAGE_KEYS.support)
  if (value && typeof value.code === 'string' && SUPPORT_CODE_FORM.test(value.code)) current = value
  return current
}

/** A new sign-in attempt (a login with no live flow): a new code, kept across pages and restarts until the next. */
export function startAttempt(now = Date.now()): string {
  current = { code: makeCode(), startedAt: now }
  writePlain(STORAGE_KEYS.support, current)
  return current.code
}

/** The code of the current attempt; one is made when none was (an error before any sign-in). */
export function supportCode(): string {
  const attempt = stored()
  return attempt ? attempt.code : startAttempt()
}

export type StepOutcome =
  | { ok: true; status?: number; answer?: string }
  | { ok: false; kind: string; errorCode?: string; status?: number }

/** The outcome of a failed step as the log shows it: the kind, the code and the status, never the message. */
export function failureOf(error: unknown): StepOutcome {
  if (error instanceof EiamError) {
    return { ok: false, kind: error.kind, errorCode: error.code, status: error.status }
  }
  return { ok: false, kind: 'unexpected' }
}

interface Platform {
  baseLibrary: string
  platform: string
}

let platform: Platform | undefined

function platformFacts(): Platform {
  if (!platform) {
    let baseLibrary = 'unknown'
    let name = 'unknown'
    try {
      baseLibrary = wx.getAppBaseInfo().SDKVersion || baseLibrary
      name = wx.getDeviceInfo().platform || name
    } catch {
      // the facts stay "unknown"; the line still goes out
    }
    platform = { baseLibrary, platform: name }
  }
  return platform
}

/** What one real-time log line holds. */
export interface StepLine {
  support: string
  step: string
  outcome: 'ok' | 'error'
  kind?: string
  errorCode?: string
  status?: number
  answer?: string
  baseLibrary: string
  platform: string
}

/** Steps are short names: an endpoint path without `/api/v2/sdk/` (`social/bind`), or `wx.login`, `one-tap`, ... */
export function stepOfPath(path: string): string {
  return path.replace(/^\/api\/v2\/sdk\//, '').replace(/[?#].*$/, '')
}

/** One line for one step, filtered by the attempt's support code. Logging never breaks the sign-in. */
export function logStep(step: string, outcome: StepOutcome): void {
  const line: StepLine = {
    support: supportCode(),
    step,
    outcome: outcome.ok ? 'ok' : 'error',
    ...platformFacts(),
  }
  if (!outcome.ok) {
    line.kind = outcome.kind
    if (outcome.errorCode) line.errorCode = outcome.errorCode
  } else if (outcome.answer) {
    line.answer = outcome.answer
  }
  if (outcome.status !== undefined) line.status = outcome.status
  try {
    const log = wx.getRealtimeLogManager()
    log.setFilterMsg(line.support)
    if (outcome.ok) log.info('eiam-step', line)
    else log.warn('eiam-step', line)
  } catch {
    // no real-time log here (an old client, DevTools offline): the step itself is unaffected
  }
}

/** Forget the in-memory copy (the next read comes from storage): a fresh app start in tests. */
export function dropSupportCache(): void {
  current = undefined
  platform = undefined
}
