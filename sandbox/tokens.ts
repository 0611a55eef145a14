/**
 * State tokens (the temporary token of a login flow) and session tokens. Both are opaque random strings.
 * - A state token records its flow and device, and for the second factor its user. Status answers spend it, errors
 *   keep it (docs/design.md "State tokens"). Missing, unknown, spent, another device's or another flow's → COMMON.1007;
 *   expired → COMMON.1005 naming state_token.
 * - A session token lives `SESSION_LIFETIME_S`; refreshing rotates it (the old one stops working) unless the
 *   sandbox is told not to rotate.
 */
import { randomBytes } from 'node:crypto'
import { SandboxError, expired } from './messages'
import { KEEP_EXPIRED_MS, SweepSchedule } from './sweep'

/**
 * What a state token is for: binding (SOCIAL_BIND), bind-or-register (USER_REGISTER), a second factor (MFA_AUTH), or
 * the password change a password bind asked for (PASSWORD_EXPIRED: change only; PASSWORD_WARN: change or skip).
 */
export type Flow = 'bind' | 'register' | 'mfa' | 'password-expired' | 'password-expiring'

export const SESSION_LIFETIME_S = 432000

const newToken = () => randomBytes(24).toString('base64url')

export interface StateRecord {
  token: string
  fingerprint: string
  flow: Flow
  /** The user a second factor or a password change is asked of. */
  userId?: string
  expiresAt: number
}

const stateTokenError = () => new SandboxError('SDK.COMMON.1007')

export class StateTokens {
  private readonly records = new Map<string, StateRecord>()
  private readonly sweep: SweepSchedule

  constructor(
    private readonly ttlS: number,
    private readonly now: () => number,
  ) {
    this.sweep = new SweepSchedule(now)
  }

  reset(): void {
    this.records.clear()
  }

  issue(fingerprint: string, flow: Flow, userId?: string): string {
    if (this.sweep.due()) this.forgetExpired()
    const token = newToken()
    const record: StateRecord = { token, fingerprint, flow, expiresAt: this.now() + this.ttlS * 1000 }
    if (userId !== undefined) record.userId = userId
    this.records.set(token, record)
    return token
  }

  /** The live record of `token`, if it belongs to this device and to (one of) the flow(s); the token is not spent. */
  check(token: string | undefined, fingerprint: string, flow: Flow | readonly Flow[]): StateRecord {
    const record = token ? this.records.get(token) : undefined
    if (!record || record.fingerprint !== fingerprint) throw stateTokenError()
    if (this.now() >= record.expiresAt) throw expired('state_token')
    if (typeof flow === 'string' ? record.flow !== flow : !flow.includes(record.flow)) throw stateTokenError()
    return record
  }

  spend(record: StateRecord): void {
    this.records.delete(record.token)
  }

  /** Long-expired records only, so a recently expired token still answers "expired". */
  private forgetExpired(): void {
    const horizon = this.now() - KEEP_EXPIRED_MS
    for (const [token, record] of this.records) if (record.expiresAt < horizon) this.records.delete(token)
  }
}

interface SessionRecord {
  userId: string
  expiresAt: number
  /** Logged out, or rotated away by a refresh: issued here, no longer usable. */
  ended: boolean
}

const sessionError = () => new SandboxError('SDK.PARAM.0023')

/** What the sandbox knows of a session token: usable, issued but dead (ended or expired), or never issued. */
export type SessionLookup = { state: 'live'; userId: string } | { state: 'dead' } | { state: 'unknown' }

export class Sessions {
  private readonly records = new Map<string, SessionRecord>()
  private readonly sweep: SweepSchedule

  constructor(private readonly now: () => number) {
    this.sweep = new SweepSchedule(now)
  }

  reset(): void {
    this.records.clear()
  }

  issue(userId: string): { session_token: string; expire: number } {
    const now = this.now()
    if (this.sweep.due()) {
      // kept a while past expiry, so a recently expired token still answers "invalid or expired", not "unknown"
      const horizon = now - KEEP_EXPIRED_MS
      for (const [token, record] of this.records) if (record.expiresAt < horizon) this.records.delete(token)
    }
    const token = newToken()
    this.records.set(token, { userId, expiresAt: now + SESSION_LIFETIME_S * 1000, ended: false })
    return { session_token: token, expire: SESSION_LIFETIME_S }
  }

  lookup(token: string | undefined): SessionLookup {
    const record = token ? this.records.get(token) : undefined
    if (!record) return { state: 'unknown' }
    if (record.ended || this.now() >= record.expiresAt) return { state: 'dead' }
    return { state: 'live', userId: record.userId }
  }

  /** The user of a live session token; anything else is an invalid session (PARAM.0023). */
  userOf(token: string | undefined): string {
    const found = this.lookup(token)
    if (found.state !== 'live') throw sessionError()
    return found.userId
  }

  /** Logout: the token stops working at once. */
  end(token: string): void {
    const record = this.records.get(token)
    if (record) record.ended = true
  }

  /** Ends the session of `token` and answers its user, for the caller to issue the next one. */
  rotate(token: string | undefined): string {
    const userId = this.userOf(token)
    if (token) this.end(token)
    return userId
  }
}
