/**
 * The EIAM tenant the sandbox plays: every `/api/v2/sdk/*` endpoint of docs/eiam-api.md over in-memory state.
 * Handlers receive a request that already passed the HTTP checks (path, method, size, content type, common headers,
 * client id, JSON object body) and either answer or throw a SandboxError.
 *
 * Check order inside an endpoint: state token (a header), then body fields in the documented order (missing → 1001,
 * wrong format → 1002), then the business rules.
 */
import { randomUUID } from 'node:crypto'
import { CaptchaStore } from './captcha'
import { CodeStore, sendTypesOf, useTypeOf, type Channel } from './codes'
import { Directory, type DirectoryUser, type Target } from './directory'
import { signJwt, type SigningKey } from './jwt'
import { OneAccessCalls } from './oneaccess'
import { SandboxError, badFormat, blank, wrongValue } from './messages'
import type { ResolvedOptions } from './options'
import type { SignatureKey } from './signature'
import { PASSWORD_MIN_LENGTH, PasswordAttempts, samePassword } from './passwords'
import { SESSION_LIFETIME_S, Sessions, StateTokens, type Flow, type StateRecord } from './tokens'
import {
  PREFERRED_AREA_CODE,
  REGIONS,
  canonicalCode,
  canonicalEmail,
  canonicalMobile,
  canonicalTarget,
  displayMobile,
} from './validation'

/** The vendor sample's id_token lifetime (2 h, the default a tenant can change). */
export const ID_TOKEN_LIFETIME_S = 7200
/** The vendor sample's `nbf`: two minutes before `iat`, for clocks running behind. */
export const ID_TOKEN_NBF_SKEW_S = 120
/** One-tap: what any `wechat_code` not of the form `phone:<mobile>` stands for. */
export const ONE_TAP_DEFAULT_MOBILE = '13800138000'
const USED_LOGIN_CODES_LIMIT = 100_000
const BAMBOO_REFRESH_PATH = '/api/v2/sdk/sso/session-token/id-token'
/** A username-password bind links an existing user: it fits the bind flow and the bind-or-register flow alike. */
const PASSWORD_BIND_FLOWS: readonly Flow[] = ['bind', 'register']
/** pwd/update serves both password statuses; skip-update only the one that may be skipped. */
const PASSWORD_CHANGE_FLOWS: readonly Flow[] = ['password-expired', 'password-expiring']
const PASSWORD_SKIP_FLOWS: readonly Flow[] = ['password-expiring']

export interface Call {
  headers: Record<string, string>
  body: Record<string, unknown>
  /** `X-device-fingerprint`: the WeChat identity, as far as the sandbox can tell. */
  fingerprint: string
}

/** A JSON answer, or `undefined` for the send-code endpoints' 200 with an empty body. */
export type Answer = object | undefined

export interface Endpoint {
  method: 'GET' | 'POST'
  path: string
  handle: (call: Call) => Answer
}

function requiredString(body: Record<string, unknown>, name: string): string {
  const value = body[name]
  if (value === undefined || value === null || (typeof value === 'string' && value.trim() === ''))
    throw blank(name)
  if (typeof value !== 'string') throw badFormat(name)
  return value
}

/**
 * The target as sent, on one line: a mobile may legally carry a newline or tab (whitespace is ignored), which would
 * break the one-line-per-code contract of stdout, so control characters print as spaces.
 */
// eslint-disable-next-line no-control-regex
const printable = (target: string) => target.replace(/[\u0000-\u001f\u007f\u2028\u2029]/g, ' ')

const isGiven = (value: unknown) => value !== undefined && value !== null && value !== ''

/** `{mobile}` or `{email}` (mobile wins when both are sent); neither → "mobile cannot be left blank". */
function readTarget(body: Record<string, unknown>): { target: Target; asSent: string } {
  if (isGiven(body.mobile) || !isGiven(body.email)) {
    const asSent = requiredString(body, 'mobile')
    const canonical = canonicalMobile(asSent)
    if (canonical === undefined) throw badFormat('mobile')
    return { target: { channel: 'sms', canonical }, asSent }
  }
  const asSent = requiredString(body, 'email')
  const canonical = canonicalEmail(asSent)
  if (canonical === undefined) throw badFormat('email')
  return { target: { channel: 'email', canonical }, asSent }
}

