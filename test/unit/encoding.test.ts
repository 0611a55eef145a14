import { createCipheriv } from 'node:crypto'
import { aesEcbEncryptBase64 } from '../../miniprogram/utils/aes-ecb'
import { base64ToBytes, bytesToBase64, utf8Decode, utf8Encode } from '../../miniprogram/utils/base64'

/** A seeded generator, so a failure names inputs that can be replayed. */
function seededRandom(seed: number): () => number {
  let state = seed >>> 0
  return () => {
    state = (state + 0x6d2b79f5) >>> 0
    let mixed = Math.imul(state ^ (state >>> 15), 1 | state)
    mixed = (mixed + Math.imul(mixed ^ (mixed >>> 7), 61 | mixed)) ^ mixed
    return ((mixed ^ (mixed >>> 14)) >>> 0) / 4294967296
  }
}

const random = seededRandom(20240607)
const randomInt = (below: number) => Math.floor(random() * below)

function randomBytes(length: number): Uint8Array {
  const bytes = new Uint8Array(length)
  for (let index = 0; index < length; index += 1) bytes[index] = randomInt(256)
  return bytes
}

const ASCII_PRINTABLE = Array.from({ length: 95 }, (_, index) => String.fromCharCode(32 + index)).join('')
const randomAscii = (length: number) =>
  Array.from({ length }, () => ASCII_PRINTABLE[randomInt(ASCII_PRINTABLE.length)]).join('')

/** Mixed text: ASCII, accented Latin, CJK and astral (emoji) characters. */
function randomText(characters: number): string {
  const pools = [
    () => ASCII_PRINTABLE[randomInt(ASCII_PRINTABLE.length)],
    () => String.fromCodePoint(0xa0 + randomInt(0x700)),
    () => String.fromCodePoint(0x4e00 + randomInt(0x5000)),
    () => String.fromCodePoint(0x1f300 + randomInt(0x300)),
  ]
  return Array.from({ length: characters }, () => pools[randomInt(pools.length)]()).join('')
}

const nodeEcb = (plainText: string, keyText: string) => {
  const key = Buffer.from(keyText, 'utf8')
  const cipher = createCipheriv(`aes-${key.length * 8}-ecb`, key, null)
  return Buffer.concat([cipher.update(plainText, 'utf8'), cipher.final()]).toString('base64')
}

describe('base64', () => {
  test('encoding random bytes of every length up to 64 gives what Node gives', () => {
    for (let length = 0; length <= 64; length += 1) {
      for (let round = 0; round < 5; round += 1) {
        const bytes = randomBytes(length)
        expect(bytesToBase64(bytes)).toBe(Buffer.from(bytes).toString('base64'))
      }
    }
  })

  test('decoding gives back the same bytes, with or without padding', () => {
    for (let length = 0; length <= 64; length += 1) {
      const bytes = randomBytes(length)
      const encoded = Buffer.from(bytes).toString('base64')
      expect(base64ToBytes(encoded)).toEqual(new Uint8Array(bytes))
      expect(base64ToBytes(encoded.replace(/=+$/, ''))).toEqual(new Uint8Array(bytes))
    }
  })

  test('the URL-safe alphabet decodes to the same bytes as the standard one', () => {
    let sawUrlSafeCharacters = false
    for (let round = 0; round < 200; round += 1) {
      const bytes = randomBytes(1 + randomInt(48))
      const urlSafe = Buffer.from(bytes).toString('base64url')
      if (/[-_]/.test(urlSafe)) sawUrlSafeCharacters = true
      expect(base64ToBytes(urlSafe)).toEqual(new Uint8Array(bytes))
    }
    expect(sawUrlSafeCharacters).toBe(true)
  })

  test('the characters that differ between the alphabets decode to the same values', () => {
    expect(base64ToBytes('-_-_')).toEqual(base64ToBytes('+/+/'))
    expect(Array.from(base64ToBytes('-_-_'))).toEqual([0xfb, 0xff, 0xbf])
  })

  test('empty text decodes to no bytes and no bytes encode to empty text', () => {
    expect(base64ToBytes('')).toEqual(new Uint8Array(0))
    expect(bytesToBase64(new Uint8Array(0))).toBe('')
  })

  test('characters outside both alphabets throw', () => {
    for (const text of ['QUJD!', 'QU JD', 'QU=JD', 'QUJ\n', 'QUJDé', '😀😀']) {
      expect(() => base64ToBytes(text)).toThrow('invalid base64')
    }
  })

  test('a length that cannot come from any byte count throws', () => {
    expect(() => base64ToBytes('Q')).toThrow('invalid base64 length')
    expect(() => base64ToBytes('QUJDR')).toThrow('invalid base64 length')
    expect(() => base64ToBytes('QUJDR===')).toThrow('invalid base64 length')
  })
})

