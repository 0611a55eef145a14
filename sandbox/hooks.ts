/**
 * Test hooks under `/__sandbox/` (only when the `hooks` option is on; otherwise these paths are unknown, 404).
 * They skip the EIAM header checks and are left out of the request log, so they never disturb call counts.
 */
import type { OutboxEntry } from './codes'
import type { SigningKey } from './jwt'
import { SandboxError } from './messages'

export const HOOK_PREFIX = '/__sandbox/'

export interface HookTarget {
  outbox(): OutboxEntry[]
  captchaAnswer(token: string): number | undefined
  fault(input: unknown): void
  reset(): void
  key: SigningKey
}

export interface HookRoute {
  method: 'GET' | 'POST'
  /** Exact path, or a prefix when it ends with `/`. */
  path: string
  handle: (call: { path: string; body: Record<string, unknown> }) => object
}

const CAPTCHA_PREFIX = `${HOOK_PREFIX}captcha/`

function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment)
  } catch {
    return segment
  }
}

export function hookRoutes(target: HookTarget): HookRoute[] {
  return [
    { method: 'GET', path: `${HOOK_PREFIX}outbox`, handle: () => target.outbox() },
    {
      method: 'GET',
      path: CAPTCHA_PREFIX,
      handle: ({ path }) => {
        const x = target.captchaAnswer(decodeSegment(path.slice(CAPTCHA_PREFIX.length)))
        if (x === undefined) throw new SandboxError('SDK.HTTP.404', { path })
        return { x }
      },
    },
    {
      method: 'POST',
      path: `${HOOK_PREFIX}faults`,
      handle: ({ body }) => {
        target.fault(body)
        return { ok: true }
      },
    },
    {
      method: 'POST',
      path: `${HOOK_PREFIX}reset`,
      handle: () => {
        target.reset()
        return { ok: true }
      },
    },
    { method: 'GET', path: `${HOOK_PREFIX}jwks`, handle: () => ({ keys: [target.key.publicJwk] }) },
  ]
}