function readVerifyCode(body: Record<string, unknown>): string {
  const code = canonicalCode(requiredString(body, 'verify_code'))
  if (code === undefined) throw badFormat('verify_code')
  return code
}

export class Tenant {
  readonly directory = new Directory()
  readonly codes: CodeStore
  readonly captcha: CaptchaStore
  readonly states: StateTokens
  readonly sessions: Sessions
  readonly passwordAttempts: PasswordAttempts
  /** wx.login codes work once; the newest `USED_LOGIN_CODES_LIMIT` are remembered (WeChat's live 5 minutes). */
  private readonly usedLoginCodes = new Set<string>()

  constructor(
    private readonly options: ResolvedOptions,
    private readonly key: SigningKey,
    /** The issuer of id_tokens: the sandbox's own URL, known once it listens. */
    private readonly issuer: () => string,
    /** The `oneaccess` dialect's key pair for `X-signature`. */
    private readonly signatureKey?: SignatureKey,
  ) {
    this.codes = new CodeStore(options, options.now)
    this.captcha = new CaptchaStore(options, options.now)
    this.states = new StateTokens(options.stateTtlS, options.now)
    this.sessions = new Sessions(options.now)
    this.passwordAttempts = new PasswordAttempts(options.now)
  }

  reset(): void {
    this.directory.reset()
    this.codes.reset()
    this.captcha.reset()
    this.states.reset()
    this.sessions.reset()
    this.passwordAttempts.reset()
    this.usedLoginCodes.clear()
  }

  /**
   * The endpoints of this sandbox's dialect: `bamboo` refreshes through `sso/session-token/id-token`; `oneaccess`
   * answers that path with 404 and serves its own calls instead (oneaccess.ts).
   */
  routes(): readonly Endpoint[] {
    if (this.options.dialect === 'bamboo') return this.endpoints
    if (!this.signatureKey) throw new Error('the oneaccess dialect needs its signature key')
    const own = new OneAccessCalls(this, this.options, this.signatureKey).endpoints
    return this.endpoints.filter((endpoint) => endpoint.path !== BAMBOO_REFRESH_PATH).concat(own)
  }

  readonly endpoints: readonly Endpoint[] = [
    { method: 'POST', path: '/api/v2/sdk/login/wechat-miniprogram', handle: (call) => this.login(call) },
    { method: 'GET', path: '/api/v2/sdk/captcha', handle: () => this.captcha.create() },
    { method: 'POST', path: '/api/v2/sdk/captcha/verify', handle: (call) => this.verifyCaptcha(call) },
    { method: 'POST', path: '/api/v2/sdk/sms/send', handle: (call) => this.sendCode(call, 'sms') },
    { method: 'POST', path: '/api/v2/sdk/email/send', handle: (call) => this.sendCode(call, 'email') },
    { method: 'POST', path: '/api/v2/sdk/social/bind', handle: (call) => this.bindWithCode(call, 'bind') },
    {
      method: 'POST',
      path: '/api/v2/sdk/social/register-bind',
      handle: (call) => this.bindWithCode(call, 'register'),
    },
    {
      method: 'POST',
      path: '/api/v2/sdk/social/wechat-mobile-bind',
      handle: (call) => this.bindOneTap(call, 'bind'),
    },
    {
      method: 'POST',
      path: '/api/v2/sdk/social/wechat-mobile-register-bind',
      handle: (call) => this.bindOneTap(call, 'register'),
    },
    {
      method: 'POST',
      path: '/api/v2/sdk/social/username-password-bind',
      handle: (call) => this.bindWithPassword(call),
    },
    { method: 'POST', path: '/api/v2/sdk/pwd/update', handle: (call) => this.changePassword(call) },
    { method: 'GET', path: '/api/v2/sdk/pwd/skip-update', handle: (call) => this.skipPasswordChange(call) },
    { method: 'GET', path: '/api/v2/sdk/mobile-by-token', handle: (call) => this.mobileByToken(call) },
    { method: 'POST', path: '/api/v2/sdk/mfa/sms', handle: (call) => this.secondFactor(call, 'sms') },
    { method: 'POST', path: '/api/v2/sdk/mfa/email', handle: (call) => this.secondFactor(call, 'email') },
    {
      method: 'POST',
      path: BAMBOO_REFRESH_PATH,
      handle: (call) => this.refresh(call),
    },
    { method: 'GET', path: '/api/v2/sdk/country-codes', handle: () => this.countryCodes() },
  ]

