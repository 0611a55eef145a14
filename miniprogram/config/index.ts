/**
 * The only reader of `envVersion`. Read per call, never at import time, so tests can stub `wx` before asking.
 */
import { OVERRIDES } from './overrides'
import { TENANTS } from './tenant'
import type { EnvVersion, TenantConfig } from './types'

export type { EnvVersion, TenantConfig } from './types'

export function envVersion(): EnvVersion {
  try {
    const version = wx.getAccountInfoSync().miniProgram.envVersion
    return version === 'develop' || version === 'trial' ? version : 'release'
  } catch {
    // an unknown runtime is treated as the strictest one
    return 'release'
  }
}

export function tenant(): TenantConfig {
  const env = envVersion()
  return { ...TENANTS[env], ...OVERRIDES[env] }
}

/** Fixed numbers of the client, in one place. */
export const LIMITS = {
  /** wx.request timeout for every EIAM call. */
  requestTimeoutMs: 15000,
  /** Client-side resend cooldown after a code was sent; the server keeps the real limit. */
  codeCooldownS: 60,
  /** The sandbox default; the real lifetime is undocumented, so an expiry error still restarts login. */
  stateTokenLifetimeS: 600,
  /** Refresh the id_token this long before its `exp`. */
  idTokenLeewayS: 30,
} as const
