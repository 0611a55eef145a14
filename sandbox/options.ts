/**
 * Sandbox options: the programmatic shape, its defaults, and the reading of the `EIAM_SANDBOX_*` environment
 * (docs/design.md "Options and output"). Invalid values are refused with one sentence naming the variable,
 * so `npm start` can print it and exit.
 */

export type SandboxMode = 'bind' | 'register' | 'auto'

export const SANDBOX_MODES: readonly SandboxMode[] = ['bind', 'register', 'auto']

/**
 * The captcha's encryption (docs/eiam-api.md §3): `false` no `secretKey`, plain `point_json`; `true` a key and AES
 * `point_json` required; `'key-plain'` a key issued but plain `point_json` checked (the vendor's own example).
 */
export type CaptchaAesMode = boolean | 'key-plain'
/** A wrong code answers `common` (`SDK.COMMON.1006`, default) or `vendor` (`SDK.SMS.1005` SMS, `SDK.SMS.1006` email). */
export type WrongCodeStyle = 'common' | 'vendor'
/** mobile-by-token answers `dash` (`+86-139…`, default) or `bare` (`139…`). */
export type MfaMobileStyle = 'dash' | 'bare'

export const CODE_LENGTH_MIN = 4
export const CODE_LENGTH_MAX = 8
/** Which vendor's form of the API the sandbox speaks (docs/oneaccess.md). */
export type SandboxDialect = 'bamboo' | 'oneaccess'

export const SANDBOX_DIALECTS: readonly SandboxDialect[] = ['bamboo', 'oneaccess']

/** The RSA padding the `oneaccess` dialect decrypts `X-signature` with. */
export type SignaturePadding = 'pkcs1' | 'oaep'

export const SIGNATURE_PADDINGS: readonly SignaturePadding[] = ['pkcs1', 'oaep']

export interface SandboxOptions {
  /** 0 = a free port; default 8787. */
  port?: number
  /** Default 127.0.0.1; `0.0.0.0` for a phone on the LAN. */
  host?: string
  /** The one application's client id; other ids get SDK.COMMON.1012. */
  clientId?: string
  /** What an unlinked identity meets: `bind` (default), `register` or `auto`. */
  mode?: SandboxMode
  /** `socialBindOrRegisterFlow` of SOCIAL_BIND / USER_REGISTER answers; `[]` sends `data: null`. */
  flows?: string[]
  /** Serve the `/__sandbox/*` test hooks (never by default). */
  hooks?: boolean
  /**
   * `true`: issue a 16-character `secretKey` and require `point_json` AES-128-ECB encrypted with it; `'key-plain'`:
   * issue the key but check plain `point_json`; `false` (default): no key, plain.
   */
  captchaAes?: CaptchaAesMode
  /** Digits of a verification code, 4 to 8 (default 6). */
  codeLength?: number
  /** How a wrong, dead or never-sent code is refused (default `common`). */
  wrongCode?: WrongCodeStyle
  /** Refresh rotates the session token (default true); false answers the same one with a new id_token. */
  rotate?: boolean
  /** How mobile-by-token writes the phone (default `dash`). */
  mfaMobile?: MfaMobileStyle
  /** Prefix error codes with `IDAAS.` (default true). */
  errorPrefix?: boolean
  /** Verification code lifetime, seconds (300). */
  codeTtlS?: number
  /** Minimum interval between two sends of the same (type, target), seconds (60). */
  resendS?: number
  /** State token lifetime, seconds (600). */
  stateTtlS?: number
  /** Puzzle and captcha_token lifetime, seconds (120). */
  captchaTtlS?: number
  /** Wrong tries after which a code is dead (5). */
  maxWrongTries?: number
  /**
   * `bamboo` (default): BambooCloud's paths, refresh by `sso/session-token/id-token`. `oneaccess`: Huawei OneAccess's
   * signed calls (public-key, server-date, logout, social, social/unbind-account, session-token/refresh-id-token) and
   * the second-factor SMS type OTP_REST_SMS.
   */
  dialect?: SandboxDialect
  /** How `oneaccess` decrypts `X-signature`: PKCS#1 v1.5 (default) or OAEP with SHA-256. */
  signaturePadding?: SignaturePadding
  /** Clock in ms; tests inject one to expire things without waiting. */
  now?: () => number
  /** Where the stdout lines (one per code sent) go; default process.stdout. */
  log?: (line: string) => void
}

