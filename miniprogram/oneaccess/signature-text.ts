/**
 * The pure parts of OneAccess's `X-signature` (docs/oneaccess.md): the signed text and the application key's form.
 */
import { base64ToBytes } from '../utils/base64'

/** `session_token=<token>&timestamp=<ms>&nonce=<timestamp in lower-case hex>` */
export function signatureText(sessionToken: string, timestampMs: number): string {
  const timestamp = Math.floor(timestampMs)
  return `session_token=${sessionToken}&timestamp=${timestamp}&nonce=${timestamp.toString(16)}`
}

const PEM = /-----BEGIN ((?:RSA )?PUBLIC KEY)-----([\s\S]*?)-----END \1-----/
const LINE = 64

/**
 * The application key as PEM, from what `GET /public-key` answers: bare base64 of the DER (SubjectPublicKeyInfo),
 * or PEM (`PUBLIC KEY` or `RSA PUBLIC KEY`), with any line breaks. `undefined` when it is neither.
 */
export function publicKeyPem(answer: string): string | undefined {
  const pem = PEM.exec(answer)
  const label = pem ? pem[1] : 'PUBLIC KEY'
  // some gateways hand PEM over with its line breaks written as the two characters `\n`
  const body = (pem ? pem[2] : answer).replace(/\\n/g, '').replace(/\s+/g, '')
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(body)) return undefined
  let der: Uint8Array
  try {
    der = base64ToBytes(body)
  } catch {
    return undefined
  }
  // a DER SEQUENCE, and long enough to hold an RSA modulus worth the name
  if (der.length < 64 || der[0] !== 0x30) return undefined
  const lines: string[] = []
  for (let index = 0; index < body.length; index += LINE) lines.push(body.slice(index, index + LINE))
  return `-----BEGIN ${label}-----\n${lines.join('\n')}\n-----END ${label}-----`
}
