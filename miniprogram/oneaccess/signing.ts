/**
 * OneAccess's signed calls (docs/oneaccess.md): `X-signature` = RSA encryption, with the application's public key, of
 * `session_token=…&timestamp=…&nonce=…`, base64. The key is fetched once per app run; the timestamp is the server's
 * clock, kept as an offset to the phone's from one `server-date` call.
 */
import { tenant } from '../config/index'
import { t } from '../i18n/index'
import { EiamError } from '../services/errors'
import { fetchPublicKey, fetchServerDate, type Signed } from './api'
import { rsaEncryptBase64 } from './rsa'
import { publicKeyPem, signatureText } from './signature-text'

let applicationKey: Promise<string> | undefined
/** server clock − phone clock, ms */
let clockOffset: Promise<number> | undefined

/** A failed load is retried by the next call (the subpackage download may have met a dead network). */
function once<T>(make: () => Promise<T>, forget: () => void): Promise<T> {
  return make().catch((error: unknown) => {
    forget()
    throw error
  })
}

function loadKey(): Promise<string> {
  if (!applicationKey) {
    applicationKey = once(
      async () => {
        const pem = publicKeyPem(await fetchPublicKey())
        if (!pem) throw new EiamError('server', t('error.unexpected'))
        return pem
      },
      () => (applicationKey = undefined),
    )
  }
  return applicationKey
}

function loadClockOffset(): Promise<number> {
  if (!clockOffset) {
    clockOffset = once(
      async () => {
        const sentAt = Date.now()
        const serverMs = await fetchServerDate()
        // the server read its clock about halfway through the round trip
        return serverMs - Math.round((sentAt + Date.now()) / 2)
      },
      () => (clockOffset = undefined),
    )
  }
  return clockOffset
}

/** Forget the key and the clock offset, so the next signature fetches both again. */
export function forgetSigningState(): void {
  applicationKey = undefined
  clockOffset = undefined
}

export async function sign(sessionToken: string): Promise<Signed> {
  const [pem, offset] = await Promise.all([loadKey(), loadClockOffset()])
  const text = signatureText(sessionToken, Date.now() + offset)
  const signature = rsaEncryptBase64(pem, text, tenant().signaturePadding)
  if (!signature) throw new EiamError('server', t('error.unexpected'))
  return { sessionToken, signature }
}

const SIGNATURE_REFUSED = 'SDK.COMMON.1004'

/**
 * Makes a signed call. A signature the tenant could not decrypt (COMMON.1004) is made once more with a freshly fetched
 * key and clock: the application key may have been changed, or the phone's clock moved, since they were read.
 */
export async function signedCall<T>(sessionToken: string, call: (signed: Signed) => Promise<T>): Promise<T> {
  try {
    return await call(await sign(sessionToken))
  } catch (error) {
    if (!(error instanceof EiamError) || error.code !== SIGNATURE_REFUSED) throw error
    forgetSigningState()
    return call(await sign(sessionToken))
  }
}
