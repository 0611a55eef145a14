/**
 * Input normalisation shared by validation and the sandbox's own checks (docs/design.md "Validation and display"):
 * full-width digits and plus/minus become ASCII, spaces and `-` inside numbers disappear. Nothing else is forgiven:
 * letters, emoji, direction marks or zero-width characters stay, so validation rejects them.
 */

const FULL_WIDTH_ZERO = 0xff10
const FULL_WIDTH_NINE = 0xff19

/** Full-width digits `０`–`９`, `＋` and `－` → ASCII. */
export function toAsciiDigits(text: string): string {
  let result = ''
  for (const char of text) {
    const code = char.charCodeAt(0)
    if (code >= FULL_WIDTH_ZERO && code <= FULL_WIDTH_NINE)
      result += String.fromCharCode(code - FULL_WIDTH_ZERO + 48)
    else if (char === '＋') result += '+'
    else if (char === '－') result += '-'
    else result += char
  }
  return result
}

/**
 * The spaces people type or paste: ASCII whitespace, no-break, the typographic spaces and U+3000. Not `\s`, which also
 * matches U+FEFF (zero-width), a character validation must reject rather than forgive.
 */
const SPACES = '\\t\\n\\v\\f\\r \\u00a0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000'
const EDGE_SPACES = new RegExp(`^[${SPACES}]+|[${SPACES}]+$`, 'g')
const INNER_SEPARATORS = new RegExp(`[${SPACES}-]+`, 'g')

/** Like `String.prototype.trim`, minus U+FEFF. */
export function trimSpaces(text: string): string {
  return text.replace(EDGE_SPACES, '')
}

/** Spaces of any width and `-` removed, full-width digits made ASCII. */
export function compactNumber(text: string): string {
  return toAsciiDigits(text).replace(INNER_SEPARATORS, '')
}