export type ResolvedOptions = Required<SandboxOptions>

export const DEFAULT_PORT = 8787
export const DEFAULT_HOST = '127.0.0.1'
export const DEFAULT_CLIENT_ID = 'sandbox-client-id'
export const DEFAULT_FLOWS: readonly string[] = ['VERIFY_PHONE', 'VERIFY_EMAIL']

const DEFAULTS = {
  port: DEFAULT_PORT,
  host: DEFAULT_HOST,
  clientId: DEFAULT_CLIENT_ID,
  mode: 'bind',
  hooks: false,
  captchaAes: false,
  codeLength: 6,
  wrongCode: 'common',
  rotate: true,
  mfaMobile: 'dash',
  errorPrefix: true,
  codeTtlS: 300,
  resendS: 60,
  stateTtlS: 600,
  captchaTtlS: 120,
  maxWrongTries: 5,
  dialect: 'bamboo',
  signaturePadding: 'pkcs1',
} as const

/** A flow name as the vendor writes them (`VERIFY_PHONE`). */
const FLOW_NAME = /^[A-Z][A-Z0-9_]*$/

/** An option or environment value the sandbox cannot start with; the message is one sentence for a human. */
export class SandboxConfigError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'SandboxConfigError'
  }
}

function checkInteger(name: string, value: number, min: number, max = Number.MAX_SAFE_INTEGER): number {
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new SandboxConfigError(
      `${name} must be a whole number from ${min} to ${max}, not ${String(value)}.`,
    )
  }
  return value
}

/** Fills in the defaults and refuses values the sandbox cannot run with. */
export function resolveOptions(options: SandboxOptions = {}): ResolvedOptions {
  const mode = options.mode ?? DEFAULTS.mode
  if (!SANDBOX_MODES.includes(mode)) {
    throw new SandboxConfigError(`mode must be one of ${SANDBOX_MODES.join(', ')}, not "${String(mode)}".`)
  }
  const flows = [...(options.flows ?? DEFAULT_FLOWS)]
  const badFlow = flows.find((flow) => !FLOW_NAME.test(flow))
  if (badFlow !== undefined) {
    throw new SandboxConfigError(`flows must be names like VERIFY_PHONE, not "${badFlow}".`)
  }
  const dialect = options.dialect ?? DEFAULTS.dialect
  if (!SANDBOX_DIALECTS.includes(dialect)) {
    throw new SandboxConfigError(
      `dialect must be one of ${SANDBOX_DIALECTS.join(', ')}, not "${String(dialect)}".`,
    )
  }
  const signaturePadding = options.signaturePadding ?? DEFAULTS.signaturePadding
  if (!SIGNATURE_PADDINGS.includes(signaturePadding)) {
    throw new SandboxConfigError(
      `signaturePadding must be one of ${SIGNATURE_PADDINGS.join(', ')}, not "${String(signaturePadding)}".`,
    )
  }
  const host = options.host ?? DEFAULTS.host
  if (!host.trim()) throw new SandboxConfigError('host must not be empty.')
  const clientId = options.clientId ?? DEFAULTS.clientId
  if (!clientId.trim()) throw new SandboxConfigError('clientId must not be empty.')
  const captchaAes = options.captchaAes ?? DEFAULTS.captchaAes
  if (typeof captchaAes !== 'boolean' && captchaAes !== 'key-plain') {
    throw new SandboxConfigError(
      `captchaAes must be true, false or "key-plain", not "${String(captchaAes)}".`,
    )
  }
  const wrongCode = options.wrongCode ?? DEFAULTS.wrongCode
  if (wrongCode !== 'common' && wrongCode !== 'vendor') {
    throw new SandboxConfigError(`wrongCode must be common or vendor, not "${String(wrongCode)}".`)
  }
  const mfaMobile = options.mfaMobile ?? DEFAULTS.mfaMobile
  if (mfaMobile !== 'dash' && mfaMobile !== 'bare') {
    throw new SandboxConfigError(`mfaMobile must be dash or bare, not "${String(mfaMobile)}".`)
  }
  return {
    port: checkInteger('port', options.port ?? DEFAULTS.port, 0, 65535),
    host,
    clientId,
    mode,
    flows,
    hooks: options.hooks ?? DEFAULTS.hooks,
    captchaAes,
    codeLength: checkInteger(
      'codeLength',
      options.codeLength ?? DEFAULTS.codeLength,
      CODE_LENGTH_MIN,
      CODE_LENGTH_MAX,
    ),
    wrongCode,
    rotate: options.rotate ?? DEFAULTS.rotate,
    mfaMobile,
    errorPrefix: options.errorPrefix ?? DEFAULTS.errorPrefix,
    codeTtlS: checkInteger('codeTtlS', options.codeTtlS ?? DEFAULTS.codeTtlS, 1),
    resendS: checkInteger('resendS', options.resendS ?? DEFAULTS.resendS, 0),
    stateTtlS: checkInteger('stateTtlS', options.stateTtlS ?? DEFAULTS.stateTtlS, 1),
    captchaTtlS: checkInteger('captchaTtlS', options.captchaTtlS ?? DEFAULTS.captchaTtlS, 1),
    maxWrongTries: checkInteger('maxWrongTries', options.maxWrongTries ?? DEFAULTS.maxWrongTries, 1),
    dialect,
    signaturePadding,
    now: options.now ?? Date.now,
    log: options.log ?? ((line: string) => void process.stdout.write(`${line}\n`)),
  }
}

