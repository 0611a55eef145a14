/**
 * Which form the captcha `point_json` takes for this tenant (docs/eiam-api.md §3 and §10). The vendor's verify example
 * sends plain JSON although its puzzle carries a `secretKey`; the open-source captcha of that format decrypts with the
 * key whenever there is one. Nothing in one answer tells them apart, so the tenant option `captchaEncryption` either
 * forces a form or (`learn`, the default) finds it out:
 * - a puzzle without a key is always answered in plain JSON, and teaches nothing;
 * - with a key, plain first; when that check fails, the next puzzle is answered encrypted, and so on, alternating;
 * - the form of the first check that passes is kept in storage for this base URL and never changes after that.
 * So a user of an AES tenant solves at most one extra puzzle, once per install.
 */
import { tenant } from '../config/index'
import { readPlain, STORAGE_KEYS, writePlain } from './storage'

export type PointForm = 'plain' | 'aes'

interface Learning {
  /** the form that passed a check first: final */
  learned?: PointForm
  /** the form to try on the next puzzle with a key, after a failed check */
  next?: PointForm
}

type Store = Record<string, Learning>

function store(): Store {
  const stored = readPlain<Store>(STORAGE_KEYS.captchaForm)
  return stored && typeof stored === 'object' ? stored : {}
}

function update(baseUrl: string, learning: Learning): void {
  writePlain(STORAGE_KEYS.captchaForm, { ...store(), [baseUrl]: learning })
}

/** The form to answer a puzzle in: `aes` only when the puzzle has a key. */
export function pointFormFor(secretKey: string | null): PointForm {
  if (!secretKey) return 'plain'
  const { captchaEncryption, baseUrl } = tenant()
  if (captchaEncryption !== 'learn') return captchaEncryption
  const learning = store()[baseUrl] || {}
  return learning.learned || learning.next || 'plain'
}

/**
 * The outcome of a check of a puzzle with a key: `passed`, or `failed` (wrong position: the tenant may not have read
 * the form). Expired or unknown puzzles say nothing about the form and are not reported.
 */
export function recordPointOutcome(form: PointForm, outcome: 'passed' | 'failed'): void {
  const { captchaEncryption, baseUrl } = tenant()
  if (captchaEncryption !== 'learn') return
  const learning = store()[baseUrl] || {}
  if (learning.learned) return
  if (outcome === 'passed') update(baseUrl, { learned: form })
  else update(baseUrl, { next: form === 'plain' ? 'aes' : 'plain' })
}

/** What this install has learned for the current tenant (undefined while still learning). */
export function learnedPointForm(): PointForm | undefined {
  return (store()[tenant().baseUrl] || {}).learned
}
