/** What went wrong, in the terms the UI acts on. */
export type EiamErrorKind =
  /** no connection, DNS, refused: retry when online */
  | 'network'
  /** no answer in time: retry */
  | 'timeout'
  /** 5xx, "system busy", or an answer that is not the documented JSON: retry later */
  | 'server'
  /** the state_token of the login flow expired or is invalid: restart login */
  | 'state-token'
  /** the slider captcha failed or its token expired: new puzzle */
  | 'captcha'
  /** the session_token is invalid or expired: sign in again */
  | 'session'
  /** any other refusal: show the server's message */
  | 'rejected'

export class EiamError extends Error {
  constructor(
    readonly kind: EiamErrorKind,
    message: string,
    /** `error_code` without the `IDAAS.` prefix */
    readonly code?: string,
    readonly status?: number,
  ) {
    super(message)
    this.name = 'EiamError'
  }
}

/**
 * One spelling per code: `IDAAS.SDK.COMMON.1007`, `SDK.COMMON.1007` and OneAccess's `CAPTCHA.0003` (no `SDK.`) are
 * compared as `SDK.COMMON.1007` and `SDK.CAPTCHA.0003` (docs/eiam-api.md §1).
 */
export function normaliseCode(code: string): string {
  const bare = code.trim().replace(/^IDAAS\./i, '')
  return /^(COMMON|CAPTCHA|PARAM|SMS|LOGIN)\./.test(bare) ? `SDK.${bare}` : bare
}

/** A new puzzle is the answer: wrong position (0002), puzzle or captcha token expired (0003) or invalid (0004). */
const CAPTCHA_RETRY_CODES = ['SDK.CAPTCHA.0002', 'SDK.CAPTCHA.0003', 'SDK.CAPTCHA.0004']
/** "{0} has expired", "{0} parameter error", "{0} parameter type error": about whichever parameter {0} names. */
const NAMED_PARAMETER_CODES = ['SDK.COMMON.1005', 'SDK.COMMON.1006', 'SDK.COMMON.1007']
/** Always the state token: "Invalid state token". */
const STATE_TOKEN_CODES = ['SDK.PARAM.0014']
/** Always the session: "invalid or expired session token" (0023), "id_token invalid or expired" (0016). */
const SESSION_CODES = ['SDK.PARAM.0023', 'SDK.PARAM.0016']
/**
 * A wrong verification code, whatever words come with it: the SMS code (SMS.1005), the email code (SMS.1006), the
 * "incorrect verification code" of CAPTCHA.0007 (a code the user typed, not the slider puzzle).
 */
const WRONG_CODE_CODES = ['SDK.SMS.1005', 'SDK.SMS.1006', 'SDK.CAPTCHA.0007']

const NAMES_STATE_TOKEN = /state[_ -]?token|状态令牌/i
const NAMES_SESSION_TOKEN = /session[_ -]?token|会话令牌/i

/**
 * Map an error envelope (code already normalised) to the kind the UI acts on (docs/eiam-api.md §1 and §10, and the
 * error codes of docs/design.md).
 */
export function kindOf(code: string, message: string, status: number): EiamErrorKind {
  if (code === 'SDK.COMMON.1008' || status >= 500) return 'server'
  if (STATE_TOKEN_CODES.includes(code)) return 'state-token'
  if (SESSION_CODES.includes(code)) return 'session'
  // 1007 is "{0} parameter type error" for any parameter: only one naming a token is about that token
  if (NAMED_PARAMETER_CODES.includes(code)) {
    if (NAMES_STATE_TOKEN.test(message)) return 'state-token'
    if (NAMES_SESSION_TOKEN.test(message)) return 'session'
    return 'rejected'
  }
  if (CAPTCHA_RETRY_CODES.includes(code)) return 'captcha'
  return 'rejected'
}

export type ErrorField = 'mobile' | 'email' | 'code' | 'userName' | 'password' | 'oldPassword' | 'newPassword'

/** The password parameters, most specific first: `old_password` also contains `password`. */
const PASSWORD_FIELDS: ReadonlyArray<[ErrorField, RegExp]> = [
  ['oldPassword', /old_?password|旧密码|原密码|当前密码/i],
  ['newPassword', /new_?password|新密码/i],
  // "user name or password incorrect" is about the pair: it belongs under the password
  ['password', /\bpassword\b|密码/i],
  ['userName', /user_?name|用户名/i],
]

/**
 * The field a rejection is about: a wrong-code code decides by itself; otherwise the parameter the server names
 * (1001/1002/1005/1006/1007 messages carry it), so the message can stand under that field.
 */
export function fieldOf(error: unknown): ErrorField | undefined {
  if (!(error instanceof EiamError) || error.kind !== 'rejected') return undefined
  if (error.code && WRONG_CODE_CODES.includes(error.code)) return 'code'
  const text = error.message
  for (const [field, pattern] of PASSWORD_FIELDS) if (pattern.test(text)) return field
  if (/verify_code|verification code|验证码/i.test(text)) return 'code'
  if (/\bmobile\b|手机/i.test(text)) return 'mobile'
  if (/\bemail\b|邮箱/i.test(text)) return 'email'
  return undefined
}

export const isEiamError = (error: unknown, kind?: EiamErrorKind): error is EiamError =>
  error instanceof EiamError && (kind === undefined || error.kind === kind)
