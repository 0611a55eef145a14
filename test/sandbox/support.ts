/**
 * Helpers for the sandbox contract tests: a device that talks to a sandbox over loopback HTTP, as the mini program
 * would, and a clock the tests move by hand.
 */
import { randomUUID } from 'node:crypto'
import { startSandbox, type Sandbox, type SandboxOptions } from '../../sandbox'

export const API = {
  login: '/api/v2/sdk/login/wechat-miniprogram',
  captcha: '/api/v2/sdk/captcha',
  captchaVerify: '/api/v2/sdk/captcha/verify',
  smsSend: '/api/v2/sdk/sms/send',
  emailSend: '/api/v2/sdk/email/send',
  bind: '/api/v2/sdk/social/bind',
  registerBind: '/api/v2/sdk/social/register-bind',
  oneTapBind: '/api/v2/sdk/social/wechat-mobile-bind',
  oneTapRegisterBind: '/api/v2/sdk/social/wechat-mobile-register-bind',
  mobileByToken: '/api/v2/sdk/mobile-by-token',
  mfaSms: '/api/v2/sdk/mfa/sms',
  mfaEmail: '/api/v2/sdk/mfa/email',
  refresh: '/api/v2/sdk/sso/session-token/id-token',
  countryCodes: '/api/v2/sdk/country-codes',
} as const

export type Json = Record<string, unknown>

export interface Reply {
  status: number
  headers: Headers
  text: string
  /** The parsed body, or `{}` when it was empty or not JSON. */
  json: Json
}

/** A clock the test advances; starts at a fixed instant so expiries are reproducible. */
export class ManualClock {
  ms = Date.UTC(2025, 0, 1)
  readonly now = () => this.ms
  advanceS(seconds: number): void {
    this.ms += seconds * 1000
  }
}

export interface TestSandbox {
  sandbox: Sandbox
  clock: ManualClock
  /** The stdout lines the sandbox printed. */
  lines: string[]
}

/** A sandbox on a free port with a manual clock and captured output; closed after the file's tests. */
export function useSandbox(options: SandboxOptions = {}): TestSandbox {
  const context = { clock: new ManualClock(), lines: [] as string[] } as TestSandbox
  beforeAll(async () => {
    context.sandbox = await startSandbox({
      port: 0,
      now: context.clock.now,
      log: (line) => context.lines.push(line),
      ...options,
    })
  })
  beforeEach(() => {
    context.sandbox.reset()
    context.lines.length = 0
  })
  afterAll(() => context.sandbox?.close())
  return context
}

export interface CallOptions {
  body?: unknown
  /** Sent as is, instead of JSON of `body`. */
  rawBody?: string
  headers?: Record<string, string>
  /** Common headers to leave out. */
  omit?: string[]
  stateToken?: string
}

let loginCodes = 0

/** A phone with WeChat: its fingerprint is its WeChat identity as far as the sandbox can tell. */
export class Device {
  constructor(
    private readonly sandbox: Sandbox,
    readonly fingerprint: string = randomUUID(),
    private readonly clientId = 'sandbox-client-id',
  ) {}

  commonHeaders(): Record<string, string> {
    return {
      'X-operating-sys-version': 'iOS 17.2',
      'X-device-fingerprint': this.fingerprint,
      'X-agent': 'iPhone15,2 iOS 17.2 WeChat/8.0.47 base/3.3.4',
      'X-client-id': this.clientId,
    }
  }

  async call(
    method: 'GET' | 'POST' | 'PUT' | 'DELETE',
    path: string,
    options: CallOptions = {},
  ): Promise<Reply> {
    const headers: Record<string, string> = { ...this.commonHeaders() }
    for (const name of options.omit ?? []) delete headers[name]
    let body: string | undefined = options.rawBody
    if (body === undefined && options.body !== undefined) body = JSON.stringify(options.body)
    if (body !== undefined) headers['content-type'] = 'application/json'
    if (options.stateToken !== undefined) headers['X-state-token'] = options.stateToken
    Object.assign(headers, options.headers)
    const response = await fetch(`${this.sandbox.url}${path}`, { method, headers, body })
    const text = await response.text()
    let json: Json = {}
    try {
      const parsed: unknown = JSON.parse(text)
      if (typeof parsed === 'object' && parsed !== null) json = parsed as Json
    } catch {
      // not JSON: tests read `text`
    }
    return { status: response.status, headers: response.headers, text, json }
  }

  post(path: string, body?: unknown, options: Omit<CallOptions, 'body'> = {}): Promise<Reply> {
    return this.call('POST', path, { ...options, body })
  }

  get(path: string, options: CallOptions = {}): Promise<Reply> {
    return this.call('GET', path, options)
  }

  /** A fresh wx.login code every time, as the app must do. */
  login(): Promise<Reply> {
    loginCodes += 1
    return this.post(API.login, { code: `wx-code-${loginCodes}-${randomUUID()}` })
  }

  /** Logs in and answers the state token; fails the test if login gives none. */
  async stateToken(): Promise<string> {
    const reply = await this.login()
    return stringField(reply, 'state_token')
  }

  /** Solves a puzzle for `sender` the way a user would, answering the captcha_token. */
  async solveCaptcha(sender: string): Promise<string> {
    const puzzle = await this.get(API.captcha)
    const token = stringField(puzzle, 'token')
    const x = this.sandbox.captchaAnswer(token)
    const reply = await this.post(API.captchaVerify, {
      point_json: JSON.stringify({ x, y: 5 }),
      token,
      sender,
    })
    return stringField(reply, 'captcha_token')
  }

  /** Captcha then send; answers the code the sandbox printed. */
  async sendCode(channel: 'sms' | 'email', target: string, type: string): Promise<string> {
    const captchaToken = await this.solveCaptcha(target)
    const reply =
      channel === 'sms'
        ? await this.post(API.smsSend, { mobile: target, type, captcha_token: captchaToken })
        : await this.post(API.emailSend, { email: target, type, captcha_token: captchaToken })
    if (reply.status !== 200) throw new Error(`send failed: ${reply.status} ${reply.text}`)
    const code = this.sandbox.lastCode(target)
    if (code === undefined) throw new Error(`no code recorded for ${target}`)
    return code
  }
}

export function stringField(reply: Reply, name: string): string {
  const value = reply.json[name]
  if (typeof value !== 'string') throw new Error(`expected string ${name} in ${reply.status} ${reply.text}`)
  return value
}

/** The error envelope of a reply, for one-line assertions. */
export function errorOf(reply: Reply): { status: number; code: unknown; message: unknown } {
  return { status: reply.status, code: reply.json.error_code, message: reply.json.error_msg }
}

/** Claims of a JWT, without checking its signature. */
export function claimsOf(jwt: string): Json {
  const payload = jwt.split('.')[1] ?? ''
  return JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Json
}
