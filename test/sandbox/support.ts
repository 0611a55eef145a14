/**
 * Helpers for the sandbox contract tests: a device that talks to a sandbox over loopback HTTP, as the mini program
 * would, and the contract tests' sandbox, its clock standing still until a test moves it.
 */
import { randomUUID } from 'node:crypto'
import type { Sandbox } from '../../sandbox'
import { EIAM_PATHS } from '../../miniprogram/services/eiam'
import { useSandbox, type SandboxContext, type UseSandboxOptions } from '../support/sandbox'

export { claimsOf } from '../support/sandbox'

export type Json = Record<string, unknown>

export interface Reply {
  status: number
  headers: Headers
  text: string
  /** The parsed body, or `{}` when it was empty or not JSON. */
  json: Json
}

/** Where the contract tests' sandbox clock stands until a test moves it, so expiries and claims are reproducible. */
export const CONTRACT_EPOCH = Date.UTC(2025, 0, 1)

/**
 * A contract test's sandbox (test/support/sandbox.ts `useSandbox`) as the sandbox starts by default: test hooks off
 * unless the options turn them on, and the clock standing at CONTRACT_EPOCH.
 */
export function useContractSandbox(options: UseSandboxOptions = {}): SandboxContext {
  return useSandbox({ hooks: false, clockAt: CONTRACT_EPOCH, ...options })
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
    return this.post(EIAM_PATHS.login, { code: `wx-code-${loginCodes}-${randomUUID()}` })
  }

  /** Logs in and answers the state token; fails the test if login gives none. */
  async stateToken(): Promise<string> {
    const reply = await this.login()
    return stringField(reply, 'state_token')
  }

  /** Solves a puzzle for `sender` the way a user would, answering the captcha_token. */
  async solveCaptcha(sender: string): Promise<string> {
    const puzzle = await this.get(EIAM_PATHS.captcha)
    const token = stringField(puzzle, 'token')
    const x = this.sandbox.captchaAnswer(token)
    const reply = await this.post(EIAM_PATHS.captchaVerify, {
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
        ? await this.post(EIAM_PATHS.smsSend, { mobile: target, type, captcha_token: captchaToken })
        : await this.post(EIAM_PATHS.emailSend, { email: target, type, captcha_token: captchaToken })
    if (reply.status !== 200) throw new Error(`send failed: ${reply.status} ${reply.text}`)
    const code = this.sandbox.lastCode(target)
    if (code === undefined) throw new Error(`no code recorded for ${target}`)
    return code
  }
}

/** A new device, logged in: the device and the state token its login answered. */
export async function loggedIn(sandbox: Sandbox): Promise<{ device: Device; token: string }> {
  const device = new Device(sandbox)
  return { device, token: await device.stateToken() }
}

/** A POST of `body` to `path` under a state token, the way every bind and second-factor call goes. */
export function stateTokenCall(path: string) {
  return (
    device: Device,
    stateToken: string,
    body: unknown,
    headers?: Record<string, string>,
  ): Promise<Reply> => device.post(path, body, { stateToken, headers })
}

/** A code sent to `sentTo` (puzzle solved), then submitted under a state token as a bind or second factor would. */
export interface SentCode {
  /** BIND_MOBILE_SMS, MFA_AUTH_EMS, REGISTER_SMS…: an `_EMS` type goes by email, any other by SMS. */
  type: string
  sentTo: string
  /** The target the call names: `sentTo` as the form writes it, or another. */
  submittedAs: string
  headers?: Record<string, string>
}

/** A `SentCode` submitted for the address it was sent to unless `submittedAs` names another. */
export const sentCode = (
  type: string,
  sentTo: string,
  submittedAs = sentTo,
  headers?: Record<string, string>,
): SentCode => ({ type, sentTo, submittedAs, headers })

/** Sends the code of `sent` and submits it to `call` under `stateToken`: the reply. */
export async function submitSentCode(
  call: ReturnType<typeof stateTokenCall>,
  device: Device,
  stateToken: string,
  sent: SentCode,
): Promise<Reply> {
  const channel = sent.type.endsWith('_EMS') ? 'email' : 'sms'
  const code = await device.sendCode(channel, sent.sentTo, sent.type)
  const target = channel === 'email' ? { email: sent.submittedAs } : { mobile: sent.submittedAs }
  return call(device, stateToken, { ...target, verify_code: code }, sent.headers)
}

/** The calls made under a state token, one per endpoint the contract tests exercise. */
export const postBind = stateTokenCall(EIAM_PATHS.bind)
export const postRegisterBind = stateTokenCall(EIAM_PATHS.registerBind)
export const postOneTapBind = stateTokenCall(EIAM_PATHS.oneTapBind)
export const postOneTapRegisterBind = stateTokenCall(EIAM_PATHS.oneTapRegisterBind)
export const postMfaSms = stateTokenCall(EIAM_PATHS.mfaSms)
export const postMfaEmail = stateTokenCall(EIAM_PATHS.mfaEmail)
export const postPasswordBind = stateTokenCall(EIAM_PATHS.passwordBind)
export const postPasswordUpdate = stateTokenCall(EIAM_PATHS.passwordUpdate)

export function stringField(reply: Reply, name: string): string {
  const value = reply.json[name]
  if (typeof value !== 'string') throw new Error(`expected string ${name} in ${reply.status} ${reply.text}`)
  return value
}

/** The error envelope of a reply, for one-line assertions. */
export function errorOf(reply: Reply): { status: number; code: unknown; message: unknown } {
  return { status: reply.status, code: reply.json.error_code, message: reply.json.error_msg }
}

/** The header that asks for the server's words in Chinese. */
export const IN_CHINESE = { 'X-L': 'zh' }

/** The body of a SUCCESS answer: a new session token for 5 days (432000 s) and an id_token. */
export const SIGNED_IN = {
  status: 'SUCCESS',
  session_token: expect.any(String) as unknown,
  expire: 432000,
  id_token: expect.any(String) as unknown,
}

/** `errorOf` a refusal: a 400 (unless `status` says otherwise) with this code and message. */
export function refusal(code: string, message: string, status = 400): ReturnType<typeof errorOf> {
  return { status, code, message }
}

/** `errorOf` a refused state token (missing, unknown, another device's or another flow's): COMMON.1007. */
export const STATE_TOKEN_ERROR = refusal('IDAAS.SDK.COMMON.1007', 'state_token parameter error')
