/**
 * Pure field validation. Each check answers either the value to send (normalised) or the i18n key of the problem,
 * so pages show messages and never compute them.
 */
import type { Strings } from '../i18n/index'
import { compactNumber, trimSpaces } from './normalise'

/** The i18n key of a validation problem, `'validation.mobileRequired'`. */
export type ValidationKey = `validation.${keyof Strings['validation'] & string}`

/** A problem is an i18n key, with the values its message needs (e.g. a code length). */
export type Validation =
  { ok: true; value: string } | { ok: false; error: ValidationKey; params?: Record<string, number> }

export interface AreaCode {
  /** `+86` */
  areaCode: string
  /** `CN` */
  countryCode: string
  name: { zh: string; en: string }
  /** The tenant's pattern for a number of this region; may accept the area prefix. */
  mobileRegex: string
}

export const CHINA_MAINLAND: AreaCode = {
  areaCode: '+86',
  countryCode: 'CN',
  name: { zh: '中国大陆', en: 'Chinese mainland' },
  mobileRegex: '^(\\+86){0,1}\\-?1\\d{10}$',
}

export const EMAIL_PATTERN = /^[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}$/
export const EMAIL_MAX_LENGTH = 254
/** Verification codes the vendor's examples show: `"1234"` and 6 digits; any 4 to 8 are accepted. */
export const CODE_LENGTH_MIN = 4
export const CODE_LENGTH_MAX = 8
const MAINLAND_MOBILE = /^1[3-9]\d{9}$/

const ok = (value: string): Validation => ({ ok: true, value })
const problem = (error: ValidationKey, params?: Record<string, number>): Validation =>
  params ? { ok: false, error, params } : { ok: false, error }

function safeRegex(source: string): RegExp | undefined {
  try {
    return new RegExp(source)
  } catch {
    return undefined
  }
}

/**
 * A mobile number for the area: +86 numbers are sent as 11 bare digits (as the vendor examples do), other regions as
 * `+<area>-<number>`.
 */
export function validateMobile(raw: string, area: AreaCode = CHINA_MAINLAND): Validation {
  const trimmed = trimSpaces(raw)
  if (!trimmed) return problem('validation.mobileRequired')
  let number = compactNumber(trimmed)
  const prefix = area.areaCode
  if (number.startsWith(prefix)) number = number.slice(prefix.length)
  if (!/^\d+$/.test(number)) return problem('validation.mobileDigits')
  if (prefix === '+86') {
    if (number.length !== 11) return problem('validation.mobileLength')
    return MAINLAND_MOBILE.test(number) ? ok(number) : problem('validation.mobilePattern')
  }
  const pattern = safeRegex(area.mobileRegex)
  if (number.length > 20 || !pattern || !pattern.test(number)) return problem('validation.mobilePattern')
  return ok(`${prefix}-${number}`)
}

export function validateEmail(raw: string): Validation {
  const email = trimSpaces(raw)
  if (!email) return problem('validation.emailRequired')
  if (email.length > EMAIL_MAX_LENGTH) return problem('validation.emailTooLong')
  return EMAIL_PATTERN.test(email) ? ok(email) : problem('validation.emailInvalid')
}

/** The tenant option `codeLength` when it is a usable length (4–8), else undefined: any 4 to 8 digits then. */
export function knownCodeLength(codeLength: number | undefined): number | undefined {
  return typeof codeLength === 'number' &&
    Number.isInteger(codeLength) &&
    codeLength >= CODE_LENGTH_MIN &&
    codeLength <= CODE_LENGTH_MAX
    ? codeLength
    : undefined
}

/**
 * A verification code: ASCII digits after normalisation, exactly `codeLength` of them when the tenant states it,
 * else 4 to 8. The message names a length only when the tenant stated one.
 */
export function validateCode(raw: string, codeLength?: number): Validation {
  const trimmed = trimSpaces(raw)
  if (!trimmed) return problem('validation.codeRequired')
  const code = compactNumber(trimmed)
  if (!/^\d+$/.test(code)) return problem('validation.codeDigits')
  const length = knownCodeLength(codeLength)
  if (length !== undefined) {
    return code.length === length ? ok(code) : problem('validation.codeLength', { length })
  }
  return code.length >= CODE_LENGTH_MIN && code.length <= CODE_LENGTH_MAX
    ? ok(code)
    : problem('validation.codeLengthRange', { min: CODE_LENGTH_MIN, max: CODE_LENGTH_MAX })
}

/**
 * A phone as the tenant gave it (mobile-by-token: `+86-15201657124`, `+8615201657124` or bare digits) in the form
 * send-code and mfa/sms take: 11 bare digits for +86, `+<area>-<number>` for other regions; anything else as given.
 */
export function sendableMobile(raw: string): string {
  const compact = compactNumber(trimSpaces(raw))
  const mainland = /^(?:\+?86)?(1\d{10})$/.exec(compact)
  if (mainland) return mainland[1]
  const withArea = /^\+(\d{1,4})-(\d{4,20})$/.exec(trimSpaces(raw).replace(/\s+/g, ''))
  if (withArea) return `+${withArea[1]}-${withArea[2]}`
  return trimSpaces(raw)
}