  private login(call: Call): Answer {
    const code = requiredString(call.body, 'code')
    if (this.usedLoginCodes.has(code)) throw wrongValue('code')
    this.usedLoginCodes.add(code)
    if (this.usedLoginCodes.size > USED_LOGIN_CODES_LIMIT) {
      const oldest = this.usedLoginCodes.values().next()
      if (!oldest.done) this.usedLoginCodes.delete(oldest.value)
    }
    const user = this.directory.linkedUser(call.fingerprint)
    if (user) return this.policyAnswer(user, call.fingerprint)
    return this.options.mode === 'register'
      ? this.continueFlow('USER_REGISTER', 'register', call.fingerprint)
      : this.continueFlow('SOCIAL_BIND', 'bind', call.fingerprint)
  }

  private verifyCaptcha(call: Call): Answer {
    const pointJson = requiredString(call.body, 'point_json')
    const token = requiredString(call.body, 'token')
    const sender = canonicalTarget(requiredString(call.body, 'sender'))
    if (sender === undefined) throw badFormat('sender')
    return { captcha_token: this.captcha.verify(token, pointJson, sender) }
  }

  /** Format, type, resend interval, then the captcha token (spent from here on), then the code. */
  private sendCode(call: Call, channel: Channel): Answer {
    const field = channel === 'sms' ? 'mobile' : 'email'
    const asSent = requiredString(call.body, field)
    const canonical = channel === 'sms' ? canonicalMobile(asSent) : canonicalEmail(asSent)
    if (canonical === undefined) throw badFormat(field)
    const type = requiredString(call.body, 'type')
    if (!sendTypesOf(this.options.dialect, channel).includes(type)) throw badFormat('type')
    const captchaToken = requiredString(call.body, 'captcha_token')
    const waitS = this.codes.retryAfterS(type, canonical)
    if (waitS > 0) throw new SandboxError('SDK.CAPTCHA.0006', { n: waitS })
    this.captcha.spend(captchaToken, canonical)
    const sent = this.codes.issue(channel, type, canonical, asSent)
    this.options.log(
      `[eiam-sandbox] ${channel === 'sms' ? 'SMS' : 'EMAIL'} to ${printable(asSent)} type=${type} code=${sent.code}`,
    )
    return undefined
  }

  /** social/bind (bind flow, BIND_* codes) and social/register-bind (register flow, REGISTER_* codes). */
  private bindWithCode(call: Call, flow: 'bind' | 'register'): Answer {
    const state = this.states.check(call.headers['x-state-token'], call.fingerprint, flow)
    const { target } = readTarget(call.body)
    const code = readVerifyCode(call.body)
    this.codes.consume(useTypeOf(this.options.dialect, flow, target.channel), target.canonical, code)
    return this.settleBind(state, target, call.fingerprint)
  }

  /** The sandbox cannot exchange a getPhoneNumber code: `phone:<mobile>` names the mobile, anything else 138…. */
  private bindOneTap(call: Call, flow: 'bind' | 'register'): Answer {
    const state = this.states.check(call.headers['x-state-token'], call.fingerprint, flow)
    const wechatCode = requiredString(call.body, 'wechat_code')
    const mobile = wechatCode.startsWith('phone:')
      ? canonicalMobile(wechatCode.slice('phone:'.length))
      : ONE_TAP_DEFAULT_MOBILE
    if (mobile === undefined) throw badFormat('wechat_code')
    return this.settleBind(state, { channel: 'sms', canonical: mobile }, call.fingerprint)
  }

