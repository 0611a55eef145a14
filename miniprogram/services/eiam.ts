/**
 * One typed function per EIAM endpoint (docs/eiam-api.md). Answers are checked and shaped here; pages never see raw JSON.
 */
import { tenant } from '../config/index'
import { t } from '../i18n/index'
import { aesEcbEncryptBase64 } from '../utils/aes-ecb'
import { type AreaCode, CHINA_MAINLAND, sendableMobile } from '../utils/validate'
import { pointFormFor, recordPointOutcome } from './captcha-form'
import { EiamError, isEiamError } from './errors'
import { callEiam, type JsonObject } from './http'

export type Channel = 'mobile' | 'email'
export type FlowStatus =
  | 'SUCCESS'
  | 'SOCIAL_BIND'
  | 'USER_REGISTER'
  | 'MFA_AUTH'
  | 'ACCESS_DENIED'
  | 'PASSWORD_EXPIRED'
  | 'PASSWORD_WARN'
/**
 * The flow a state token belongs to: SOCIAL_BIND, USER_REGISTER, MFA_AUTH, or the password change a password sign-in
 * asks for (PASSWORD_EXPIRED, PASSWORD_WARN).
 */
export type Flow = 'bind' | 'register' | 'mfa' | 'password'
/** The flows that send codes, and so the purpose of a code: bind, register, mfa. */
export type CodePurpose = Exclude<Flow, 'password'>

export interface SessionTokens {
  sessionToken: string
  /** session_token lifetime in seconds, as the tenant set it */
  expire: number
  idToken: string
}

export type StatusAnswer =
  | { status: 'SUCCESS'; tokens: SessionTokens }
  | {
      status: 'SOCIAL_BIND' | 'USER_REGISTER' | 'MFA_AUTH'
      /** absent when a MFA_AUTH answer keeps the current state token */
      stateToken?: string
      /**
       * which verification tabs the tenant allows (socialBindOrRegisterFlow); empty when it lists only methods this
       * app cannot offer
       */
      channels: Channel[]
    }
  | { status: 'ACCESS_DENIED' }
  | {
      /**
       * After a password sign-in: PASSWORD_EXPIRED (a change is required) or PASSWORD_WARN (it may be changed or
       * skipped). Every other `PASSWORD_*` status arrives as PASSWORD_WARN: a password status that is not "expired" is
       * treated as a warning, so the user can always go on.
       */
      status: 'PASSWORD_EXPIRED' | 'PASSWORD_WARN'
      /** absent when the answer keeps the current state token */
      stateToken?: string
    }

/** The login's answer: unlike a step's, a flow status always brings its own state token. */
export type LoginAnswer =
  | Exclude<StatusAnswer, { channels: Channel[] }>
  | { status: 'SOCIAL_BIND' | 'USER_REGISTER' | 'MFA_AUTH'; stateToken: string; channels: Channel[] }

export type Identity = { mobile: string } | { email: string }

export interface CaptchaPuzzle {
  token: string
  secretKey: string | null
  /** PNG, base64 without a data: prefix */
  backgroundImage: string
  pieceImage: string
}

export interface CountryCodes {
  areas: AreaCode[]
  preferred: string
}

/** The SMS/email `type` of each purpose (docs/eiam-api.md §4). */
export const CODE_TYPES: Record<CodePurpose, Record<Channel, string>> = {
  bind: { mobile: 'BIND_MOBILE_SMS', email: 'BIND_EMAIL_EMS' },
  register: { mobile: 'REGISTER_SMS', email: 'REGISTER_EMS' },
  mfa: { mobile: 'MFA_AUTH_SMS', email: 'MFA_AUTH_EMS' },
}

/** The path of every endpoint the app calls (docs/eiam-api.md), relative to the tenant's base URL. */
export const EIAM_PATHS = {
  login: '/api/v2/sdk/login/wechat-miniprogram',
  captcha: '/api/v2/sdk/captcha',
  captchaVerify: '/api/v2/sdk/captcha/verify',
  smsSend: '/api/v2/sdk/sms/send',
  emailSend: '/api/v2/sdk/email/send',
  bind: '/api/v2/sdk/social/bind',
  registerBind: '/api/v2/sdk/social/register-bind',
  oneTapBind: '/api/v2/sdk/social/wechat-mobile-bind',
  oneTapRegisterBind: '/api/v2/sdk/social/wechat-mobile-register-bind',
  mobileByToken: '/api/v2/sdk/mobile-by-token',
  mfaSms: '/api/v2/sdk/mfa/sms',
  mfaEmail: '/api/v2/sdk/mfa/email',
  refresh: '/api/v2/sdk/sso/session-token/id-token',
  countryCodes: '/api/v2/sdk/country-codes',
  passwordBind: '/api/v2/sdk/social/username-password-bind',
  passwordUpdate: '/api/v2/sdk/pwd/update',
  passwordSkip: '/api/v2/sdk/pwd/skip-update',
} as const

