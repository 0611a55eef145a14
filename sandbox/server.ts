/**
 * The HTTP server and the order of checks every request goes through:
 * 1. body read, at most 1 MiB, else 413 (past 8 MiB the rest is not read and the connection closes after the 413);
 * 2. a pending fault for this exact path (not for hooks);
 * 3. route: unknown path 404, known path with another method 405 (with `Allow`);
 * 4. a POST with a body must say `content-type: application/json` (415);
 * 5. EIAM paths: the four common headers (COMMON.1003), then the client id (COMMON.1012);
 * 6. the body must be a JSON object: malformed JSON, an array or a scalar answer 400 COMMON.1002 naming `body`
 *    (1002 rather than 1001: the body is there, its format is wrong);
 * 7. the endpoint. An unexpected exception answers 500 COMMON.1008 "System busy" and is logged to stderr by its
 *    stack only: request headers and bodies, which carry tokens, are never logged.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { OutboxEntry } from './codes'
import { Faults, type Fault } from './faults'
import { HOOK_PREFIX, hookRoutes, type HookRoute } from './hooks'
import {
  Responder,
  headersOf,
  isJsonContentType,
  loggableBody,
  parseJsonObject,
  pathOf,
  readBody,
} from './http'
import { signingKey, type SigningKey } from './jwt'
import { SandboxError, errorEnvelope, languageOf, type Lang } from './messages'
import { resolveOptions, type ResolvedOptions, type SandboxOptions } from './options'
import { makeSignatureKey, type SignatureKey } from './signature'
import { appendBounded } from './sweep'
import { Tenant, type Answer } from './tenant'
import { canonicalTarget } from './validation'

/** The headers every EIAM call must carry (docs/eiam-api.md §1); `content-type` is checked apart, only with a body. */
export const REQUIRED_HEADERS = [
  'x-operating-sys-version',
  'x-device-fingerprint',
  'x-agent',
  'x-client-id',
] as const

/** The request log keeps the newest requests only, so a long run or a load script cannot exhaust memory. */
export const REQUEST_LOG_LIMIT = 10_000

/** What a fault's `malformed` answers: cut-off HTML where JSON was promised, as a broken gateway would. */
export const MALFORMED_BODY = '<html>oops'

export interface RequestRecord {
  method: string
  path: string
  headers: Record<string, string>
  /** The JSON value sent, the raw text when it was not JSON, undefined when empty, `<n bytes>` past 64 KiB. */
  body: unknown
  /** 0 while unanswered, or when the connection was dropped. */
  status: number
}

export interface Sandbox {
  /** `http://HOST:PORT` */
  url: string
  port: number
  close(): Promise<void>
  /** Same as POST /__sandbox/reset: forget codes, links, tokens, faults, created users, the outbox and the log. */
  reset(): void
  outbox(): OutboxEntry[]
  /** The newest code sent to that target (mobile or email, compared in canonical form). */
  lastCode(target: string): string | undefined
  /** The x answer of a live puzzle. */
  captchaAnswer(token: string): number | undefined
  /** Every request received except the hooks', oldest first (the newest 10 000). */
  requests(): RequestRecord[]
  /** Same as POST /__sandbox/faults; throws a SandboxError on an invalid fault. */
  fault(fault: Fault): void
  /** Links a WeChat identity (fingerprint) to a user (userName or name), as a successful bind would. */
  linkIdentity(fingerprint: string, user: string): void
}

type RouteKind = 'eiam' | 'open' | 'hook'

interface Route {
  method: 'GET' | 'POST'
  kind: RouteKind
  matches: (path: string) => boolean
  handle: (call: { path: string; headers: Record<string, string>; body: Record<string, unknown> }) => Answer
}

const exactly = (expected: string) => (path: string) => path === expected
const prefixOrExactly = (expected: string) =>
  expected.endsWith('/')
    ? (path: string) => path.startsWith(expected) && path.length > expected.length
    : exactly(expected)

function describe(error: unknown): string {
  return error instanceof Error ? (error.stack ?? `${error.name}: ${error.message}`) : String(error)
}

