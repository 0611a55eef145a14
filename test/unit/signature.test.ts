/**
 * Known-answer tests of OneAccess's X-signature as the app makes it: the signing subpackage's RSA (jsencrypt) with a
 * key made here, decrypted here with Node's private key, and every part of the result checked.
 */
import { constants, generateKeyPairSync, privateDecrypt } from 'node:crypto'
import { rsaEncryptBase64 } from '../../miniprogram/oneaccess/rsa'
import { publicKeyPem, signatureText } from '../../miniprogram/oneaccess/signature-text'

const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 })
const bareBase64 = publicKey.export({ type: 'spki', format: 'der' }).toString('base64')
const SESSION_TOKEN = 'Xf3k9_session-token.value'
const TIMESTAMP = 1764806400123

/** The raw RSA block (Node refuses PKCS#1 v1.5 decryption, so the padding is checked here, byte by byte). */
function rawBlock(signature: string): Buffer {
  return privateDecrypt(
    { key: privateKey, padding: constants.RSA_NO_PADDING },
    Buffer.from(signature, 'base64'),
  )
}

function signedFields(text: string) {
  const fields = text.split('&').map((pair) => pair.split('='))
  return { names: fields.map(([name]) => name), values: Object.fromEntries(fields) as Record<string, string> }
}

describe('the signed text', () => {
  test('is session_token, timestamp and nonce = the timestamp in lower-case hex, in that order', () => {
    // 10^12 = 0xE8D4A51000
    expect(signatureText('abc', 1e12)).toBe('session_token=abc&timestamp=1000000000000&nonce=e8d4a51000')
    expect(signatureText('abc', 1e12 + 0.9)).toBe(
      'session_token=abc&timestamp=1000000000000&nonce=e8d4a51000',
    )
  })
})

describe('the application key as the tenant sends it', () => {
  test('bare base64 DER becomes a PEM public key with 64-character lines', () => {
    const pem = publicKeyPem(bareBase64) as string
    expect(pem.startsWith('-----BEGIN PUBLIC KEY-----\n')).toBe(true)
    expect(pem.endsWith('\n-----END PUBLIC KEY-----')).toBe(true)
    expect(pem.split('\n').slice(1, -1).join('')).toBe(bareBase64)
    expect(Math.max(...pem.split('\n').map((line) => line.length))).toBe(64)
  })

  test('PEM is accepted as it comes, also with escaped line breaks, and PKCS#1 RSA PUBLIC KEY too', () => {
    const spki = publicKey.export({ type: 'spki', format: 'pem' }).toString()
    const pkcs1 = publicKey.export({ type: 'pkcs1', format: 'pem' }).toString()
    expect(publicKeyPem(spki)).toBe(publicKeyPem(bareBase64))
    expect(publicKeyPem(spki.replace(/\n/g, '\\n'))).toBe(publicKeyPem(bareBase64))
    expect(publicKeyPem(pkcs1)).toMatch(
      /^-----BEGIN RSA PUBLIC KEY-----\n[\s\S]+\n-----END RSA PUBLIC KEY-----$/,
    )
  })

  test.each([[''], ['not a key'], ['AAAA'], ['-----BEGIN PUBLIC KEY-----\n%%%\n-----END PUBLIC KEY-----']])(
    '%p is refused',
    (answer) => {
      expect(publicKeyPem(answer)).toBeUndefined()
    },
  )
})

describe('X-signature, decrypted with the private key', () => {
  const text = signatureText(SESSION_TOKEN, TIMESTAMP)

  test('PKCS#1 v1.5: 00 02, at least 8 non-zero padding bytes, 00, then exactly the signed text', () => {
    for (const keyForm of [bareBase64, publicKey.export({ type: 'pkcs1', format: 'pem' }).toString()]) {
      const signature = rsaEncryptBase64(publicKeyPem(keyForm) as string, text, 'pkcs1') as string
      expect(signature).toMatch(/^[A-Za-z0-9+/]+={0,2}$/)
      const block = rawBlock(signature)
      expect(block).toHaveLength(256)
      expect([block[0], block[1]]).toEqual([0x00, 0x02])
      const separator = block.indexOf(0x00, 2)
      expect(separator).toBeGreaterThanOrEqual(10)
      expect(block.subarray(2, separator).every((byte) => byte !== 0)).toBe(true)
      const message = block.subarray(separator + 1).toString('utf8')
      const { names, values } = signedFields(message)
      expect(names).toEqual(['session_token', 'timestamp', 'nonce'])
      expect(values.session_token).toBe(SESSION_TOKEN)
      expect(values.timestamp).toBe(String(TIMESTAMP))
      expect(parseInt(values.nonce, 16)).toBe(TIMESTAMP)
      expect(values.nonce).toBe(TIMESTAMP.toString(16))
    }
  })

  test('PKCS#1 v1.5 padding is random: the same text never gives the same signature twice', () => {
    const pem = publicKeyPem(bareBase64) as string
    const first = rsaEncryptBase64(pem, text, 'pkcs1')
    const second = rsaEncryptBase64(pem, text, 'pkcs1')
    expect(first).not.toBe(second)
    expect(
      rawBlock(first as string)
        .subarray(-text.length)
        .toString(),
    ).toBe(text)
    expect(
      rawBlock(second as string)
        .subarray(-text.length)
        .toString(),
    ).toBe(text)
  })

  test('OAEP: Node decrypts it as OAEP with SHA-256 back to exactly the signed text', () => {
    const signature = rsaEncryptBase64(publicKeyPem(bareBase64) as string, text, 'oaep') as string
    const plain = privateDecrypt(
      { key: privateKey, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha256' },
      Buffer.from(signature, 'base64'),
    )
    expect(plain.toString('utf8')).toBe(text)
    // and it is not a PKCS#1 v1.5 block
    expect(rawBlock(signature).subarray(0, 2)).not.toEqual(Buffer.from([0x00, 0x02]))
  })

  test('an unusable key or a text too long for the key gives no signature, not a crash', () => {
    expect(
      rsaEncryptBase64('-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----', text, 'pkcs1'),
    ).toBeUndefined()
    expect(rsaEncryptBase64(publicKeyPem(bareBase64) as string, 'x'.repeat(300), 'pkcs1')).toBeUndefined()
  })
})