/**
 * The background image's width in every known tenant. The captcha's x is in the image's own pixels: the component
 * scales by the width the PNG itself states. y is always 5.
 */
export const PUZZLE_WIDTH = 310
const PUZZLE_Y = '5.0'

export const unexpected = () => new EiamError('server', t('error.unexpected'))

export function requireObject(body: JsonObject | null): JsonObject {
  if (!body) throw unexpected()
  return body
}

/** A non-empty text field, trimmed: vendor samples carry state and id tokens with a leading space. */
export function requireString(body: JsonObject, key: string): string {
  const value = body[key]
  const trimmed = typeof value === 'string' ? value.trim() : ''
  if (!trimmed) throw unexpected()
  return trimmed
}

function optionalString(body: JsonObject, key: string): string | undefined {
  const value = body[key]
  const trimmed = typeof value === 'string' ? value.trim() : ''
  return trimmed || undefined
}

const ALL_CHANNELS: Channel[] = ['mobile', 'email']

/**
 * `data` is a JSON string (or null) naming VERIFY_PHONE / VERIFY_EMAIL; anything unreadable, or an empty list, allows
 * both tabs. A list naming only methods this app does not know answers none: the page says so rather than offering
 * tabs the tenant would refuse.
 */
export function channelsFrom(data: unknown): Channel[] {
  let parsed: unknown = data
  if (typeof data === 'string') {
    try {
      parsed = JSON.parse(data)
    } catch {
      return ALL_CHANNELS
    }
  }
  const flows =
    typeof parsed === 'object' && parsed !== null
      ? (parsed as { socialBindOrRegisterFlow?: unknown }).socialBindOrRegisterFlow
      : undefined
  if (!Array.isArray(flows) || !flows.length) return ALL_CHANNELS
  return ALL_CHANNELS.filter((channel) =>
    flows.some((flow) => String(flow).trim() === (channel === 'mobile' ? 'VERIFY_PHONE' : 'VERIFY_EMAIL')),
  )
}

function tokensFrom(body: JsonObject): SessionTokens {
  const expire = Number(body.expire)
  if (!Number.isFinite(expire) || expire <= 0) throw unexpected()
  return {
    sessionToken: requireString(body, 'session_token'),
    expire,
    idToken: requireString(body, 'id_token'),
  }
}

/** Trimmed: a vendor sample has `" eyJ…"` with a leading space. */
const stateTokenOf = (body: JsonObject): string | undefined => optionalString(body, 'state_token')

/**
 * Status answers of login and of every bind/register/mfa call. Status is trimmed (a vendor sample has
 * `" SOCIAL_BIND"`); an unknown status is reported, never guessed.
 */
export function parseStatusAnswer(raw: JsonObject | null, requireStateToken: boolean): StatusAnswer {
  const body = requireObject(raw)
  const status = typeof body.status === 'string' ? body.status.trim().toUpperCase() : ''
  switch (status) {
    case 'SUCCESS':
      return { status, tokens: tokensFrom(body) }
    case 'ACCESS_DENIED':
      return { status }
    case 'SOCIAL_BIND':
    case 'USER_REGISTER':
    case 'MFA_AUTH': {
      const stateToken = stateTokenOf(body)
      if (!stateToken && (requireStateToken || status !== 'MFA_AUTH')) throw unexpected()
      return { status, stateToken, channels: channelsFrom(body.data) }
    }
    default: {
      // PASSWORD_EXPIRED, PASSWORD_WARN, and any other password status, which is handled as a warning
      if (!/^PASSWORD_[A-Z_]+$/.test(status)) {
        throw new EiamError('server', t('error.unknownStatus', { status: status || '—' }))
      }
      const stateToken = stateTokenOf(body)
      if (!stateToken && requireStateToken) throw unexpected()
      return { status: status === 'PASSWORD_EXPIRED' ? status : 'PASSWORD_WARN', stateToken }
    }
  }
}

