/**
 * Input normalisation shared by validation and the sandbox's own checks (design.md "Validation"):
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
    if (code >= FULL_WIDTH_ZERO && code <= FULL_WIDTH_NINE) result += String.fromCharCode(code - FULL_WIDTH_ZERO + 48)
    else if (char === '＋') result += '+'
    else if (char === '－') result += '-'
    else result += char
  }
  return result
}

/** Whitespace of any width (incl. U+3000 and no-break space) and `-` removed, full-width digits made ASCII. */
export function compactNumber(text: string): string {
  return toAsciiDigits(text).replace(/[\s-]+/g, '')
}
