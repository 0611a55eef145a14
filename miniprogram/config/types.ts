export type EnvVersion = 'develop' | 'trial' | 'release'

export interface LocalisedText {
  zh: string
  en: string
}

/** How the captcha's `point_json` is sent: a tenant option (see `TenantConfig.captchaEncryption`). */
export type CaptchaEncryption = 'plain' | 'aes' | 'learn'

/** A way the bind page can link an account: a code to the mobile or the email, or the directory password. */
export type BindMethod = 'mobile' | 'email' | 'password'

/** Which vendor's form of the API the tenant speaks (docs/oneaccess.md). */
export type Dialect = 'bamboo' | 'oneaccess'

/** The RSA padding of OneAccess's `X-signature`; the vendor does not document it. */
export type SignaturePadding = 'pkcs1' | 'oaep'

export interface TenantConfig {
  /** `https://{your_domain}` of the EIAM tenant, no trailing slash. */
  baseUrl: string
  /** The application's client id (public), sent as `X-client-id`. */
  clientId: string
  /**
   * How the captcha `point_json` travels (docs/eiam-api.md §3, §10): `plain` JSON, `aes` (AES-ECB with the puzzle's
   * `secretKey`, AJ-Captcha style, when the puzzle has one), or `learn` (default): plain first, encrypted after a
   * puzzle that carried a key fails its check; the form that first succeeds is kept for this base URL for good.
   */
  captchaEncryption: CaptchaEncryption
  /**
   * The tenant's verification code length, when the IT team knows it (4–8). Unset (default): any 4 to 8 digits are
   * accepted and no message or placeholder names a length.
   */
  codeLength?: number
  /** Offer the email channel on the second-factor page. */
  mfaEmail: boolean
  /**
   * The bind page's tabs, in this order (default `['mobile', 'email']`). The login answer's `socialBindOrRegisterFlow`
   * still narrows `mobile` and `email`; `password` (user name + password) shows whenever it is listed here, since no
   * tenant signal for it is documented.
   */
  bindMethods: BindMethod[]
  /** Shown on the launch page: who this app is for. */
  name: LocalisedText
  /** Shown where users need help (denied page, errors about configuration). */
  supportContact: LocalisedText
  /** The user agreement and privacy notice the bind page asks the user to accept (shown in a dialog). */
  agreementText: LocalisedText
  privacyText: LocalisedText
  /**
   * WeChat's phone-number button on the bind and register pages. `off` (the default): no button, SMS and email only.
   * `quick`: `open-type="getPhoneNumber"`; `realtime`: `open-type="getRealtimePhoneNumber"`, which WeChat checks
   * against the carrier at that moment. WeChat bills the tenant's mini program for every number it hands out.
   */
  oneTap: OneTapMode
  /**
   * Funnel events through `wx.reportEvent` (bind page shown, code sent, bound, second factor done, denied), with no
   * personal data. Default false: nothing is reported.
   */
  analytics: boolean
  /**
   * The version of `agreementText` + `privacyText`. The version a user accepted is kept on the phone; raise this
   * number when the texts change and every user is asked again before their next code send or bind. Default 1.
   */
  agreementVersion: number
  /**
   * `bamboo` (default): BambooCloud IDaaS — refresh through `sso/session-token/id-token`, no server logout, unlinking
   * only by IT. `oneaccess`: Huawei Cloud OneAccess — signed logout, social accounts and unbind, id_token refresh
   * through `session-token/refresh-id-token`, second-factor SMS type `OTP_REST_SMS`.
   */
  dialect: Dialect
  /** OneAccess ISV tenants: sent as `X-tenant-id` on every call when not empty. Default empty (not sent). */
  tenantId: string
  /** OneAccess only: `pkcs1` (default, PKCS#1 v1.5) or `oaep` (OAEP, SHA-256). */
  signaturePadding: SignaturePadding
}

export type OneTapMode = 'off' | 'quick' | 'realtime'

/** What a build may override per envVersion: any tenant option (config/overrides.ts, written by the build). */
export type TenantOverrides = Partial<Record<EnvVersion, Partial<TenantConfig>>>
