/**
 * State tokens (the temporary token of a login flow) and session tokens. Both are opaque random strings.
 * - A state token records its flow and device, and for the second factor its user. Status answers spend it, errors
 *   keep it (docs/design.md "State tokens"). Missing, unknown, spent, another device's or another flow's → COMMON.1007;
 *   expired → COMMON.1005 naming state_token.
 * - A session token lives `SESSION_LIFETIME_S`; refreshing always rotates it, and the old one stops working.
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
}

const sessionError = () => new SandboxError('SDK.PARAM.0023')

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
      for (const [token, record] of this.records) if (record.expiresAt <= now) this.records.delete(token)
    }
    const token = newToken()
    this.records.set(token, { userId, expiresAt: now + SESSION_LIFETIME_S * 1000 })
    return { session_token: token, expire: SESSION_LIFETIME_S }
  }

  /** Ends the session of `token` and answers its user, for the caller to issue the next one. */
  rotate(token: string | undefined): string {
    const record = token ? this.records.get(token) : undefined
    if (!token || !record || this.now() >= record.expiresAt) throw sessionError()
    this.records.delete(token)
    return record.userId
  }
}