  /**
   * A proven phone or email: link the identity to its user and answer the user's policy. With no such user, the
   * register flow creates one; the bind flow answers USER_REGISTER in auto mode and "user not found" otherwise
   * (keeping the state token, as every error does).
   */
  private settleBind(state: StateRecord, target: Target, fingerprint: string): Answer {
    const user =
      this.directory.byTarget(target) ??
      (state.flow === 'register' ? this.directory.create(target) : undefined)
    if (user) {
      this.states.spend(state)
      this.directory.link(fingerprint, user, this.options.now())
      return this.policyAnswer(user, fingerprint)
    }
    if (this.options.mode !== 'auto') throw new SandboxError('SDK.COMMON.1013')
    this.states.spend(state)
    return this.continueFlow('USER_REGISTER', 'register', fingerprint)
  }

  /**
   * A directory user proven by user name and password: the lock first (a locked name answers LOGIN.1003 even to the
   * right password), then the credentials, then, as a code bind does, the link and the answer. A password that is
   * expired or about to expire answers its status with a new state token before the user's policy.
   */
  private bindWithPassword(call: Call): Answer {
    const state = this.states.check(call.headers['x-state-token'], call.fingerprint, PASSWORD_BIND_FLOWS)
    const userName = requiredString(call.body, 'user_name')
    const password = requiredString(call.body, 'password')
    this.passwordAttempts.checkUnlocked(userName)
    const user = this.directory.byUserName(userName)
    if (!user || !samePassword(user.password, password)) throw this.passwordAttempts.wrong(userName)
    this.passwordAttempts.right(userName)
    this.states.spend(state)
    this.directory.link(call.fingerprint, user, this.options.now())
    if (user.passwordState === 'expired') {
      return {
        status: 'PASSWORD_EXPIRED',
        state_token: this.states.issue(call.fingerprint, 'password-expired', user.id),
      }
    }
    if (user.passwordState === 'expiring') {
      return {
        status: 'PASSWORD_WARN',
        state_token: this.states.issue(call.fingerprint, 'password-expiring', user.id),
      }
    }
    return this.policyAnswer(user, call.fingerprint)
  }

  /**
   * pwd/update: the old password again (wrong → COMMON.1006 naming `old_password`), then a new one of at least
   * `PASSWORD_MIN_LENGTH` characters that is not the old one (COMMON.1002 naming `new_password`). Errors keep the
   * state token; a change makes the password current and answers the user's policy.
   */
  private changePassword(call: Call): Answer {
    const { state, user } = this.userOfState(call, PASSWORD_CHANGE_FLOWS)
    const oldPassword = requiredString(call.body, 'old_password')
    const newPassword = requiredString(call.body, 'new_password')
    if (!samePassword(user.password, oldPassword)) throw wrongValue('old_password')
    if (newPassword === oldPassword || [...newPassword].length < PASSWORD_MIN_LENGTH) {
      throw badFormat('new_password')
    }
    this.directory.setPassword(user, newPassword)
    this.states.spend(state)
    return this.policyAnswer(user, call.fingerprint)
  }

  /** pwd/skip-update: only a password about to expire may wait; this sign-in goes on to the user's policy. */
  private skipPasswordChange(call: Call): Answer {
    const { state, user } = this.userOfState(call, PASSWORD_SKIP_FLOWS)
    this.states.spend(state)
    return this.policyAnswer(user, call.fingerprint)
  }

  private userOfState(call: Call, flows: readonly Flow[]): { state: StateRecord; user: DirectoryUser } {
    const state = this.states.check(call.headers['x-state-token'], call.fingerprint, flows)
    const user = state.userId === undefined ? undefined : this.directory.byId(state.userId)
    if (!user) throw new SandboxError('SDK.COMMON.1007')
    return { state, user }
  }

  private mobileByToken(call: Call): Answer {
    const { user } = this.mfaState(call)
    if (user.mobile === undefined) return { mobile: null }
    // dash: `+86-15201657124` as the vendor's example; bare: 11 digits as its send examples (a +86 number only)
    const bare = this.options.mfaMobile === 'bare' && !user.mobile.startsWith('+')
    return { mobile: bare ? user.mobile : displayMobile(user.mobile) }
  }

