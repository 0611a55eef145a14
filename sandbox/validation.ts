/**
 * Format rules for mobiles, emails and codes (docs/design.md "Validation and display"), and the regions of the country-codes answer.
 * The sandbox keeps its own copy of these rules on purpose: sharing the client's code would hide the client's bugs.
 *
 * Canonical forms, used wherever two spellings must compare equal:
 * - +86 mobile: 11 bare digits (`13900139000`, `+8613900139000`, `+86-139 0013 9000` are one number);
 * - other regions: `+<area>-<national digits>`;
 * - email: lower case.
 */

export interface Region {
  areaCode: string
  countryCode: string
  displayMapping: { zh: string; en: string }
  /** Tested against the national number; accepts the area prefix too, as the vendor's patterns do. */
  mobileRegex: string
}

export const REGIONS: readonly Region[] = [
  {
    areaCode: '+86',
    countryCode: 'CN',
    displayMapping: { zh: '中国大陆', en: 'Chinese mainland' },
    mobileRegex: '^(\\+86){0,1}\\-?1[3-9]\\d{9}$',
  },
  {
    areaCode: '+852',
    countryCode: 'HK',
    displayMapping: { zh: '中国香港', en: 'Hong Kong, China' },
    mobileRegex: '^(\\+852){0,1}\\-?[4-9]\\d{7}$',
  },
  {
    areaCode: '+853',
    countryCode: 'MO',
    displayMapping: { zh: '中国澳门', en: 'Macao, China' },
    mobileRegex: '^(\\+853){0,1}\\-?6\\d{7}$',
  },
  {
    areaCode: '+886',
    countryCode: 'TW',
    displayMapping: { zh: '中国台湾', en: 'Taiwan, China' },
    mobileRegex: '^(\\+886){0,1}\\-?0?9\\d{8}$',
  },
  {
    areaCode: '+65',
    countryCode: 'SG',
    displayMapping: { zh: '新加坡', en: 'Singapore' },
    mobileRegex: '^(\\+65){0,1}\\-?[89]\\d{7}$',
  },
  {
    areaCode: '+1',
    countryCode: 'US',
    displayMapping: { zh: '美国', en: 'United States' },
    mobileRegex: '^(\\+1){0,1}\\-?[2-9]\\d{2}[2-9]\\d{6}$',
  },
]

export const PREFERRED_AREA_CODE = '+86'

export const EMAIL_PATTERN = /^[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}$/
export const EMAIL_MAX_LENGTH = 254
const MAINLAND_MOBILE = /^1[3-9]\d{9}$/
/** Any code the client may send (docs/eiam-api.md §10: 4 to 8 digits); its length is checked as part of its value. */
const CODE_PATTERN = /^\d{4,8}$/

const FULL_WIDTH_OFFSET = 0xff10 - 0x30

/** Full-width digits, `＋` and `－` become ASCII; nothing else is forgiven. */
export function toAscii(text: string): string {
  return text
    .replace(/[\uFF10-\uFF19]/g, (digit) => String.fromCharCode(digit.charCodeAt(0) - FULL_WIDTH_OFFSET))
    .replace(/＋/g, '+')
    .replace(/－/g, '-')
}

/**
 * The spaces people type or paste (ASCII whitespace, no-break, the typographic spaces, U+3000). Not `\s`, which also
 * matches U+FEFF: a zero-width character is refused, as the client refuses it, never silently dropped.
 */
const SPACES = '\\t\\n\\v\\f\\r \\u00a0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000'
const EDGE_SPACES = new RegExp(`^[${SPACES}]+|[${SPACES}]+$`, 'g')
const SEPARATORS = new RegExp(`[${SPACES}-]+`, 'g')

/** Spaces of any width and `-` removed, full-width made ASCII. */
function compact(text: string): string {
  return toAscii(text).replace(SEPARATORS, '')
}

/** By longest area code first, so `+852…` is never read as `+85…`. */
const REGIONS_BY_PREFIX = [...REGIONS].sort((a, b) => b.areaCode.length - a.areaCode.length)

/** The canonical form of a mobile that passes the format rules, else undefined. */
export function canonicalMobile(input: string): string | undefined {
  const number = compact(input)
  if (number.startsWith('+')) {
    const region = REGIONS_BY_PREFIX.find((candidate) => number.startsWith(candidate.areaCode))
    if (!region) return undefined
    const national = number.slice(region.areaCode.length)
    if (region.areaCode === PREFERRED_AREA_CODE) return MAINLAND_MOBILE.test(national) ? national : undefined
    if (!/^\d{1,20}$/.test(national) || !new RegExp(region.mobileRegex).test(national)) return undefined
    return `${region.areaCode}-${national}`
  }
  return MAINLAND_MOBILE.test(number) ? number : undefined
}

/** The canonical (lower-case) form of an email that passes the format rules, else undefined. */
export function canonicalEmail(input: string): string | undefined {
  const email = input.replace(EDGE_SPACES, '')
  if (email.length > EMAIL_MAX_LENGTH || !EMAIL_PATTERN.test(email)) return undefined
  return email.toLowerCase()
}

/** A captcha `sender` or an outbox lookup: a mobile or an email, whichever it is. */
export function canonicalTarget(input: string): string | undefined {
  return input.includes('@') ? canonicalEmail(input) : canonicalMobile(input)
}

/** A verification code after the same normalisation as mobiles: 4 to 8 ASCII digits. */
export function canonicalCode(input: string): string | undefined {
  const code = compact(input)
  return CODE_PATTERN.test(code) ? code : undefined
}

/** How claims and mobile-by-token show a mobile: `+86-13900139000`, `+852-51234567`. */
export function displayMobile(canonical: string): string {
  return canonical.startsWith('+') ? canonical : `${PREFERRED_AREA_CODE}-${canonical}`
}
