/**
 * The local EIAM sandbox: an in-memory stand-in for the tenant of docs/eiam-api.md, for `npm start` and for tests.
 * Contract (docs/design.md "The local sandbox"): seeded users, identity rule, modes, error codes, env variables.
 */
export { startSandbox, MALFORMED_BODY, REQUIRED_HEADERS, type Sandbox, type RequestRecord } from './server'
export {
  optionsFromEnv,
  resolveOptions,
  SandboxConfigError,
  DEFAULT_CLIENT_ID,
  DEFAULT_FLOWS,
  DEFAULT_HOST,
  DEFAULT_PORT,
  type SandboxMode,
  type CaptchaAesMode,
  type WrongCodeStyle,
  type MfaMobileStyle,
  type SandboxDialect,
  type SignaturePadding,
  type SandboxOptions,
} from './options'
export { SEEDED_USERS, type DirectoryUser, type PasswordState, type Policy } from './directory'
export { PASSWORD_LOCK_S, PASSWORD_MAX_WRONG_TRIES, PASSWORD_MIN_LENGTH } from './passwords'
export { SEND_TYPES, type Channel, type OutboxEntry } from './codes'
export type { Fault } from './faults'
export { SandboxError, type ErrorCode } from './messages'
export { REGIONS } from './validation'
export { ID_TOKEN_LIFETIME_S, ID_TOKEN_NBF_SKEW_S, ONE_TAP_DEFAULT_MOBILE } from './tenant'
export { SESSION_LIFETIME_S } from './tokens'
export { ONEACCESS_ENDPOINT_PATHS, SOCIAL_ACCOUNT_TYPE } from './oneaccess'
export { SIGNATURE_KEY_BITS, SIGNATURE_WINDOW_MS } from './signature'
export { ONEACCESS_MFA_SMS_TYPE } from './codes'
