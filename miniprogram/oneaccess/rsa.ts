/**
 * RSA encryption for OneAccess's `X-signature` (docs/oneaccess.md). jsencrypt weighs about 60 KB and only tenants of
 * the OneAccess dialect need it, so it lives in this subpackage's own `miniprogram_npm` (scripts/pack-npm.ts), where
 * WeChat's `require` finds it first.
 *
 * jsencrypt is pure JavaScript on jsbn's BigInteger (no BigInt, which iOS 12's JavaScriptCore lacks) and ships ES5.
 * Its PKCS#1 v1.5 padding bytes come from its own generator, seeded from `Math.random` where the runtime has no
 * `window.crypto` (WeChat): the padding keeps equal texts from giving equal signatures, while the secret the text
 * carries is the session token itself, which nobody can guess from a signature.
 */
import JSEncrypt from 'jsencrypt'

/** PKCS#1 v1.5 (`pkcs1`) or OAEP with SHA-256 for the label hash and MGF1 (`oaep`, jsencrypt's `encryptOAEP`). */
export type SignaturePadding = 'pkcs1' | 'oaep'

/**
 * base64 of `text` RSA-encrypted with `publicKeyPem` (PEM of a SubjectPublicKeyInfo or of a PKCS#1 RSAPublicKey);
 * `undefined` when the key is unusable or the text too long for it.
 */
export function rsaEncryptBase64(
  publicKeyPem: string,
  text: string,
  padding: SignaturePadding,
): string | undefined {
  try {
    const rsa = new JSEncrypt()
    rsa.setPublicKey(publicKeyPem)
    const encrypted = padding === 'oaep' ? rsa.encryptOAEP(text) : rsa.encrypt(text)
    return typeof encrypted === 'string' && encrypted ? encrypted : undefined
  } catch {
    // jsencrypt throws on some malformed keys instead of answering false
    return undefined
  }
}
