export type EnvVersion = 'develop' | 'trial' | 'release'

export interface LocalisedText {
  zh: string
  en: string
}

/** How the captcha's `point_json` is sent: a tenant option (see `TenantConfig.captchaEncryption`). */
export type CaptchaEncryption = 'plain' | 'aes' | 'learn'

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
  /** Shown on the launch page: who this app is for. */
  name: LocalisedText
  /** Shown where users need help (denied page, errors about configuration). */
  supportContact: LocalisedText
  /** The user agreement and privacy notice the bind page asks the user to accept (shown in a dialog). */
  agreementText: LocalisedText
  privacyText: LocalisedText
}

export type TenantOverrides = Partial<Record<EnvVersion, Partial<Pick<TenantConfig, 'baseUrl' | 'clientId'>>>>
