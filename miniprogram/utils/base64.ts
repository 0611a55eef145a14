/**
 * Base64 and UTF-8 without `atob`, `TextDecoder` or `Buffer`, none of which every WeChat base library has.
 */
const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/'
const LOOKUP: Record<string, number> = {}
for (let index = 0; index < ALPHABET.length; index += 1) LOOKUP[ALPHABET[index]] = index

export function bytesToBase64(bytes: Uint8Array): string {
  let out = ''
  for (let index = 0; index < bytes.length; index += 3) {
    const a = bytes[index]
    const b = index + 1 < bytes.length ? bytes[index + 1] : 0
    const c = index + 2 < bytes.length ? bytes[index + 2] : 0
    const triple = (a << 16) | (b << 8) | c
    out += ALPHABET[(triple >> 18) & 63] + ALPHABET[(triple >> 12) & 63]
    out += index + 1 < bytes.length ? ALPHABET[(triple >> 6) & 63] : '='
    out += index + 2 < bytes.length ? ALPHABET[triple & 63] : '='
  }
  return out
}

/** Accepts standard and URL-safe alphabets, with or without padding; throws on anything else. */
export function base64ToBytes(text: string): Uint8Array {
  const clean = text.replace(/-/g, '+').replace(/_/g, '/').replace(/=+$/, '')
  if (clean.length % 4 === 1) throw new Error('invalid base64 length')
  const bytes = new Uint8Array(Math.floor((clean.length * 3) / 4))
  let buffer = 0
  let bits = 0
  let offset = 0
  for (const char of clean) {
    const value = LOOKUP[char]
    if (value === undefined) throw new Error('invalid base64 character')
    buffer = (buffer << 6) | value
    bits += 6
    if (bits >= 8) {
      bits -= 8
      bytes[offset] = (buffer >> bits) & 0xff
      offset += 1
    }
  }
  return bytes
}

export function utf8Encode(text: string): Uint8Array {
  const bytes: number[] = []
  for (const char of text) {
    const code = char.codePointAt(0) as number
    if (code < 0x80) bytes.push(code)
    else if (code < 0x800) bytes.push(0xc0 | (code >> 6), 0x80 | (code & 63))
    else if (code < 0x10000) bytes.push(0xe0 | (code >> 12), 0x80 | ((code >> 6) & 63), 0x80 | (code & 63))
    else
      bytes.push(
        0xf0 | (code >> 18),
        0x80 | ((code >> 12) & 63),
        0x80 | ((code >> 6) & 63),
        0x80 | (code & 63),
      )
  }
  return new Uint8Array(bytes)
}

/** Strict: malformed UTF-8 throws (decodeURIComponent rejects invalid sequences). */
export function utf8Decode(bytes: Uint8Array): string {
  let escaped = ''
  for (const byte of bytes) escaped += byte < 16 ? `%0${byte.toString(16)}` : `%${byte.toString(16)}`
  return decodeURIComponent(escaped)
}
