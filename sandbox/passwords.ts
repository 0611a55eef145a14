/**
 * Password sign-in attempts and the lockout (docs/password-sign-in.md): counted per user name in any
 * case, whether or not such a user exists, so a locked answer tells nothing about who is in the directory.
 * - a wrong user name or password answers COMMON.1006 naming `password`;
 * - the `PASSWORD_MAX_WRONG_TRIES`th wrong try in a row answers LOGIN.1003 and starts a `PASSWORD_LOCK_S` lock;
 * - during the lock every try, right or wrong, answers LOGIN.1003 with the minutes and seconds left;
 * - a right password, or the end of a lock, starts the count again.
 * The clock is the sandbox's `now` option, so tests move it instead of waiting.
 */
import { createHash, timingSafeEqual } from 'node:crypto'
import { canonicalUserName } from './directory'
import { SandboxError, wrongValue } from './messages'

export const PASSWORD_MAX_WRONG_TRIES = 5
export const PASSWORD_LOCK_S = 15 * 60
/** User names tracked at most; the oldest are forgotten first, so a flood of made-up names cannot exhaust memory. */
export const PASSWORD_TRACKED_LIMIT = 100_000

interface Attempts {
  wrongInARow: number
  lockedUntil?: number
}

export class PasswordAttempts {
  private readonly byName = new Map<string, Attempts>()

  constructor(private readonly now: () => number) {}

  reset(): void {
    this.byName.clear()
  }

  /** Throws LOGIN.1003 with the time left while the user name is locked. */
  checkUnlocked(userName: string): void {
    const name = canonicalUserName(userName)
    const attempts = this.byName.get(name)
    if (attempts?.lockedUntil === undefined) return
    const leftMs = attempts.lockedUntil - this.now()
    if (leftMs <= 0) {
      this.byName.delete(name)
      return
    }
    throw locked(leftMs)
  }

  /** Counts a wrong try and answers the error to throw: COMMON.1006 naming `password`, or LOGIN.1003 when it locks. */
  wrong(userName: string): SandboxError {
    const name = canonicalUserName(userName)
    const attempts = this.byName.get(name) ?? { wrongInARow: 0 }
    // re-inserted, so the map's order is least recently tried first
    this.byName.delete(name)
    this.byName.set(name, attempts)
    if (this.byName.size > PASSWORD_TRACKED_LIMIT) {
      const oldest = this.byName.keys().next()
      if (!oldest.done) this.byName.delete(oldest.value)
    }
    attempts.wrongInARow += 1
    if (attempts.wrongInARow < PASSWORD_MAX_WRONG_TRIES) return wrongValue('password')
    attempts.lockedUntil = this.now() + PASSWORD_LOCK_S * 1000
    return locked(PASSWORD_LOCK_S * 1000)
  }

  right(userName: string): void {
    this.byName.delete(canonicalUserName(userName))
  }
}

/** "unlocks in {min} min {s} s", whole seconds rounded up so it never says 0 s while still locked. */
function locked(leftMs: number): SandboxError {
  const leftS = Math.ceil(leftMs / 1000)
  return new SandboxError('SDK.LOGIN.1003', { min: Math.floor(leftS / 60), s: leftS % 60 })
}

/** Exact comparison in constant time; a user without a password matches nothing. */
export function samePassword(stored: string | undefined, given: string): boolean {
  if (stored === undefined) return false
  const digest = (text: string) => createHash('sha256').update(text, 'utf8').digest()
  return timingSafeEqual(digest(stored), digest(given))
}

/** A new password the sandbox accepts: at least this many characters, and not the old one. */
export const PASSWORD_MIN_LENGTH = 8
