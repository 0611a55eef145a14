/**
 * Sending verification codes, shared by every page that sends one: the `type` for the purpose, the send call, and
 * the resend countdown kept as an end time per purpose + channel + target in storage, so a reload, a tab switch or
 * the app going to the background never resets it.
 */
import { LIMITS, tenant } from '../config/index'
import { t } from '../i18n/index'
import { knownCodeLength, type Validation, validateCode } from '../utils/validate'
import { type Channel, codeTypeOf, type CodePurpose, sendCode } from './eiam'
import { readPlain, STORAGE_KEYS, writePlain } from './storage'

type Countdowns = Record<string, number>

let cache: Countdowns | undefined

/** Targets are phone numbers and emails: the storage key holds a hash of them, not the value. */
function hashTarget(target: string): string {
  let hash = 0x811c9dc5
  const text = target.trim().toLowerCase()
  for (let index = 0; index < text.length; index += 1) {
    hash ^= text.charCodeAt(index)
    hash = Math.imul(hash, 0x01000193) >>> 0
  }
  return hash.toString(36)
}

const keyOf = (purpose: CodePurpose, channel: Channel, target: string) =>
  `${purpose}:${channel}:${hashTarget(target)}`

function countdowns(): Countdowns {
  if (!cache) {
    const stored = readPlain<Countdowns>(STORAGE_KEYS.countdowns)
    cache = stored && typeof stored === 'object' ? { ...stored } : {}
  }
  return cache
}

/** When the resend button frees up again for this target (epoch ms), or 0 when it is free now. */
export function cooldownEndsAt(
  purpose: CodePurpose,
  channel: Channel,
  target: string,
  now = Date.now(),
): number {
  if (!target) return 0
  const endsAt = countdowns()[keyOf(purpose, channel, target)] || 0
  return endsAt > now ? endsAt : 0
}

function remember(purpose: CodePurpose, channel: Channel, target: string, endsAt: number, now: number): void {
  const next: Countdowns = {}
  for (const [key, value] of Object.entries(countdowns())) if (value > now) next[key] = value
  next[keyOf(purpose, channel, target)] = endsAt
  cache = next
  writePlain(STORAGE_KEYS.countdowns, next)
}

/** Sends the code (the captcha already solved for this exact target) and starts the countdown; answers its end. */
export async function sendVerificationCode(
  purpose: CodePurpose,
  channel: Channel,
  target: string,
  captchaToken: string,
): Promise<number> {
  await sendCode(channel, target, codeTypeOf(purpose, channel), captchaToken)
  const now = Date.now()
  const endsAt = now + LIMITS.codeCooldownS * 1000
  remember(purpose, channel, target, endsAt, now)
  return endsAt
}

/** Forget the in-memory copy (the next read comes from storage); for a fresh app start in tests. */
export function dropCountdownCache(): void {
  cache = undefined
}

/** A typed verification code checked against the tenant's length (option `codeLength`), or 4 to 8 digits. */
export function checkCode(raw: string): Validation {
  return validateCode(raw, tenant().codeLength)
}

/** The code field's placeholder: names a length only when the tenant states one. */
export function codePlaceholder(): string {
  const length = knownCodeLength(tenant().codeLength)
  return length === undefined ? t('form.codePlaceholder') : t('form.codePlaceholderLength', { length })
}