type Env = Readonly<Record<string, string | undefined>>

/** An unset or blank variable means "use the default" (except EIAM_SANDBOX_FLOWS, where blank means none). */
function present(env: Env, name: string): string | undefined {
  const value = env[name]?.trim()
  return value ? value : undefined
}

function envInteger(env: Env, name: string, min: number, max = Number.MAX_SAFE_INTEGER): number | undefined {
  const value = present(env, name)
  if (value === undefined) return undefined
  if (!/^\d+$/.test(value) || Number(value) < min || Number(value) > max) {
    throw new SandboxConfigError(`${name} must be a whole number from ${min} to ${max}, not "${value}".`)
  }
  return Number(value)
}

function envBoolean(env: Env, name: string): boolean | undefined {
  const value = present(env, name)?.toLowerCase()
  if (value === undefined) return undefined
  if (['1', 'true', 'yes', 'on'].includes(value)) return true
  if (['0', 'false', 'no', 'off'].includes(value)) return false
  throw new SandboxConfigError(`${name} must be 1 or 0, not "${env[name]?.trim() ?? ''}".`)
}

function envMode(env: Env): SandboxMode | undefined {
  const value = present(env, 'EIAM_SANDBOX_MODE')?.toLowerCase()
  if (value === undefined) return undefined
  const mode = SANDBOX_MODES.find((candidate) => candidate === value)
  if (!mode) {
    throw new SandboxConfigError(
      `EIAM_SANDBOX_MODE must be bind, register or auto, not "${env.EIAM_SANDBOX_MODE?.trim() ?? ''}".`,
    )
  }
  return mode
}

/** One of `allowed`, compared case-insensitively; anything else is refused naming the variable. */
function envChoice<T extends string>(env: Env, name: string, allowed: readonly T[]): T | undefined {
  const value = present(env, name)?.toLowerCase()
  if (value === undefined) return undefined
  const choice = allowed.find((candidate) => candidate === value)
  if (!choice) {
    throw new SandboxConfigError(`${name} must be ${allowed.join(' or ')}, not "${env[name]?.trim() ?? ''}".`)
  }
  return choice
}

/** EIAM_SANDBOX_CAPTCHA_AES: 1 / 0 (and the other boolean spellings), or `key-plain`. */
function envCaptchaAes(env: Env): CaptchaAesMode | undefined {
  const value = present(env, 'EIAM_SANDBOX_CAPTCHA_AES')?.toLowerCase()
  if (value === undefined) return undefined
  if (value === 'key-plain') return 'key-plain'
  if (['1', 'true', 'yes', 'on'].includes(value)) return true
  if (['0', 'false', 'no', 'off'].includes(value)) return false
  throw new SandboxConfigError(
    `EIAM_SANDBOX_CAPTCHA_AES must be 1, 0 or key-plain, not "${env.EIAM_SANDBOX_CAPTCHA_AES?.trim() ?? ''}".`,
  )
}

