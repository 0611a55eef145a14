/**
 * The tenant this build signs in to: the one file an IT team edits. Each envVersion of the mini program gets its own
 * EIAM domain and client id. `develop` (DevTools, development preview QR codes) talks to the local sandbox of `npm start`.
 * trial and release must be the tenant's HTTPS domain, allow-listed as a request domain in the mini program admin console.
 */
import type { TenantConfig } from './types'

const organisation = {
  name: { zh: '示例科技', en: 'Example Tech' },
  supportContact: { zh: 'IT 服务台 · it-help@example.com', en: 'IT service desk · it-help@example.com' },
  agreementText: {
    zh: '本应用仅供示例科技员工登录工作账号使用。你同意仅以本人身份登录，并遵守公司的信息安全制度。',
    en: 'This app lets employees of Example Tech sign in to their work account. You agree to sign in only as yourself and to follow the company information security policy.',
  },
  privacyText: {
    zh: '为完成登录与绑定，我们会处理你的微信登录标识、你输入的手机号或邮箱以及设备信息，仅用于身份验证，不会用于其他用途。',
    en: 'To sign you in and link your account we process your WeChat login identifier, the phone number or email you enter and device information, for identity verification only.',
  },
}

/** BambooCloud unless the IT team says the tenant is OneAccess (or a build sets EIAM_DIALECT). */
const dialect = {
  dialect: 'bamboo',
  tenantId: '',
  signaturePadding: 'pkcs1',
} as const

/** trial and release: the tenant's HTTPS domain (set them apart here when they are different tenants). */
const published: TenantConfig = {
  baseUrl: 'https://example.idaas-cloud.com',
  clientId: 'replace-with-your-client-id',
  captchaEncryption: 'learn',
  mfaEmail: false,
  bindMethods: ['mobile', 'email'],
  ...organisation,
  // each number WeChat hands out is billed to this mini program: turn on deliberately (README, "One-tap")
  oneTap: 'off',
  analytics: false,
  agreementVersion: 1,
  ...dialect,
}

export const TENANTS: Record<'develop' | 'trial' | 'release', TenantConfig> = {
  develop: {
    baseUrl: 'http://127.0.0.1:8787',
    clientId: 'sandbox-client-id',
    captchaEncryption: 'learn',
    mfaEmail: true,
    bindMethods: ['mobile', 'email'],
    ...organisation,
    // the sandbox plays WeChat's phone-number exchange (`phone:<mobile>` codes), so develop shows the button
    oneTap: 'quick',
    analytics: false,
    agreementVersion: 1,
    ...dialect,
  },
  trial: { ...published },
  release: { ...published },
}