export async function loginWithWechatCode(code: string): Promise<LoginAnswer> {
  const body = await callEiam({
    method: 'POST',
    path: EIAM_PATHS.login,
    body: { code },
  })
  const answer = parseStatusAnswer(body, true)
  if (answer.status === 'SUCCESS' || answer.status === 'ACCESS_DENIED') return answer
  const { stateToken } = answer
  if (!stateToken) throw unexpected()
  return { ...answer, stateToken }
}

export async function fetchCaptcha(): Promise<CaptchaPuzzle> {
  const body = requireObject(await callEiam({ method: 'GET', path: EIAM_PATHS.captcha }))
  return {
    token: requireString(body, 'token'),
    secretKey: typeof body.secretKey === 'string' && body.secretKey ? body.secretKey : null,
    backgroundImage: requireString(body, 'originalImageBase64'),
    pieceImage: requireString(body, 'jigsawImageBase64'),
  }
}

/**
 * `x` in the background image's pixels. `point_json` plain or AES-encrypted with the puzzle's key, as the tenant
 * option `captchaEncryption` decides or as this install learned (services/captcha-form.ts).
 */
export async function verifyCaptcha(puzzle: CaptchaPuzzle, x: number, sender: string): Promise<string> {
  const point = `{"x":${(Math.round(x * 10) / 10).toFixed(1)},"y":${PUZZLE_Y}}`
  const form = pointFormFor(puzzle.secretKey)
  let pointJson = point
  if (form === 'aes' && puzzle.secretKey) {
    try {
      pointJson = aesEcbEncryptBase64(point, puzzle.secretKey)
    } catch {
      // a key that is no AES key (not 16, 24 or 32 bytes) is the tenant's odd answer, not our crash
      throw unexpected()
    }
  }
  let body: JsonObject
  try {
    body = requireObject(
      await callEiam({
        method: 'POST',
        path: EIAM_PATHS.captchaVerify,
        body: { point_json: pointJson, token: puzzle.token, sender },
      }),
    )
  } catch (error) {
    // a wrong position may be a form the tenant did not read: only that outcome teaches anything
    if (puzzle.secretKey && isEiamError(error, 'captcha') && error.code === 'SDK.CAPTCHA.0002') {
      recordPointOutcome(form, 'failed')
    }
    throw error
  }
  const captchaToken = requireString(body, 'captcha_token')
  if (puzzle.secretKey) recordPointOutcome(form, 'passed')
  return captchaToken
}

/** 200 with an empty body on success. */
export async function sendCode(
  channel: Channel,
  target: string,
  type: string,
  captchaToken: string,
): Promise<void> {
  await callEiam(
    channel === 'mobile'
      ? {
          method: 'POST',
          path: EIAM_PATHS.smsSend,
          body: { mobile: target, type, captcha_token: captchaToken },
        }
      : {
          method: 'POST',
          path: EIAM_PATHS.emailSend,
          body: { email: target, type, captcha_token: captchaToken },
        },
  )
}

async function statusCall(path: string, stateToken: string, body: JsonObject): Promise<StatusAnswer> {
  return parseStatusAnswer(await callEiam({ method: 'POST', path, stateToken, body }), false)
}

export const socialBind = (stateToken: string, identity: Identity, verifyCode: string) =>
  statusCall(EIAM_PATHS.bind, stateToken, { ...identity, verify_code: verifyCode })

export const socialRegisterBind = (stateToken: string, identity: Identity, verifyCode: string) =>
  statusCall(EIAM_PATHS.registerBind, stateToken, { ...identity, verify_code: verifyCode })

export const wechatMobileBind = (stateToken: string, wechatCode: string) =>
  statusCall(EIAM_PATHS.oneTapBind, stateToken, { wechat_code: wechatCode })

export const wechatMobileRegisterBind = (stateToken: string, wechatCode: string) =>
  statusCall(EIAM_PATHS.oneTapRegisterBind, stateToken, { wechat_code: wechatCode })

export const mfaBySms = (stateToken: string, mobile: string, verifyCode: string) =>
  statusCall(EIAM_PATHS.mfaSms, stateToken, { mobile, verify_code: verifyCode })

