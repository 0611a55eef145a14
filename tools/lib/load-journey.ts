/**
 * One load journey over real HTTP on loopback, as a new WeChat identity would walk it:
 * login → (captcha → verify → send code → read the code → bind) → captcha → verify → send code → read the code →
 * register-bind → SUCCESS tokens → refresh. Register mode skips the bracket (login answers USER_REGISTER); auto mode
 * binds first, and the sandbox answers USER_REGISTER for the fresh target.
 *
 * Anything the contract does not allow — a non-2xx answer, a missing field, another status, claims of another user —
 * stops the journey with a JourneyError naming the step, the path and the error code.
 */
import http from 'node:http'
import { performance } from 'node:perf_hooks'
import { EIAM_PATHS } from '../../miniprogram/services/eiam'
import type { JourneyCodes } from './load-report'
import { sendTypesOf, type JourneyPlan } from './load-plan'

export const SDK_PREFIX = '/api/v2/sdk/'

export class JourneyError extends Error {
  constructor(
    readonly step: string,
    message: string,
    readonly path?: string,
    readonly status?: number,
    readonly code?: string,
  ) {
    super(message)
    this.name = 'JourneyError'
  }
}

export interface Reply {
  status: number
  text: string
  json: Record<string, unknown>
}

export interface RequestOptions {
  headers: Record<string, string>
  body?: unknown
  /** The journey step, for the error message. */
  step: string
}

/** Only `http://127.0.0.1:<port>`: the load run never sends a byte anywhere else. */
export function isLoopbackOrigin(origin: string): boolean {
  try {
    const url = new URL(origin)
    return url.protocol === 'http:' && url.hostname === '127.0.0.1' && url.pathname === '/' && !url.search
  } catch {
    return false
  }
}

/** node:http over one keep-alive agent, every request timed and stopped by the run's deadline signal. */
export class LoopbackClient {
  requests = 0
  connectionsOpened = 0
  private readonly sockets = new WeakSet<object>()

  constructor(
    private readonly agent: http.Agent,
    private readonly signal: AbortSignal,
    private readonly onSample: (endpoint: string, ms: number) => void,
  ) {}

  request(origin: string, method: 'GET' | 'POST', path: string, options: RequestOptions): Promise<Reply> {
    if (!isLoopbackOrigin(origin)) {
      return Promise.reject(
        new JourneyError(options.step, `refusing to send to ${origin}: loopback only`, path),
      )
    }
    const url = new URL(path, origin)
    const body = options.body === undefined ? undefined : Buffer.from(JSON.stringify(options.body), 'utf8')
    const headers: Record<string, string | number> = { ...options.headers }
    if (body) {
      headers['content-type'] = 'application/json'
      headers['content-length'] = body.length
    }
    const endpoint = path.startsWith(SDK_PREFIX) ? path.slice(SDK_PREFIX.length) : path
    return new Promise((resolve, reject) => {
      const startedAt = performance.now()
      this.requests += 1
      const outgoing = http.request(
        url,
        { method, headers, agent: this.agent, signal: this.signal },
        (response) => {
          const chunks: Buffer[] = []
          response.on('data', (chunk: Buffer) => chunks.push(chunk))
          response.on('error', (error) =>
            reject(new JourneyError(options.step, `answer cut off: ${error.message}`, path, 0)),
          )
          response.on('end', () => {
            this.onSample(endpoint, performance.now() - startedAt)
            const text = Buffer.concat(chunks).toString('utf8')
            let json: Record<string, unknown> = {}
            try {
              const parsed: unknown = text ? JSON.parse(text) : {}
              if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed))
                json = parsed as Record<string, unknown>
            } catch {
              // not JSON: the journey checks `text` or fails on the missing field
            }
            resolve({ status: response.statusCode ?? 0, text, json })
          })
        },
      )
      outgoing.on('socket', (socket) => {
        if (this.sockets.has(socket)) return
        this.sockets.add(socket)
        this.connectionsOpened += 1
      })
      outgoing.on('error', (error) => {
        const stopped = this.signal.aborted
        reject(
          new JourneyError(
            options.step,
            stopped ? 'stopped by the deadline' : `no answer: ${error.message}`,
            path,
            0,
          ),
        )
      })
      outgoing.end(body)
    })
  }
}

/** What a journey needs of its sandbox: where it is, and the two test-hook answers read in-process. */
export interface JourneySandbox {
  url: string
  captchaAnswer(token: string): number | undefined
  lastCode(target: string): string | undefined
}

const errorCodeOf = (reply: Reply) =>
  typeof reply.json.error_code === 'string' ? reply.json.error_code : undefined

function expectOk(reply: Reply, step: string, path: string): Reply {
  if (reply.status < 200 || reply.status > 299) {
    const message = typeof reply.json.error_msg === 'string' ? reply.json.error_msg : reply.text.slice(0, 120)
    throw new JourneyError(step, message || 'non-2xx answer', path, reply.status, errorCodeOf(reply))
  }
  return reply
}

function field(reply: Reply, name: string, step: string, path: string): string {
  const value = reply.json[name]
  if (typeof value !== 'string' || !value) {
    throw new JourneyError(step, `answer has no ${name}: ${reply.text.slice(0, 120)}`, path, reply.status)
  }
  return value
}

function expectStatus(reply: Reply, status: string, step: string, path: string): void {
  if (reply.json.status !== status) {
    throw new JourneyError(
      step,
      `expected status ${status}, got ${String(reply.json.status)}`,
      path,
      reply.status,
    )
  }
}