function urlHost(host: string): string {
  return host.includes(':') ? `[${host}]` : host
}

class SandboxServer {
  readonly tenant: Tenant
  readonly faults = new Faults()
  readonly log: RequestRecord[] = []
  readonly http: Server
  url = ''
  private readonly routes: Route[]
  /** Resolvers of fault delays in progress, released at close so nothing waits on a dead server. */
  private readonly delays = new Set<() => void>()
  private closed = false

  constructor(
    private readonly options: ResolvedOptions,
    key: SigningKey,
    signatureKey?: SignatureKey,
  ) {
    this.tenant = new Tenant(options, key, () => this.url, signatureKey)
    this.routes = [
      {
        method: 'GET',
        kind: 'open',
        matches: exactly('/'),
        handle: () => ({
          status: 'UP',
          service: 'eiam-sandbox',
          clientId: options.clientId,
          mode: options.mode,
        }),
      },
      ...this.tenant.routes().map((endpoint): Route => ({
        method: endpoint.method,
        kind: 'eiam',
        matches: exactly(endpoint.path),
        handle: ({ headers, body }) =>
          endpoint.handle({ headers, body, fingerprint: headers['x-device-fingerprint'] ?? '' }),
      })),
      ...(options.hooks ? hookRoutes({ ...this.hookTarget(), key }).map((hook) => this.hookRoute(hook)) : []),
    ]
    this.http = createServer((request, response) => void this.serve(request, response))
    // Garbage before a request line: answer 400 and close, never crash.
    this.http.on('clientError', (_error, socket) => {
      if (socket.writable)
        socket.end('HTTP/1.1 400 Bad Request\r\nconnection: close\r\ncontent-length: 0\r\n\r\n')
      else socket.destroy()
    })
  }

  reset(): void {
    this.tenant.reset()
    this.faults.reset()
    this.log.length = 0
  }

  close(): Promise<void> {
    this.closed = true
    for (const release of this.delays) release()
    return new Promise((resolve) => {
      if (!this.http.listening) {
        resolve()
        return
      }
      this.http.close(() => resolve())
      this.http.closeAllConnections()
    })
  }

  private hookTarget() {
    return {
      outbox: () => this.tenant.codes.outbox(),
      captchaAnswer: (token: string) => this.tenant.captcha.answer(token),
      fault: (input: unknown) => this.faults.add(input),
      reset: () => this.reset(),
    }
  }

  private hookRoute(hook: HookRoute): Route {
    return {
      method: hook.method,
      kind: 'hook',
      matches: prefixOrExactly(hook.path),
      handle: ({ path, body }) => hook.handle({ path, body }),
    }
  }

  private async serve(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const method = request.method ?? 'GET'
    const path = pathOf(request.url)
    const headers = headersOf(request)
    const lang = languageOf(headers['x-l'])
    const record: RequestRecord | undefined = path.startsWith(HOOK_PREFIX)
      ? undefined
      : { method, path, headers, body: undefined, status: 0 }
    if (record) appendBounded(this.log, record, REQUEST_LOG_LIMIT)
    const responder = new Responder(response, (status) => {
      if (record) record.status = status
    })
    try {
      await this.dispatch(request, method, path, headers, lang, record, responder)
    } catch (error) {
      if (error instanceof SandboxError) {
        this.answerError(responder, error, lang)
        return
      }
      process.stderr.write(`[eiam-sandbox] internal error on ${method} ${path}: ${describe(error)}\n`)
      this.answerError(responder, new SandboxError('SDK.COMMON.1008'), lang)
    }
  }

