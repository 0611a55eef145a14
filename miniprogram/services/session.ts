/**
 * The signed-in session: session_token and id_token with absolute expiries, in encrypted storage.
 * One refresh in flight at a time: a tenant may rotate the session_token on refresh, so two concurrent refreshes would
 * spend the same token twice and sign the user out. A tenant that does not rotate answers the same session_token
 * (with its full lifetime as `expire`): the session then ends when it always did, so its stored expiry is kept.
 */
import { LIMITS, tenant } from '../config/index'
import { decodeIdClaims, type IdClaims } from '../utils/jwt'
import { isEiamError } from './errors'
import { refreshIdToken, type SessionTokens } from './eiam'
import {
  readPlain,
  readSecure,
  removePlain,
  removeSecure,
  STORAGE_KEYS,
  writePlain,
  writeSecure,
} from './storage'
import { loadOneAccess } from './subpackages'

export interface StoredSession {
  sessionToken: string
  /** epoch ms: receive time + `expire` */
  sessionExpiresAt: number
  idToken: string
  /** epoch ms from the id_token's `exp` (receive time + 1 h when it has none) */
  idTokenExpiresAt: number
}

export type SessionState = 'none' | 'valid' | 'id-token-expired' | 'expired'

const DEFAULT_ID_TOKEN_LIFETIME_MS = 3600 * 1000

let refreshing: Promise<StoredSession> | undefined

/** epoch ms from the id_token's `exp`, or receive time + 1 h when it has none */
function idTokenExpiry(idToken: string, receivedAt: number): number {
  const claims = decodeIdClaims(idToken)
  const exp = claims && claims.exp
  return exp ? exp * 1000 : receivedAt + DEFAULT_ID_TOKEN_LIFETIME_MS
}

export function sessionFrom(tokens: SessionTokens, receivedAt: number): StoredSession {
  return {
    sessionToken: tokens.sessionToken,
    sessionExpiresAt: receivedAt + tokens.expire * 1000,
    idToken: tokens.idToken,
    idTokenExpiresAt: idTokenExpiry(tokens.idToken, receivedAt),
  }
}

export async function saveSession(tokens: SessionTokens, receivedAt = Date.now()): Promise<StoredSession> {
  const session = sessionFrom(tokens, receivedAt)
  await writeSecure(STORAGE_KEYS.session, session)
  return session
}

export function loadSession(): Promise<StoredSession | undefined> {
  return readSecure<StoredSession>(STORAGE_KEYS.session)
}

export function sessionState(session: StoredSession | undefined, now = Date.now()): SessionState {
  if (!session || typeof session.sessionToken !== 'string') return 'none'
  if (session.sessionExpiresAt <= now) return 'expired'
  if (session.idTokenExpiresAt - LIMITS.idTokenLeewayS * 1000 <= now) return 'id-token-expired'
  return 'valid'
}

export function claimsOf(session: StoredSession): IdClaims {
  return decodeIdClaims(session.idToken) || {}
}

/**
 * New id_token (and the rotated session_token) through the API of the tenant's dialect. A rejected session is dropped, so nothing keeps
 * using it; other failures (offline, busy) leave it in place for a later try.
 */
export function refreshSession(): Promise<StoredSession> {
  if (!refreshing) {
    refreshing = (async () => {
      const current = await loadSession()
      if (!current) throw new Error('no session to refresh')
      try {
        if (tenant().dialect === 'oneaccess') {
          // OneAccess answers a new id_token only: the session token and its expiry stay as they were
          const idToken = await (await loadOneAccess()).refreshIdToken(current.sessionToken)
          const next = { ...current, idToken, idTokenExpiresAt: idTokenExpiry(idToken, Date.now()) }
          await writeSecure(STORAGE_KEYS.session, next)
          return next
        }
        const receivedAt = Date.now()
        const tokens = await refreshIdToken(current.sessionToken)
        const session = sessionFrom(tokens, receivedAt)
        if (tokens.sessionToken === current.sessionToken) session.sessionExpiresAt = current.sessionExpiresAt
        await writeSecure(STORAGE_KEYS.session, session)
        return session
      } catch (error) {
        if (isEiamError(error, 'session')) await removeSecure(STORAGE_KEYS.session)
        throw error
      }
    })().finally(() => {
      refreshing = undefined
    })
  }
  return refreshing
}

/** A session usable right now: refreshed first when only its id_token expired; `undefined` when there is none. */
export async function usableSession(): Promise<StoredSession | undefined> {
  const session = await loadSession()
  const state = sessionState(session)
  if (state === 'valid') return session
  if (state === 'id-token-expired') return refreshSession()
  if (state === 'expired') await removeSecure(STORAGE_KEYS.session)
  return undefined
}

/**
 * Signs out. OneAccess first ends the session on the server (`GET /logout`, signed); then, whatever that answered,
 * every token, the login flow and the draft are dropped — never the device fingerprint or the code countdowns.
 * When the server's session may outlive this (BambooCloud has no logout; OneAccess's failed), launch is left a
 * notice of until when (see `signOutNotice`).
 */
export async function signOut(): Promise<void> {
  // a refresh on its way would save its tokens after they were dropped: let it land first
  if (refreshing) await refreshing.catch(() => undefined)
  const session = await loadSession()
  const state = sessionState(session)
  let aliveUntil = session && state !== 'none' && state !== 'expired' ? session.sessionExpiresAt : 0
  if (session && aliveUntil && tenant().dialect === 'oneaccess') {
    try {
      await (await loadOneAccess()).logoutSession(session.sessionToken)
      aliveUntil = 0
    } catch (error) {
      // an invalid session is already dead on the server
      if (isEiamError(error, 'session')) aliveUntil = 0
    }
  }
  await Promise.all([
    removeSecure(STORAGE_KEYS.session),
    removeSecure(STORAGE_KEYS.flow),
    removeSecure(STORAGE_KEYS.draft),
  ])
  if (aliveUntil) writePlain(STORAGE_KEYS.signOutNotice, aliveUntil)
  else removePlain(STORAGE_KEYS.signOutNotice)
}

/** Until when the last sign-out left the server's session alive (epoch ms), if that is still ahead. */
export function signOutNotice(now = Date.now()): number | undefined {
  const until = readPlain<number>(STORAGE_KEYS.signOutNotice)
  return typeof until === 'number' && until > now ? until : undefined
}

/** Forgets the notice: a new sign-in is under way. */
export function clearSignOutNotice(): void {
  removePlain(STORAGE_KEYS.signOutNotice)
}
