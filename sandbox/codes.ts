/**
 * Verification codes (docs/design.md "Codes"): random digits (6 by default, `codeLength` 4–8) stored per (type,
 * canonical target), with a lifetime, a resend interval, single use, and death after too many wrong tries. A wrong code
 * answers `SDK.COMMON.1006` naming verify_code, or with `wrongCode: 'vendor'` the vendor's `SDK.SMS.1005` (SMS) /
 * `SDK.SMS.1006` (email). The outbox keeps every code sent, for tests and hooks.
 */
import { randomInt } from 'node:crypto'
import { expired, SandboxError, wrongValue } from './messages'
import { KEEP_EXPIRED_MS, SweepSchedule, appendBounded } from './sweep'

export type Channel = 'sms' | 'email'

/** The send types each channel accepts: the bind, register and second-factor flows (docs/eiam-api.md §4). */
export const SEND_TYPES: Readonly<Record<Channel, readonly string[]>> = {
  sms: ['BIND_MOBILE_SMS', 'REGISTER_SMS', 'MFA_AUTH_SMS'],
  email: ['BIND_EMAIL_EMS', 'REGISTER_EMS', 'MFA_AUTH_EMS'],
}

/** The type a code must have been sent with to be accepted by each endpoint family. */
export const USE_TYPES = {
  bind: { sms: 'BIND_MOBILE_SMS', email: 'BIND_EMAIL_EMS' },
  register: { sms: 'REGISTER_SMS', email: 'REGISTER_EMS' },
  mfa: { sms: 'MFA_AUTH_SMS', email: 'MFA_AUTH_EMS' },
} as const

/** OneAccess names the second-factor SMS type OTP_REST_SMS (docs/oneaccess.md); the email type is the same. */
export const ONEACCESS_MFA_SMS_TYPE = 'OTP_REST_SMS'

/** The send types of a channel in a dialect: OneAccess swaps MFA_AUTH_SMS for OTP_REST_SMS. */
export function sendTypesOf(dialect: 'bamboo' | 'oneaccess', channel: Channel): readonly string[] {
  if (dialect === 'bamboo' || channel === 'email') return SEND_TYPES[channel]
  return SEND_TYPES.sms.map((type) => (type === USE_TYPES.mfa.sms ? ONEACCESS_MFA_SMS_TYPE : type))
}

/** The type a code must have been sent with, in a dialect. */
export function useTypeOf(
  dialect: 'bamboo' | 'oneaccess',
  flow: keyof typeof USE_TYPES,
  channel: Channel,
): string {
  return dialect === 'oneaccess' && flow === 'mfa' && channel === 'sms'
    ? ONEACCESS_MFA_SMS_TYPE
    : USE_TYPES[flow][channel]
}

export interface OutboxEntry {
  channel: Channel
  /** As the request sent it. */
  target: string
  type: string
  code: string
  at: number
}

interface StoredCode {
  code: string
  expiresAt: number
  wrongTries: number
  spent: boolean
  /** Canonical target, for lastCode(). */
  canonical: string
}

export interface CodeLimits {
  codeTtlS: number
  resendS: number
  maxWrongTries: number
  codeLength: number
  wrongCode: 'common' | 'vendor'
}

const keyOf = (type: string, canonical: string) => `${type}\n${canonical}`

/** The outbox keeps the newest codes only, so a long run cannot exhaust memory. */
export const OUTBOX_LIMIT = 10_000

export class CodeStore {
  private readonly codes = new Map<string, StoredCode>()
  /** Kept apart from `codes`: spending a code must not shorten the resend interval. */
  private readonly lastSentAt = new Map<string, number>()
  private readonly sent: Array<OutboxEntry & { canonical: string }> = []
  private readonly sweep: SweepSchedule

  constructor(
    private readonly limits: CodeLimits,
    private readonly now: () => number,
  ) {
    this.sweep = new SweepSchedule(now)
  }

  reset(): void {
    this.codes.clear()
    this.lastSentAt.clear()
    this.sent.length = 0
  }

  /** Whole seconds until this (type, target) may be sent again; 0 when it may. */
  retryAfterS(type: string, canonical: string): number {
    const last = this.lastSentAt.get(keyOf(type, canonical))
    if (last === undefined) return 0
    const waitMs = last + this.limits.resendS * 1000 - this.now()
    return waitMs > 0 ? Math.ceil(waitMs / 1000) : 0
  }

  /** Makes a new code for (type, target); it replaces any earlier one. */
  issue(channel: Channel, type: string, canonical: string, targetAsSent: string): OutboxEntry {
    const at = this.now()
    if (this.sweep.due()) this.forgetOld(at)
    const length = this.limits.codeLength
    const code = String(randomInt(0, 10 ** length)).padStart(length, '0')
    const key = keyOf(type, canonical)
    this.codes.set(key, {
      code,
      expiresAt: at + this.limits.codeTtlS * 1000,
      wrongTries: 0,
      spent: false,
      canonical,
    })
    this.lastSentAt.set(key, at)
    const entry = { channel, target: targetAsSent, type, code, at }
    appendBounded(this.sent, { ...entry, canonical }, OUTBOX_LIMIT)
    return entry
  }

  /** Codes long expired, and send times outside the resend interval (they no longer hold anything back). */
  private forgetOld(now: number): void {
    for (const [key, stored] of this.codes)
      if (stored.expiresAt < now - KEEP_EXPIRED_MS) this.codes.delete(key)
    const resendMs = this.limits.resendS * 1000
    for (const [key, sentAt] of this.lastSentAt) if (sentAt + resendMs <= now) this.lastSentAt.delete(key)
  }

  /**
   * Spends the code if it is right. A wrong code counts a try; a never-sent, spent or dead code answers
   * "verify_code parameter error", an expired one "verify_code has expired".
   */
  consume(type: string, canonical: string, code: string): void {
    const stored = this.codes.get(keyOf(type, canonical))
    if (!stored || stored.spent || stored.wrongTries >= this.limits.maxWrongTries) throw this.wrongCode(type)
    if (this.now() >= stored.expiresAt) throw expired('verify_code')
    if (stored.code !== code) {
      stored.wrongTries += 1
      throw this.wrongCode(type)
    }
    stored.spent = true
  }

  private wrongCode(type: string): SandboxError {
    if (this.limits.wrongCode === 'common') return wrongValue('verify_code')
    return new SandboxError(SEND_TYPES.email.includes(type) ? 'SDK.SMS.1006' : 'SDK.SMS.1005')
  }

  outbox(): OutboxEntry[] {
    return this.sent.map(({ channel, target, type, code, at }) => ({ channel, target, type, code, at }))
  }

  lastCode(canonical: string): string | undefined {
    for (let index = this.sent.length - 1; index >= 0; index--) {
      const entry = this.sent[index]
      if (entry && entry.canonical === canonical) return entry.code
    }
    return undefined
  }
}