  private async dispatch(
    request: IncomingMessage,
    method: string,
    path: string,
    headers: Record<string, string>,
    lang: Lang,
    record: RequestRecord | undefined,
    responder: Responder,
  ): Promise<void> {
    const read = await readBody(request)
    if (read.kind === 'aborted') return
    if (read.kind === 'too-large') {
      this.answerError(
        responder,
        new SandboxError('SDK.HTTP.413'),
        lang,
        read.drained ? {} : { connection: 'close' },
      )
      return
    }
    if (record) record.body = loggableBody(read.bytes)

    if (record) {
      const fault = this.faults.take(path)
      if (fault && (await this.applyFault(fault, responder))) return
    }

    const candidates = this.routes.filter((route) => route.matches(path))
    if (candidates.length === 0) throw new SandboxError('SDK.HTTP.404', { path })
    const route = candidates.find((candidate) => candidate.method === method)
    if (!route) {
      const allow = [...new Set(candidates.map((candidate) => candidate.method))].join(', ')
      this.answerError(responder, new SandboxError('SDK.HTTP.405', { method, path }), lang, { allow })
      return
    }
    const hasBody = method === 'POST' && read.bytes.length > 0
    if (hasBody && !isJsonContentType(headers['content-type'])) throw new SandboxError('SDK.HTTP.415')
    if (route.kind === 'eiam') {
      if (REQUIRED_HEADERS.some((name) => !headers[name]?.trim())) throw new SandboxError('SDK.COMMON.1003')
      if (headers['x-client-id']?.trim() !== this.options.clientId) throw new SandboxError('SDK.COMMON.1012')
    }
    const body = hasBody ? parseJsonObject(read.bytes) : {}
    const answer = route.handle({ path, headers, body })
    if (answer === undefined) responder.empty(200)
    else responder.json(200, answer)
  }

  /** True when the fault answered (or dropped) the request; false lets it be answered normally. */
  private async applyFault(fault: Fault, responder: Responder): Promise<boolean> {
    if (fault.delayMs) await this.delay(fault.delayMs)
    if (this.closed || fault.drop) {
      responder.drop()
      return true
    }
    if (fault.malformed) {
      responder.text(200, MALFORMED_BODY, 'application/json;charset=UTF-8')
      return true
    }
    if (fault.status === undefined && fault.body === undefined) return false
    const status = fault.status ?? 200
    if (fault.body === undefined) responder.empty(status)
    else if (typeof fault.body === 'string') responder.text(status, fault.body, 'text/plain;charset=UTF-8')
    else responder.json(status, fault.body)
    return true
  }

  private delay(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const release = () => {
        clearTimeout(timer)
        this.delays.delete(release)
        resolve()
      }
      const timer = setTimeout(release, ms)
      this.delays.add(release)
    })
  }

  private answerError(
    responder: Responder,
    error: SandboxError,
    lang: Lang,
    headers: Record<string, string> = {},
  ): void {
    responder.json(error.status, errorEnvelope(error, lang, this.options.errorPrefix), headers)
  }
}

function listen(server: Server, port: number, host: string): Promise<AddressInfo> {
  return new Promise((resolve, reject) => {
    const onError = (error: Error) => reject(error)
    server.once('error', onError)
    server.listen(port, host, () => {
      server.off('error', onError)
      resolve(server.address() as AddressInfo)
    })
  })
}

/** Starts a sandbox; rejects with the listen error (EADDRINUSE…) or a SandboxConfigError for invalid options. */
export async function startSandbox(input: SandboxOptions = {}): Promise<Sandbox> {
  const options = resolveOptions(input)
  const server = new SandboxServer(
    options,
    await signingKey(),
    options.dialect === 'oneaccess' ? await makeSignatureKey() : undefined,
  )
  const address = await listen(server.http, options.port, options.host)
  server.url = `http://${urlHost(options.host)}:${address.port}`
  const { tenant } = server
  return {
    url: server.url,
    port: address.port,
    close: () => server.close(),
    reset: () => server.reset(),
    outbox: () => tenant.codes.outbox(),
    lastCode: (target) => tenant.codes.lastCode(canonicalTarget(target) ?? target),
    captchaAnswer: (token) => tenant.captcha.answer(token),
    requests: () => server.log.map((record) => ({ ...record, headers: { ...record.headers } })),
    fault: (fault) => server.faults.add(fault),
    linkIdentity: (fingerprint, userName) => {
      const user = tenant.directory.byName(userName)
      if (!user) throw new Error(`linkIdentity: no user named "${userName}" in the sandbox directory`)
      tenant.directory.link(fingerprint, user, options.now())
    },
  }
}