describe('UTF-8', () => {
  const samples = [
    '',
    'zhangsan',
    '张三',
    '李四 lisi',
    'Ünïcödé',
    '😀👍🏽',
    '中文😀mixed 한국어',
    '\u0000\u007f\u0080\u07ff\u0800\uffff',
  ]

  test('encoding Chinese, emoji and boundary characters gives the bytes Node gives', () => {
    for (const text of samples) {
      expect(utf8Encode(text)).toEqual(new Uint8Array(Buffer.from(text, 'utf8')))
    }
  })

  test('decoding the bytes Node gives returns the same text', () => {
    for (const text of samples) {
      expect(utf8Decode(new Uint8Array(Buffer.from(text, 'utf8')))).toBe(text)
    }
  })

  test('random mixed text survives a round trip and matches Node byte for byte', () => {
    for (let round = 0; round < 200; round += 1) {
      const text = randomText(randomInt(40))
      const bytes = utf8Encode(text)
      expect(bytes).toEqual(new Uint8Array(Buffer.from(text, 'utf8')))
      expect(utf8Decode(bytes)).toBe(text)
    }
  })

  test('malformed UTF-8 throws instead of decoding to something else', () => {
    const malformed = [
      [0xff],
      [0x80],
      [0xc3],
      [0xe4, 0xb8],
      [0xf0, 0x9f, 0x98],
      [0xc0, 0x80],
      [0xe0, 0x80, 0x80],
      [0xed, 0xa0, 0x80],
      [0xf4, 0x90, 0x80, 0x80],
      [0x61, 0xe4, 0x61],
    ]
    for (const bytes of malformed) {
      expect(() => utf8Decode(new Uint8Array(bytes))).toThrow()
    }
  })
})

describe('AES-ECB with PKCS#7 padding', () => {
  test.each([16, 24, 32])('%i-byte keys give what node:crypto gives for random texts', (keyLength) => {
    for (let round = 0; round < 40; round += 1) {
      const key = randomAscii(keyLength)
      const plainText = randomText(randomInt(50))
      expect(aesEcbEncryptBase64(plainText, key)).toBe(nodeEcb(plainText, key))
    }
  })

  test('the captcha point of an AJ-Captcha puzzle encrypts as node:crypto does', () => {
    const point = '{"x":237.0,"y":5.0}'
    expect(aesEcbEncryptBase64(point, 'XwKsGlMcdPMEhR1B')).toBe(nodeEcb(point, 'XwKsGlMcdPMEhR1B'))
  })

  test('texts of 0, 15, 16 and 17 bytes are padded to whole blocks as node:crypto pads them', () => {
    const key = 'abcdefghijklmnop'
    for (const plainText of ['', 'a'.repeat(15), 'a'.repeat(16), 'a'.repeat(17), 'a'.repeat(32)]) {
      const encrypted = aesEcbEncryptBase64(plainText, key)
      expect(encrypted).toBe(nodeEcb(plainText, key))
      expect(Buffer.from(encrypted, 'base64').length).toBe((Math.floor(plainText.length / 16) + 1) * 16)
    }
  })

  test("the key is the key text's UTF-8 bytes, so Chinese characters count three bytes each", () => {
    const key = '密钥密钥密a'
    expect(Buffer.byteLength(key, 'utf8')).toBe(16)
    expect(aesEcbEncryptBase64('{"x":1.0,"y":5.0}', key)).toBe(nodeEcb('{"x":1.0,"y":5.0}', key))
  })

  test('keys that are not 16, 24 or 32 bytes throw', () => {
    for (const key of [
      '',
      'short',
      'a'.repeat(15),
      'a'.repeat(17),
      'a'.repeat(23),
      'a'.repeat(33),
      '密钥密钥密钥',
    ]) {
      expect(() => aesEcbEncryptBase64('{"x":1.0,"y":5.0}', key)).toThrow(
        'AES key must be 16, 24 or 32 bytes',
      )
    }
  })
})
