/**
 * The `X-signature` of OneAccess's signed calls (docs/oneaccess.md): the text
 * `session_token=<token>&timestamp=<ms>&nonce=<timestamp in hex>`, RSA-encrypted with the application's public key,
 * base64. The sandbox makes its key pair at start, serves the public half as bare base64 DER (SubjectPublicKeyInfo),
 * and decrypts each signature with the private half.
 *
 * Node refuses PKCS#1 v1.5 private decryption (CVE-2023-46809), so that padding is checked here on the raw RSA
 * result: `00 02`, at least 8 non-zero random bytes, `00`, the text. OAEP (SHA-256 for the label hash and MGF1) is
 * Node's own.
 */
import { constants, generateKeyPair, privateDecrypt, type KeyObject } from 'node:crypto'
import { SandboxError } from './messages'
import type { SignaturePadding } from './options'

export const SIGNATURE_KEY_BITS = 2048
/** How far the signed timestamp may be from the sandbox's clock, either way. */
export const SIGNATURE_WINDOW_MS = 5 * 60 * 1000

export interface SignatureKey {
  privateKey: KeyObject
  /** base64 of the DER SubjectPublicKeyInfo, as `GET /public-key` answers it. */
  publicKeyBase64: string
}

export function makeSignatureKey(): Promise<SignatureKey> {
  return new Promise((resolve, reject) => {
    generateKeyPair('rsa', { modulusLength: SIGNATURE_KEY_BITS }, (error, publicKey, privateKey) => {
      if (error) reject(error)
      else
        resolve({
          privateKey,
          publicKeyBase64: publicKey.export({ type: 'spki', format: 'der' }).toString('base64'),
        })
    })
  })
}

/** What a well-formed signature says. */
export interface SignedText {
  sessionToken: string
  timestamp: number
}

const signatureError = () => new SandboxError('SDK.COMMON.1004')

/** The PKCS#1 v1.5 encryption block (type 2) around the text, or undefined when it is not one. */
function unpadPkcs1(block: Buffer): Buffer | undefined {
  if (block[0] !== 0x00 || block[1] !== 0x02) return undefined
  const separator = block.indexOf(0x00, 2)
  // at least 8 bytes of non-zero padding (RFC 8017 §7.2.1)
  if (separator < 10) return undefined
  return block.subarray(separator + 1)
}

export function decryptSignature(
  key: SignatureKey,
  signature: string | undefined,
  padding: SignaturePadding,
): Buffer {
  const text = signature?.trim() ?? ''
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(text)) throw signatureError()
  const cipher = Buffer.from(text, 'base64')
  if (cipher.length !== SIGNATURE_KEY_BITS / 8) throw signatureError()
  try {
    if (padding === 'oaep') {
      return privateDecrypt(
        { key: key.privateKey, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha256' },
        cipher,
      )
    }
    const plain = unpadPkcs1(
      privateDecrypt({ key: key.privateKey, padding: constants.RSA_NO_PADDING }, cipher),
    )
    if (plain) return plain
  } catch {
    // a value at or above the modulus, or an OAEP block that does not check out
  }
  throw signatureError()
}

/**
 * `session_token=…&timestamp=…&nonce=…`, exactly these three in this order; the nonce is the timestamp in hex
 * (either case), and the timestamp within `SIGNATURE_WINDOW_MS` of `now`.
 */
export function readSignedText(plain: Buffer, now: number): SignedText {
  const match = /^session_token=([^&=]+)&timestamp=(\d{1,16})&nonce=([0-9a-fA-F]{1,16})$/.exec(
    plain.toString('utf8'),
  )
  if (!match) throw signatureError()
  const [, sessionToken, digits, nonce] = match
  const timestamp = Number(digits)
  if (nonce.toLowerCase() !== timestamp.toString(16)) throw signatureError()
  if (Math.abs(now - timestamp) > SIGNATURE_WINDOW_MS) throw signatureError()
  return { sessionToken, timestamp }
}