  /** mfa/sms and mfa/email: only the user's own phone or email, with an MFA_AUTH_* code. */
  private secondFactor(call: Call, channel: Channel): Answer {
    const { state, user } = this.mfaState(call)
    const field = channel === 'sms' ? 'mobile' : 'email'
    const canonical = (channel === 'sms' ? canonicalMobile : canonicalEmail)(requiredString(call.body, field))
    if (canonical === undefined) throw badFormat(field)
    const code = readVerifyCode(call.body)
    if ((channel === 'sms' ? user.mobile : user.email) !== canonical) throw wrongValue(field)
    this.codes.consume(useTypeOf(this.options.dialect, 'mfa', channel), canonical, code)
    this.states.spend(state)
    return this.signedIn(user)
  }

  private mfaState(call: Call): { state: StateRecord; user: DirectoryUser } {
    return this.userOfState(call, ['mfa'])
  }

  /**
   * Refresh rotates the session token (the old one stops working), or with `rotate: false` answers the same one, with
   * the full lifetime as `expire` although the session still ends when it did. A missing header is an invalid session.
   */
  private refresh(call: Call): Answer {
    const token = call.headers['x-session-token']
    if (!this.options.rotate) {
      const user = this.directory.byId(this.sessions.userOf(token))
      if (!user) throw new SandboxError('SDK.PARAM.0023')
      return { session_token: token, expire: SESSION_LIFETIME_S, id_token: this.idToken(user) }
    }
    const user = this.directory.byId(this.sessions.rotate(token))
    if (!user) throw new SandboxError('SDK.PARAM.0023')
    return { ...this.sessions.issue(user.id), id_token: this.idToken(user) }
  }

  private countryCodes(): Answer {
    return {
      phoneAreaCodeDefinitions: REGIONS.map(({ areaCode, countryCode, displayMapping, mobileRegex }) => ({
        areaCode,
        countryCode,
        displayMapping: { ...displayMapping },
        mobileRegex,
      })),
      preferredAreaCode: PREFERRED_AREA_CODE,
    }
  }

  /** What every sign-in of a linked identity answers. */
  private policyAnswer(user: DirectoryUser, fingerprint: string): Answer {
    switch (user.policy) {
      case 'SUCCESS':
        return this.signedIn(user)
      case 'MFA_AUTH':
        return { status: 'MFA_AUTH', state_token: this.states.issue(fingerprint, 'mfa', user.id) }
      case 'ACCESS_DENIED':
        return { status: 'ACCESS_DENIED' }
    }
  }

  /** SOCIAL_BIND or USER_REGISTER, with a new state token of that flow and the configured flows as a JSON string. */
  private continueFlow(status: 'SOCIAL_BIND' | 'USER_REGISTER', flow: Flow, fingerprint: string): Answer {
    const flows = this.options.flows
    return {
      status,
      state_token: this.states.issue(fingerprint, flow),
      data: flows.length > 0 ? JSON.stringify({ socialBindOrRegisterFlow: flows }) : null,
    }
  }

  private signedIn(user: DirectoryUser): Answer {
    return { status: 'SUCCESS', ...this.sessions.issue(user.id), id_token: this.idToken(user) }
  }

  /**
   * RS256 as the vendor's sample: `sub` the user name, `nbf` = `iat` − 120, 2 hours; mobile as `+86-139…`; claims the
   * user lacks are left out.
   */
  idToken(user: DirectoryUser): string {
    const issuedAt = Math.floor(this.options.now() / 1000)
    const claims: Record<string, unknown> = {
      iss: this.issuer(),
      aud: this.options.clientId,
      sub: user.userName,
      exp: issuedAt + ID_TOKEN_LIFETIME_S,
      iat: issuedAt,
      nbf: issuedAt - ID_TOKEN_NBF_SKEW_S,
      jti: randomUUID(),
      id: user.id,
      name: user.name,
      userName: user.userName,
    }
    if (user.mobile !== undefined) claims.mobile = displayMobile(user.mobile)
    if (user.email !== undefined) claims.email = user.email
    return signJwt(this.key, claims)
  }
}