function envFlows(env: Env): string[] | undefined {
  const value = env.EIAM_SANDBOX_FLOWS
  if (value === undefined) return undefined
  const flows = value
    .split(',')
    .map((flow) => flow.trim())
    .filter((flow) => flow !== '')
  const badFlow = flows.find((flow) => !FLOW_NAME.test(flow))
  if (badFlow !== undefined) {
    throw new SandboxConfigError(
      `EIAM_SANDBOX_FLOWS must be a comma-separated list such as VERIFY_PHONE,VERIFY_EMAIL, not "${value}".`,
    )
  }
  return flows
}

/** Reads the `EIAM_SANDBOX_*` variables; throws {@link SandboxConfigError} on the first invalid one. */
export function optionsFromEnv(env: Env): SandboxOptions {
  const options: SandboxOptions = {}
  const port = envInteger(env, 'EIAM_SANDBOX_PORT', 0, 65535)
  if (port !== undefined) options.port = port
  const host = present(env, 'EIAM_SANDBOX_HOST')
  if (host !== undefined) options.host = host
  const clientId = present(env, 'EIAM_SANDBOX_CLIENT_ID')
  if (clientId !== undefined) options.clientId = clientId
  const mode = envMode(env)
  if (mode !== undefined) options.mode = mode
  const flows = envFlows(env)
  if (flows !== undefined) options.flows = flows
  const hooks = envBoolean(env, 'EIAM_SANDBOX_HOOKS')
  if (hooks !== undefined) options.hooks = hooks
  const captchaAes = envCaptchaAes(env)
  if (captchaAes !== undefined) options.captchaAes = captchaAes
  const codeLength = envInteger(env, 'EIAM_SANDBOX_CODE_LENGTH', CODE_LENGTH_MIN, CODE_LENGTH_MAX)
  if (codeLength !== undefined) options.codeLength = codeLength
  const wrongCode = envChoice(env, 'EIAM_SANDBOX_WRONG_CODE', ['common', 'vendor'] as const)
  if (wrongCode !== undefined) options.wrongCode = wrongCode
  const rotate = envBoolean(env, 'EIAM_SANDBOX_ROTATE')
  if (rotate !== undefined) options.rotate = rotate
  const mfaMobile = envChoice(env, 'EIAM_SANDBOX_MFA_MOBILE', ['dash', 'bare'] as const)
  if (mfaMobile !== undefined) options.mfaMobile = mfaMobile
  const errorPrefix = envBoolean(env, 'EIAM_SANDBOX_ERROR_PREFIX')
  if (errorPrefix !== undefined) options.errorPrefix = errorPrefix
  const codeTtlS = envInteger(env, 'EIAM_SANDBOX_CODE_TTL_S', 1)
  if (codeTtlS !== undefined) options.codeTtlS = codeTtlS
  const resendS = envInteger(env, 'EIAM_SANDBOX_RESEND_S', 0)
  if (resendS !== undefined) options.resendS = resendS
  const stateTtlS = envInteger(env, 'EIAM_SANDBOX_STATE_TTL_S', 1)
  if (stateTtlS !== undefined) options.stateTtlS = stateTtlS
  const captchaTtlS = envInteger(env, 'EIAM_SANDBOX_CAPTCHA_TTL_S', 1)
  if (captchaTtlS !== undefined) options.captchaTtlS = captchaTtlS
  const dialect = envChoice(env, 'EIAM_SANDBOX_DIALECT', SANDBOX_DIALECTS)
  if (dialect !== undefined) options.dialect = dialect
  const signaturePadding = envChoice(env, 'EIAM_SANDBOX_SIGNATURE_PADDING', SIGNATURE_PADDINGS)
  if (signaturePadding !== undefined) options.signaturePadding = signaturePadding
  return options
}
