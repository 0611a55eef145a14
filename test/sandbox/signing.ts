/** The `X-signature` of a OneAccess client (docs/oneaccess.md), for contract tests of the signed calls. */
import { constants, createPublicKey, publicEncrypt } from 'node:crypto'
import { ONEACCESS_ENDPOINT_PATHS } from '../../sandbox'
import { stringField, type Device } from './support'

/**
 * Reads the sandbox's public key (GET /public-key) once; answers a function that makes the headers of a call signed
 * (PKCS#1 padding) for a session token at an instant of the sandbox clock.
 */
export async function oneAccessSigner(
  device: Device,
): Promise<(sessionToken: string, at: number) => Record<string, string>> {
  const spki = stringField(await device.get(ONEACCESS_ENDPOINT_PATHS.publicKey), 'public_key')
  const key = createPublicKey({ key: Buffer.from(spki, 'base64'), format: 'der', type: 'spki' })
  return (sessionToken, at) => {
    const text = Buffer.from(`session_token=${sessionToken}&timestamp=${at}&nonce=${at.toString(16)}`)
    const signature = publicEncrypt({ key, padding: constants.RSA_PKCS1_PADDING }, text)
    return { 'X-signature': signature.toString('base64') }
  }
}