/** Claims of a JWT, unverified: enough to tell whose token it is. */
export function jwtClaims(jwt: string): Record<string, unknown> {
  try {
    const payload = jwt.split('.')[1] ?? ''
    const claims: unknown = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'))
    return typeof claims === 'object' && claims !== null ? (claims as Record<string, unknown>) : {}
  } catch {
    return {}
  }
}

export interface JourneyOptions {
  sandbox: JourneySandbox
  client: LoopbackClient
  clientId: string
}

/** Runs one journey to its refreshed SUCCESS; answers the codes it sent and used. */
export async function runJourney(
  plan: JourneyPlan,
  { sandbox, client, clientId }: JourneyOptions,
): Promise<JourneyCodes> {
  const common = {
    'X-operating-sys-version': 'iOS 17.2',
    'X-device-fingerprint': plan.fingerprint,
    'X-agent': 'iPhone 13; iOS 17.2; WeChat/8.0.50; MiniProgram/3.6.6; load',
    'X-L': 'en',
    'X-client-id': clientId,
  }
  const targetField = plan.channel === 'sms' ? 'mobile' : 'email'
  const used: JourneyCodes['used'] = []
  const call = async (
    step: string,
    method: 'GET' | 'POST',
    path: string,
    extra: Record<string, string> = {},
    body?: unknown,
  ) =>
    expectOk(
      await client.request(sandbox.url, method, path, { headers: { ...common, ...extra }, body, step }),
      step,
      path,
    )

  let step = 'login'
  const login = await call(step, 'POST', EIAM_PATHS.login, {}, { code: `wx-code-${plan.fingerprint}` })
  expectStatus(login, plan.mode === 'register' ? 'USER_REGISTER' : 'SOCIAL_BIND', step, EIAM_PATHS.login)
  let stateToken = field(login, 'state_token', step, EIAM_PATHS.login)

  const sendCode = async (type: string): Promise<string> => {
    step = `captcha for ${type}`
    const puzzle = await call(step, 'GET', EIAM_PATHS.captcha)
    const token = field(puzzle, 'token', step, EIAM_PATHS.captcha)
    const x = sandbox.captchaAnswer(token)
    if (x === undefined)
      throw new JourneyError(step, `the sandbox knows no puzzle ${token}`, EIAM_PATHS.captcha)
    step = `verify captcha for ${type}`
    const verified = await call(
      step,
      'POST',
      EIAM_PATHS.captchaVerify,
      {},
      {
        point_json: JSON.stringify({ x, y: 5 }),
        token,
        sender: plan.target,
      },
    )
    const captchaToken = field(verified, 'captcha_token', step, EIAM_PATHS.captchaVerify)
    step = `send ${type}`
    const path = plan.channel === 'sms' ? EIAM_PATHS.smsSend : EIAM_PATHS.emailSend
    const sent = await call(
      step,
      'POST',
      path,
      {},
      { [targetField]: plan.target, type, captcha_token: captchaToken },
    )
    if (sent.text !== '')
      throw new JourneyError(step, `expected an empty body, got ${sent.text.slice(0, 80)}`, path, 200)
    const code = sandbox.lastCode(plan.target)
    if (code === undefined || !/^\d{6}$/.test(code)) {
      throw new JourneyError(step, `no code in the outbox for ${plan.target}`, path, 200)
    }
    used.push({ type, code })
    return code
  }

  const [firstType, secondType] = sendTypesOf(plan)
  if (plan.mode === 'auto') {
    const code = await sendCode(firstType as string)
    step = 'bind'
    const bound = await call(
      step,
      'POST',
      EIAM_PATHS.bind,
      { 'X-state-token': stateToken },
      {
        [targetField]: plan.target,
        verify_code: code,
      },
    )
    expectStatus(bound, 'USER_REGISTER', step, EIAM_PATHS.bind)
    const next = field(bound, 'state_token', step, EIAM_PATHS.bind)
    if (next === stateToken)
      throw new JourneyError(step, 'USER_REGISTER brought back the spent state token', EIAM_PATHS.bind)
    stateToken = next
  }

  const registerCode = await sendCode((plan.mode === 'auto' ? secondType : firstType) as string)
  step = 'register-bind'
  const success = await call(
    step,
    'POST',
    EIAM_PATHS.registerBind,
    { 'X-state-token': stateToken },
    {
      [targetField]: plan.target,
      verify_code: registerCode,
    },
  )
  expectStatus(success, 'SUCCESS', step, EIAM_PATHS.registerBind)
  const sessionToken = field(success, 'session_token', step, EIAM_PATHS.registerBind)
  const claims = jwtClaims(field(success, 'id_token', step, EIAM_PATHS.registerBind))
  if (claims.userName !== plan.target) {
    throw new JourneyError(
      step,
      `signed in as ${String(claims.userName)}, not ${plan.target}`,
      EIAM_PATHS.registerBind,
    )
  }

  step = 'refresh'
  const refreshed = await call(step, 'POST', EIAM_PATHS.refresh, { 'X-session-token': sessionToken })
  const rotated = field(refreshed, 'session_token', step, EIAM_PATHS.refresh)
  if (rotated === sessionToken)
    throw new JourneyError(step, 'the session token was not rotated', EIAM_PATHS.refresh)
  const refreshedClaims = jwtClaims(field(refreshed, 'id_token', step, EIAM_PATHS.refresh))
  if (refreshedClaims.sub !== claims.sub) {
    throw new JourneyError(
      step,
      `refresh answered user ${String(refreshedClaims.sub)}, not ${String(claims.sub)}`,
      EIAM_PATHS.refresh,
    )
  }
  return { journey: plan.index, target: plan.target, used }
}
