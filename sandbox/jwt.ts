/**
 * RS256 id_tokens. The RSA key is made once per process, at the first sandbox start, and never leaves memory
 * (restarting the sandbox makes a new one). Its public half is served as a JWKS by the test hooks.
 */
import { createHash, generateKeyPair, sign, type JsonWebKey, type KeyObject } from 'node:crypto'

export interface SigningKey {
  kid: string
  privateKey: KeyObject
  publicJwk: JsonWebKey & { kid: string; alg: 'RS256'; use: 'sig' }
}

const MODULUS_BITS = 2048

let processKey: Promise<SigningKey> | undefined

function makeKey(): Promise<SigningKey> {
  return new Promise((resolve, reject) => {
    generateKeyPair('rsa', { modulusLength: MODULUS_BITS }, (error, publicKey, privateKey) => {
      if (error) {
        reject(error)
        return
      }
      const jwk = publicKey.export({ format: 'jwk' })
      const kid = createHash('sha256').update(String(jwk.n)).digest('base64url').slice(0, 16)
      resolve({ kid, privateKey, publicJwk: { ...jwk, kid, alg: 'RS256', use: 'sig' } })
    })
  })
}

/** Made at the first call (about 0.1 s); a failed attempt is retried by the next caller. */
export function signingKey(): Promise<SigningKey> {
  processKey ??= makeKey().catch((error: unknown) => {
    processKey = undefined
    throw error
  })
  return processKey
}

const base64url = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url')

export function signJwt(key: SigningKey, claims: Record<string, unknown>): string {
  const signingInput = `${base64url({ alg: 'RS256', typ: 'JWT', kid: key.kid })}.${base64url(claims)}`
  const signature = sign('sha256', Buffer.from(signingInput), key.privateKey).toString('base64url')
  return `${signingInput}.${signature}`
}
