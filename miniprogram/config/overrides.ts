/**
 * Build-time overrides, empty in the source tree. `scripts/build.ts` replaces this file in its staged copy when the
 * environment asks for another tenant (EIAM_BASE_URL / EIAM_CLIENT_ID) or a preview needs a LAN address.
 */
import type { TenantOverrides } from './types'

export const OVERRIDES: TenantOverrides = {}
