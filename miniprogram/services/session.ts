/**
 * The signed-in session: session_token and id_token with absolute expiries, in encrypted storage.
 * One refresh in flight at a time: a tenant may rotate the session_token on refresh, so two concurrent refreshes would
 * spend the same token twice and sign the user out. A tenant that does not rotate answers the same session_token
 * (with its full lifetime as `expire`): the session then ends when it always did, so its stored expiry is kept.
 */
import { LIMITS } from '../config/index'
import { decodeIdClaims, type IdClaims } from '../utils/jwt'
import { isEiamError } from './errors'
import { refreshIdToken, type SessionTokens } from './eiam'
import { readSecure, removeSecure, STORAGE_KEYS, writeSecure } from './storage'

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

export function sessionFrom(tokens: SessionTokens, receivedAt: number): StoredSession {
  const claims = decodeIdClaims(tokens.idToken)
  const exp = claims && claims.exp
  return {
    sessionToken: tokens.sessionToken,
    sessionExpiresAt: receivedAt + tokens.expire * 1000,
    idToken: tokens.idToken,
    idTokenExpiresAt: exp ? exp * 1000 : receivedAt + DEFAULT_ID_TOKEN_LIFETIME_MS,
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
 * New id_token (and the rotated session_token) through the API. A rejected session is dropped, so nothing keeps
 * using it; other failures (offline, busy) leave it in place for a later try.
 */
export function refreshSession(): Promise<StoredSession> {
  if (!refreshing) {
    refreshing = (async () => {
      const current = await loadSession()
      if (!current) throw new Error('no session to refresh')
      try {
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

/** Drops every token and the login flow; never the device fingerprint or the code countdowns. */
export async function signOut(): Promise<void> {
  // a refresh on its way would save its tokens after they were dropped: let it land first
  if (refreshing) await refreshing.catch(() => undefined)
  await Promise.all([
    removeSecure(STORAGE_KEYS.session),
    removeSecure(STORAGE_KEYS.flow),
    removeSecure(STORAGE_KEYS.draft),
  ])
}
