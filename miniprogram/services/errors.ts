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

/** `IDAAS.SDK.COMMON.1007` and `SDK.COMMON.1007` are the same code: compare without the prefix. */
export const normaliseCode = (code: string) => code.trim().replace(/^IDAAS\./i, '')

const CAPTCHA_RETRY_CODES = ['SDK.CAPTCHA.0002', 'SDK.CAPTCHA.0003', 'SDK.CAPTCHA.0004']

/** Map an error envelope to the kind the UI acts on (eiam-api.md §1 and the error codes of docs/design.md). */
export function kindOf(code: string, message: string, status: number): EiamErrorKind {
  if (code === 'SDK.COMMON.1008' || status >= 500) return 'server'
  if (code === 'SDK.COMMON.1007') return 'state-token'
  // 1005 "{0} has expired" and 1006 "{0} parameter error" are about the state token only when they name it
  if ((code === 'SDK.COMMON.1005' || code === 'SDK.COMMON.1006') && /state[_ -]?token/i.test(message)) {
    return 'state-token'
  }
  if (CAPTCHA_RETRY_CODES.includes(code)) return 'captcha'
  if (code === 'SDK.PARAM.0023') return 'session'
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
 * The field a rejection is about, when the server names the parameter (1001/1002/1005/1006 messages carry it), so the
 * message can stand under that field.
 */
export function fieldOf(error: unknown): ErrorField | undefined {
  if (!(error instanceof EiamError) || error.kind !== 'rejected') return undefined
  const text = error.message
  for (const [field, pattern] of PASSWORD_FIELDS) if (pattern.test(text)) return field
  if (/verify_code|verification code|验证码/i.test(text)) return 'code'
  if (/\bmobile\b|手机/i.test(text)) return 'mobile'
  if (/\bemail\b|邮箱/i.test(text)) return 'email'
  return undefined
}

export const isEiamError = (error: unknown, kind?: EiamErrorKind): error is EiamError =>
  error instanceof EiamError && (kind === undefined || error.kind === kind)
