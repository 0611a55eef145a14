/**
 * The endpoints only OneAccess tenants serve (docs/oneaccess.md), one typed function each, like services/eiam.ts:
 * they live in this subpackage, with the RSA code, so that BambooCloud builds and the main package carry none of it.
 */
import { callEiam, type JsonObject } from '../services/http'
import { requireObject, requireString, unexpected } from '../services/eiam'

/** The paths only OneAccess tenants serve; their refresh replaces BambooCloud's `sso/session-token/id-token`. */
export const ONEACCESS_PATHS = {
  publicKey: '/api/v2/sdk/public-key',
  serverDate: '/api/v2/sdk/server-date',
  logout: '/api/v2/sdk/logout',
  social: '/api/v2/sdk/social',
  unbind: '/api/v2/sdk/social/unbind-account',
  refresh: '/api/v2/sdk/session-token/refresh-id-token',
} as const

/** A signed call: the session token it signs and the `X-signature` made of it. */
export interface Signed {
  sessionToken: string
  signature: string
}

/** The application's RSA public key, as the tenant writes it (bare base64 DER or PEM). */
export async function fetchPublicKey(): Promise<string> {
  return requireString(
    requireObject(await callEiam({ method: 'GET', path: ONEACCESS_PATHS.publicKey })),
    'public_key',
  )
}

/** The server's clock, epoch ms: `{"timestamp":"<ms>"}` (a string in the vendor's example; a number is accepted). */
export async function fetchServerDate(): Promise<number> {
  const body = requireObject(await callEiam({ method: 'GET', path: ONEACCESS_PATHS.serverDate }))
  const value = typeof body.timestamp === 'string' ? body.timestamp.trim() : body.timestamp
  const ms = typeof value === 'number' ? value : /^\d{1,16}$/.test(String(value)) ? Number(value) : NaN
  if (!Number.isFinite(ms) || ms <= 0) throw unexpected()
  return ms
}

/** 200 with an empty body: the session token is dead on the server. */
export async function logout({ sessionToken, signature }: Signed): Promise<void> {
  await callEiam({ method: 'GET', path: ONEACCESS_PATHS.logout, sessionToken, signature })
}

export interface SocialAccount {
  id: string
  /** e.g. `WECHAT_MINIPROGRAM` */
  type: string
  name: string
  /** epoch ms, when the tenant says */
  boundAt?: number
}

/** A time as the tenant may write it: epoch ms or s (number or digits), or an ISO / `YYYY-MM-DD HH:mm:ss` text. */
function timeOf(value: unknown): number | undefined {
  if (typeof value === 'number' && Number.isFinite(value) && value > 0)
    return value < 1e11 ? value * 1000 : value
  if (typeof value !== 'string' || !value.trim()) return undefined
  const text = value.trim()
  if (/^\d+$/.test(text)) return timeOf(Number(text))
  const ms = Date.parse(/^\d{4}-\d{2}-\d{2} \d/.test(text) ? text.replace(' ', 'T') : text)
  return Number.isFinite(ms) ? ms : undefined
}

/**
 * The one reader of `GET /social`. Its shape is not in the vendor's pages: the client reads
 * `{"social_accounts":[{id, type, name, bound_at}]}` (also a bare array, or `data` around it), and skips entries
 * without an id.
 */
export function parseSocialAccounts(raw: unknown): SocialAccount[] {
  const container = (typeof raw === 'object' && raw !== null ? raw : {}) as JsonObject
  const list = Array.isArray(raw)
    ? raw
    : Array.isArray(container.social_accounts)
      ? container.social_accounts
      : Array.isArray(container.data)
        ? container.data
        : undefined
  if (!list) throw unexpected()
  const accounts: SocialAccount[] = []
  for (const item of list) {
    if (typeof item !== 'object' || item === null) continue
    const entry = item as JsonObject
    const id =
      typeof entry.id === 'number' ? String(entry.id) : typeof entry.id === 'string' ? entry.id.trim() : ''
    if (!id) continue
    const account: SocialAccount = {
      id,
      type: typeof entry.type === 'string' ? entry.type.trim() : '',
      name: typeof entry.name === 'string' ? entry.name.trim() : '',
    }
    const boundAt = timeOf(entry.bound_at)
    if (boundAt !== undefined) account.boundAt = boundAt
    accounts.push(account)
  }
  return accounts
}

export async function fetchSocialAccounts({ sessionToken, signature }: Signed): Promise<SocialAccount[]> {
  return parseSocialAccounts(
    await callEiam({ method: 'GET', path: ONEACCESS_PATHS.social, sessionToken, signature }),
  )
}

/** 200 with an empty body: that WeChat identity is no longer linked to the user. */
export async function unbindSocialAccount({ sessionToken, signature }: Signed, id: string): Promise<void> {
  await callEiam({ method: 'POST', path: ONEACCESS_PATHS.unbind, sessionToken, signature, body: { id } })
}

/** OneAccess's refresh: a new id_token only; the session token and its expiry stay as they were. */
export async function refreshIdTokenSigned({ sessionToken, signature }: Signed): Promise<string> {
  const body = requireObject(
    await callEiam({ method: 'POST', path: ONEACCESS_PATHS.refresh, sessionToken, signature }),
  )
  return requireString(body, 'id_token').trim()
}