export const mfaByEmail = (stateToken: string, email: string, verifyCode: string) =>
  statusCall(EIAM_PATHS.mfaEmail, stateToken, { email, verify_code: verifyCode })

/** Binds the directory user with this user name and password (the tenant's third bind method). */
export const usernamePasswordBind = (stateToken: string, userName: string, password: string) =>
  statusCall(EIAM_PATHS.passwordBind, stateToken, { user_name: userName, password })

/** The password change a PASSWORD_EXPIRED or PASSWORD_WARN answer asks for, with the state token it brought. */
export const updatePassword = (stateToken: string, oldPassword: string, newPassword: string) =>
  statusCall(EIAM_PATHS.passwordUpdate, stateToken, { old_password: oldPassword, new_password: newPassword })

/** Keeps the password about to expire for now (PASSWORD_WARN only); the answer is the sign-in's next status. */
export async function skipPasswordUpdate(stateToken: string): Promise<StatusAnswer> {
  return parseStatusAnswer(
    await callEiam({ method: 'GET', path: EIAM_PATHS.passwordSkip, stateToken }),
    false,
  )
}

/**
 * The phone of the user behind an MFA state token, as send-code and mfa/sms take it: the tenant answers
 * `+86-15201657124` (or bare digits) while the send and verify examples use 11 bare digits, so a +86 number comes back
 * as `15201657124`; other regions keep `+<area>-<number>`.
 */
export async function mobileByToken(stateToken: string): Promise<string> {
  const body = requireObject(await callEiam({ method: 'GET', path: EIAM_PATHS.mobileByToken, stateToken }))
  return sendableMobile(requireString(body, 'mobile'))
}

/**
 * The session_token comes back rotated when the tenant is configured so, else unchanged: the caller keeps the new
 * one, and keeps its stored expiry when it is the same token (docs/eiam-api.md §7).
 */
export async function refreshIdToken(sessionToken: string): Promise<SessionTokens> {
  const body = requireObject(await callEiam({ method: 'POST', path: EIAM_PATHS.refresh, sessionToken }))
  return tokensFrom(body)
}

export async function fetchCountryCodes(): Promise<CountryCodes> {
  const body = requireObject(await callEiam({ method: 'GET', path: EIAM_PATHS.countryCodes }))
  const list = Array.isArray(body.phoneAreaCodeDefinitions) ? body.phoneAreaCodeDefinitions : []
  const areas: AreaCode[] = []
  for (const item of list) {
    if (typeof item !== 'object' || item === null) continue
    const entry = item as JsonObject
    const areaCode = typeof entry.areaCode === 'string' ? entry.areaCode.trim() : ''
    if (!/^\+\d{1,4}$/.test(areaCode)) continue
    const names = (typeof entry.displayMapping === 'object' && entry.displayMapping) || {}
    const nameOf = (keys: string[]) => {
      for (const key of keys) {
        const value = (names as JsonObject)[key]
        if (typeof value === 'string' && value) return value
      }
      return typeof entry.countryCode === 'string' ? entry.countryCode : areaCode
    }
    areas.push({
      areaCode,
      countryCode: typeof entry.countryCode === 'string' ? entry.countryCode : '',
      name: { zh: nameOf(['zh', 'zh_CN', 'zh-CN']), en: nameOf(['en', 'en_US', 'en-US']) },
      mobileRegex: typeof entry.mobileRegex === 'string' ? entry.mobileRegex : CHINA_MAINLAND.mobileRegex,
    })
  }
  if (!areas.length) throw unexpected()
  const preferred = typeof body.preferredAreaCode === 'string' ? body.preferredAreaCode : areas[0].areaCode
  return { areas, preferred }
}

// ---- OneAccess dialect (docs/oneaccess.md; its signed calls live in the `oneaccess` subpackage) ------------------

/** OneAccess names the second-factor SMS type differently; every other type is the same in both dialects. */
export const ONEACCESS_MFA_SMS_TYPE = 'OTP_REST_SMS'

/** The SMS/email `type` of a purpose in the tenant's dialect. */
export function codeTypeOf(purpose: CodePurpose, channel: Channel): string {
  if (purpose === 'mfa' && channel === 'mobile' && tenant().dialect === 'oneaccess')
    return ONEACCESS_MFA_SMS_TYPE
  return CODE_TYPES[purpose][channel]
}
