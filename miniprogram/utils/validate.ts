/**
 * Pure field validation. Each check answers either the value to send (normalised) or the i18n key of the problem,
 * so pages show messages and never compute them.
 */
import type { Strings } from '../i18n/index'
import { compactNumber, trimSpaces } from './normalise'

/** The i18n key of a validation problem, `'validation.mobileRequired'`. */
export type ValidationKey = `validation.${keyof Strings['validation'] & string}`

export type Validation = { ok: true; value: string } | { ok: false; error: ValidationKey }

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
export const CODE_LENGTH = 6
const MAINLAND_MOBILE = /^1[3-9]\d{9}$/

const ok = (value: string): Validation => ({ ok: true, value })
const problem = (error: ValidationKey): Validation => ({ ok: false, error })

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

export function validateCode(raw: string): Validation {
  const trimmed = trimSpaces(raw)
  if (!trimmed) return problem('validation.codeRequired')
  const code = compactNumber(trimmed)
  if (!/^\d+$/.test(code)) return problem('validation.codeDigits')
  return code.length === CODE_LENGTH ? ok(code) : problem('validation.codeLength')
}
