/**
 * The tenant this build signs in to: the one file an IT team edits. Each envVersion of the mini program gets its own
 * EIAM domain and client id. `develop` (DevTools, development preview QR codes) talks to the local sandbox of `npm start`.
 * trial and release must be the tenant's HTTPS domain, allow-listed as a request domain in the mini program admin console.
 */
import type { TenantConfig } from './types'

const organisation = {
  name: { zh: '示例科技', en: 'Example Tech' },
  supportContact: { zh: 'IT 服务台 · it-help@example.com', en: 'IT service desk · it-help@example.com' },
}

export const TENANTS: Record<'develop' | 'trial' | 'release', TenantConfig> = {
  develop: {
    baseUrl: 'http://127.0.0.1:8787',
    clientId: 'sandbox-client-id',
    captchaAes: false,
    mfaEmail: true,
    ...organisation,
  },
  trial: {
    baseUrl: 'https://example.idaas-cloud.com',
    clientId: 'replace-with-your-client-id',
    captchaAes: false,
    mfaEmail: false,
    ...organisation,
  },
  release: {
    baseUrl: 'https://example.idaas-cloud.com',
    clientId: 'replace-with-your-client-id',
    captchaAes: false,
    mfaEmail: false,
    ...organisation,
  },
}
