/**
 * The `oneaccess` subpackage: what the OneAccess dialect adds (docs/oneaccess.md) — the signed calls, their RSA code
 * and jsencrypt. Nothing here is in the main package: services/subpackages.ts loads this module with `require.async`
 * the first time a OneAccess tenant signs out, refreshes or opens the account page; BambooCloud tenants never
 * download it.
 */
import {
  fetchSocialAccounts,
  logout,
  refreshIdTokenSigned,
  unbindSocialAccount,
  type SocialAccount,
} from './api'
import { signedCall } from './signing'

export type { SocialAccount } from './api'

/** `GET /logout`, signed: the session token is dead on the server once this resolves. */
export function logoutSession(sessionToken: string): Promise<void> {
  return signedCall(sessionToken, logout)
}

/** `POST /session-token/refresh-id-token`, signed: a new id_token; the session token stays as it is. */
export function refreshIdToken(sessionToken: string): Promise<string> {
  return signedCall(sessionToken, refreshIdTokenSigned)
}

/** `GET /social`, signed: the user's linked social accounts. */
export function socialAccounts(sessionToken: string): Promise<SocialAccount[]> {
  return signedCall(sessionToken, fetchSocialAccounts)
}

/** `POST /social/unbind-account {id}`, signed. */
export function unbindAccount(sessionToken: string, id: string): Promise<void> {
  return signedCall(sessionToken, (signed) => unbindSocialAccount(signed, id))
}
