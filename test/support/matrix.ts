/**
 * The fault matrix and the bad-input matrix of the page tests (test/pages/matrix/*.test.ts):
 * - `FLOWS` × `FAULTS`: every request of every flow and every fault that can happen to it, with the cells that cannot
 *   happen marked n/a and why (`notApplicable`). A fault is one entry of `FAULTS` (what it shows, where it cannot
 *   happen, how it is put on a call); a flow is one entry of `FLOWS` plus a `Driver` and a `test.each` line in its file;
 * - `expectedOutcome(flow, fault)`: what the user must be left with (the exact text and where it stands, a silent
 *   restart, a fallback, or plain success);
 * - `armFault(...)`: puts a fault on the next call to a path (the sandbox's fault hooks, or a wx-node option switched
 *   for that one call: a closed port, a short timeout);
 * - `runFaultCase(driver, fault)`: drives one cell through the real page and checks every outcome of the issue (message,
 *   typed input kept, buttons usable, no request fired by itself, countdowns intact, storage consistent, the second tap
 *   works);
 * - the report: every file adds its cells (and the bad-input rows) to `reports/fault-matrix/*.json` after its tests and
 *   rewrites `reports/fault-matrix.md` from all of them; a compact table of the file's rows goes to the test output.
 */
import fs from 'node:fs'
import net from 'node:net'
import path from 'node:path'
import { performance } from 'node:perf_hooks'
// Node's own timer: it runs while a test fakes the global ones
import { setTimeout as sleep } from 'node:timers/promises'
import type { Sandbox } from '../../sandbox'
import { strings } from '../../miniprogram/i18n/index'
import { ONEACCESS_PATHS } from '../../miniprogram/oneaccess/api'
import { EIAM_PATHS } from '../../miniprogram/services/eiam'
import { agree, FINGERPRINT, installDevice, renderReady, requestCode } from './captcha'
import {
  DEVELOP_ORIGIN,
  useSandbox,
  type SandboxClock,
  type SandboxContext,
  type UseSandboxOptions,
} from './sandbox'
import { renderPage, type PageHandle, type PageId } from './simulate'
import { readEncrypted, type StoredItem, type WxNode } from './wx-node'

const zh = strings('zh')

// ---- the numbers and bodies of the faults ------------------------------------------------------------------------

/** The client timeout of the one call that must time out, and how long the sandbox keeps it waiting before dropping it. */
export const TIMEOUT_MS = 100
export const TIMEOUT_DELAY_MS = 800
/** A slow answer: late, but well inside the timeout the call gets. */
export const SLOW_DELAY_MS = 250
export const SLOW_TIMEOUT_MS = 2000
/** The sandbox's state token lifetime in the files that expire one (docs/design.md: 10 minutes by default). */
export const STATE_TTL_S = 60
/** The sandbox's puzzle and captcha_token lifetime (docs/design.md: 2 minutes). */
export const CAPTCHA_TTL_S = 120
/** How long a call is held at the sandbox while the test moves its clock past the captcha lifetime. */
const EXPIRY_HOLD_MS = 150

export const HTML_PAGE =
  '<!DOCTYPE html><html><head><title>502 Bad Gateway</title></head><body><h1>502 Bad Gateway</h1></body></html>'
/** An error code no document knows, with the server's own words (what a newer tenant could answer). */
export const UNKNOWN_ERROR = {
  error_code: 'IDAAS.SDK.COMMON.4242',
  error_msg: '当前租户策略不允许此操作（4242）',
}
/** The sandbox's own answer to a send within the resend interval, as it words it with `X-L: zh`. */
export const RATE_LIMITED = {
  error_code: 'IDAAS.SDK.CAPTCHA.0006',
  error_msg: '验证码发送失败：请 42 秒后重试',
}

// ---- the flows ----------------------------------------------------------------------------------------------------

export interface FlowSpec {
  id: string
  label: string
  /** the request of the flow that the faults hit */
  path: string
  /** the request carries the login flow's state token */
  stateToken: boolean
}

export const FLOWS = [
  { id: 'login', label: 'login on launch', path: EIAM_PATHS.login, stateToken: false },
  { id: 'captcha', label: 'captcha get (bind)', path: EIAM_PATHS.captcha, stateToken: false },
  { id: 'verify', label: 'captcha verify (bind)', path: EIAM_PATHS.captchaVerify, stateToken: false },
  { id: 'send', label: 'send code (bind, SMS)', path: EIAM_PATHS.smsSend, stateToken: false },
  { id: 'bind', label: 'bind', path: EIAM_PATHS.bind, stateToken: true },
  { id: 'registerBind', label: 'register-bind (register)', path: EIAM_PATHS.registerBind, stateToken: true },
  { id: 'mfa', label: 'mfa (SMS)', path: EIAM_PATHS.mfaSms, stateToken: true },
  { id: 'refresh', label: 'refresh on home', path: EIAM_PATHS.refresh, stateToken: false },
  { id: 'mobileByToken', label: 'mobile-by-token on mfa', path: EIAM_PATHS.mobileByToken, stateToken: true },
  { id: 'countryCodes', label: 'country codes on bind', path: EIAM_PATHS.countryCodes, stateToken: false },
  // the OneAccess dialect's signed calls (docs/oneaccess.md)
  { id: 'oaRefresh', label: 'refresh on home (OneAccess)', path: ONEACCESS_PATHS.refresh, stateToken: false },
  { id: 'social', label: 'linked accounts (OneAccess)', path: ONEACCESS_PATHS.social, stateToken: false },
  { id: 'unbind', label: 'unlink (OneAccess)', path: ONEACCESS_PATHS.unbind, stateToken: false },
  { id: 'logout', label: 'sign-out (OneAccess)', path: ONEACCESS_PATHS.logout, stateToken: false },
  // the password sign-in (docs/password-sign-in.md)
  { id: 'passwordBind', label: 'password bind (tab)', path: EIAM_PATHS.passwordBind, stateToken: true },
  { id: 'passwordUpdate', label: 'password change', path: EIAM_PATHS.passwordUpdate, stateToken: true },
  { id: 'passwordSkip', label: 'password skip', path: EIAM_PATHS.passwordSkip, stateToken: true },
] as const satisfies readonly FlowSpec[]

export type FlowId = (typeof FLOWS)[number]['id']

export const flowOf = (id: FlowId): FlowSpec => FLOWS.find((flow) => flow.id === id) as FlowSpec

// ---- the faults: one entry each ------------------------------------------------------------------------------------

export type MessageKind = 'network' | 'timeout' | 'server' | 'unexpected' | 'words' | 'captcha'

export interface FaultContext {
  sandbox: Sandbox
  clock: SandboxClock
  device: WxNode
  path: string
  /** `http://127.0.0.1:<closed port>` */
  closedOrigin: string
}

export interface FaultSpec {
  id: string
  /** four characters, for the compact table */
  short: string
  label: string
  title: string
  /** the message a call that meets it shows (each flow says where) */
  shows?: { kind: MessageKind; text: string }
  /** the call succeeds all the same */
  succeeds?: boolean
  /** the app restarts login silently */
  restarts?: boolean
  /** why it cannot happen to a flow's call; undefined when it can */
  cannotHappen?(flow: FlowSpec): string | undefined
  /** puts it on the next call to `context.path`; answers a promise to await after the trigger when it acts later */
  arm(context: FaultContext): Promise<void> | void
}

const NETWORK = { kind: 'network', text: zh.error.network } as const
const TIMEOUT = { kind: 'timeout', text: zh.error.timeout } as const
const BUSY = { kind: 'server', text: zh.error.server } as const
const UNRECOGNISED = { kind: 'unexpected', text: zh.error.unexpected } as const

export const FAULTS = [
  {
    id: 'refused',
    short: 'ref',
    label: 'refused',
    title: 'connection refused: a closed port for this one call',
    shows: NETWORK,
    arm: ({ device, path, closedOrigin }) =>
      withOptionsForNextCall(device, path, { rewriteOrigin: { from: DEVELOP_ORIGIN, to: closedOrigin } }),
  },
  {
    id: 'drop',
    short: 'drop',
    label: 'drop',
    title: 'the connection is dropped without an answer (fault `drop`)',
    shows: NETWORK,
    arm: ({ sandbox, path }) => sandbox.fault({ path, drop: true }),
  },
  {
    id: 'timeout',
    short: 'tmo',
    label: 'timeout',
    title: `no answer within the call's client timeout (wx-node \`timeoutMs\` ${TIMEOUT_MS} ms, fault delay ${TIMEOUT_DELAY_MS} ms)`,
    shows: TIMEOUT,
    arm: ({ sandbox, device, path }) => {
      withOptionsForNextCall(device, path, { timeoutMs: TIMEOUT_MS })
      // dropped in the end, so the server never acts on a call its client gave up on
      sandbox.fault({ path, delayMs: TIMEOUT_DELAY_MS, drop: true })
    },
  },
  {
    id: 'slow',
    short: 'slow',
    label: 'slow',
    title: `answered after ${SLOW_DELAY_MS} ms, inside the timeout (${SLOW_TIMEOUT_MS} ms): must succeed`,
    succeeds: true,
    arm: ({ sandbox, device, path }) => {
      withOptionsForNextCall(device, path, { timeoutMs: SLOW_TIMEOUT_MS })
      sandbox.fault({ path, delayMs: SLOW_DELAY_MS })
    },
  },
  {
    id: 'http500',
    short: '500',
    label: '500',
    title: 'HTTP 500, empty body',
    shows: BUSY,
    arm: ({ sandbox, path }) => sandbox.fault({ path, status: 500 }),
  },
  {
    id: 'http502',
    short: '502',
    label: '502',
    title: 'HTTP 502, empty body',
    shows: BUSY,
    arm: ({ sandbox, path }) => sandbox.fault({ path, status: 502 }),
  },
  {
    id: 'html200',
    short: 'h200',
    label: 'html 200',
    title: 'HTTP 200 with an HTML page instead of JSON',
    shows: UNRECOGNISED,
    arm: ({ sandbox, path }) => sandbox.fault({ path, status: 200, body: HTML_PAGE }),
  },
  {
    id: 'html502',
    short: 'h502',
    label: 'html 502',
    title: "HTTP 502 with a gateway's HTML page",
    shows: BUSY,
    arm: ({ sandbox, path }) => sandbox.fault({ path, status: 502, body: HTML_PAGE }),
  },
  {
    id: 'malformed',
    short: 'malf',
    label: 'malformed',
    title: 'HTTP 200, cut-off HTML labelled JSON (fault `malformed`)',
    shows: UNRECOGNISED,
    arm: ({ sandbox, path }) => sandbox.fault({ path, malformed: true }),
  },
  {
    id: 'empty',
    short: 'empt',
    label: 'empty',
    title: 'HTTP 200 with an empty body where JSON is due',
    shows: UNRECOGNISED,
    cannotHappen: (flow) =>
      flow.id === 'send' || flow.id === 'unbind' || flow.id === 'logout'
        ? `an empty 200 is ${flow.id === 'send' ? "send-code's" : 'its'} documented success`
        : undefined,
    arm: ({ sandbox, path }) => sandbox.fault({ path, status: 200 }),
  },
  {
    id: 'unknown400',
    short: '400?',
    label: '400 ?',
    title: `HTTP 400 with an unknown code (${UNKNOWN_ERROR.error_code})`,
    shows: { kind: 'words', text: UNKNOWN_ERROR.error_msg },
    arm: ({ sandbox, path }) => sandbox.fault({ path, status: 400, body: UNKNOWN_ERROR }),
  },
  {
    id: 'stateToken',
    short: 'stok',
    label: 'state token',
    title: "the state token expired: the sandbox's clock moved past its lifetime (COMMON.1005)",
    restarts: true,
    cannotHappen: (flow) => {
      if (flow.stateToken) return undefined
      if (flow.id === 'login') return 'login carries no state token: it is what issues one'
      if (flow.id === 'refresh') return 'refresh carries the session token, not a state token'
      if (['oaRefresh', 'social', 'unbind', 'logout'].includes(flow.id))
        return 'a signed call carries the session token (in its signature), not a state token'
      return 'this call carries no state token (docs/eiam-api.md §3, §4, §8)'
    },
    // the token the page holds is now past its lifetime at the sandbox; the app's own clock still says it is fresh
    arm: ({ clock }) => clock.advanceS(STATE_TTL_S + 1),
  },
  {
    id: 'captchaExpired',
    short: 'cexp',
    label: 'captcha exp.',
    title:
      "the puzzle / captcha_token expired while the call was on its way (the sandbox's clock, CAPTCHA.0003)",
    shows: { kind: 'captcha', text: zh.captcha.expired },
    cannotHappen: (flow) =>
      flow.id === 'verify' || flow.id === 'send' ? undefined : 'no puzzle or captcha_token in this call',
    arm: ({ sandbox, clock, path }) => {
      // held at the sandbox on arrival; meanwhile its clock passes the lifetime of the puzzle / captcha_token
      const arrivedBefore = arrivals(sandbox, path)
      sandbox.fault({ path, delayMs: EXPIRY_HOLD_MS })
      return waitUntil(() => arrivals(sandbox, path) > arrivedBefore).then(() =>
        clock.advanceS(CAPTCHA_TTL_S + 1),
      )
    },
  },
  {
    id: 'rateLimited',
    short: 'rate',
    label: 'rate limit',
    title: 'sending too soon: CAPTCHA.0006 "retry in n s"',
    shows: { kind: 'words', text: RATE_LIMITED.error_msg },
    cannotHappen: (flow) => (flow.id === 'send' ? undefined : 'only sending a code is rate limited'),
    arm: ({ sandbox, path }) => sandbox.fault({ path, status: 400, body: RATE_LIMITED }),
  },
] as const satisfies readonly FaultSpec[]

export type FaultId = (typeof FAULTS)[number]['id']

export const faultOf = (id: FaultId): FaultSpec => FAULTS.find((fault) => fault.id === id) as FaultSpec

/** Why a fault cannot happen to a flow's request; undefined when it can. */
export const notApplicable = (flow: FlowId, fault: FaultId): string | undefined =>
  faultOf(fault).cannotHappen?.(flowOf(flow))

/** The faults of a flow's row that can happen, for `test.each`. */
export const faultsOf = (flow: FlowId): FaultId[] =>
  FAULTS.map((fault) => fault.id).filter((fault) => !notApplicable(flow, fault))

// ---- what the user must be left with ------------------------------------------------------------------------------

export type Outcome =
  /** the failure is shown at `at` with exactly `text`; nothing else moved */
  | { kind: 'message'; at: string; text: string; message: MessageKind }
  /** the call is answered late and the flow goes on as if nothing happened */
  | { kind: 'success' }
  /** one silent login, the call repeated once with the new state token, then success */
  | { kind: 'restart-repeat' }
  /** one silent login that answered another flow: no repeat, the page of the new flow (or home) opens */
  | { kind: 'restart-reroute'; url: string; method?: 'redirectTo' | 'reLaunch' }
  /** nothing to tell: the page carries on with what it has (the built-in area list) */
  | { kind: 'fallback' }
  /** sign-out goes on without the server: the phone is wiped and launch says until when the session lives */
  | { kind: 'local-sign-out' }

/** A cell as a sentence, for its test's name. */
export function caseTitle(flow: FlowId, fault: FaultId): string {
  const outcome = expectedOutcome(flow, fault)
  const cell = `${flowOf(flow).label} × ${faultOf(fault).label}`
  switch (outcome.kind) {
    case 'message':
      return `${cell}: says "${outcome.text}" (${outcome.at}), keeps everything, and the second try works`
    case 'success':
      return flow === 'countryCodes'
        ? `${cell}: the list arrives late and is used, with one request`
        : `${cell}: shows it is busy, ignores another tap, and succeeds with one request`
    case 'restart-repeat':
      return `${cell}: signs in again silently and repeats the call once with the new state token`
    case 'restart-reroute':
      return `${cell}: signs in again silently and opens ${outcome.url}, keeping the draft`
    case 'fallback':
      return `${cell}: carries on with the built-in list without a word; the next visit asks again`
    case 'local-sign-out':
      return `${cell}: signs out on the phone all the same, and launch says until when the session lives`
  }
}

/** The cells of a flow's row that can happen, as `[name, fault]` for `test.each`. */
export const casesOf = (flow: FlowId): [string, FaultId][] =>
  faultsOf(flow).map((fault) => [caseTitle(flow, fault), fault])

/** What each cell must leave; `at` names the page's message spot (`notice`, a field id, `captcha`, `error`). */
export function expectedOutcome(flow: FlowId, fault: FaultId): Outcome {
  const spec = faultOf(fault)
  if (spec.succeeds) return { kind: 'success' }
  if (spec.restarts) {
    // register-bind's flow starts with a bind attempt: a fresh login answers SOCIAL_BIND, so the bind page opens
    if (flow === 'registerBind') return { kind: 'restart-reroute', url: '/pages/bind/index' }
    // the password bind linked the identity: a fresh login answers the user's policy (SUCCESS), so home opens
    if (flow === 'passwordUpdate' || flow === 'passwordSkip') {
      return { kind: 'restart-reroute', url: '/pages/home/index', method: 'reLaunch' }
    }
    return { kind: 'restart-repeat' }
  }
  if (flow === 'countryCodes') return { kind: 'fallback' }
  if (flow === 'logout') return { kind: 'local-sign-out' }
  if (!spec.shows) throw new Error(`fault ${fault} says neither what it shows nor that it succeeds`)
  const { kind: message, text } = spec.shows
  switch (flow) {
    case 'login':
      return { kind: 'message', at: 'error', message, text }
    case 'captcha':
      return { kind: 'message', at: 'captcha', message, text: `${zh.captcha.loadFailed} ${text}` }
    case 'verify':
      return { kind: 'message', at: 'captcha', message, text }
    case 'send': {
      // a refusal that names no field stands next to the send button, under the code field; the puzzle says its own
      const at = message === 'words' ? 'mobile-code' : message === 'captcha' ? 'captcha' : 'notice'
      return { kind: 'message', at, message, text }
    }
    case 'social':
    case 'unbind':
      return { kind: 'message', at: 'message', message, text }
    default:
      return { kind: 'message', at: 'notice', message, text }
  }
}

/** One or two characters per outcome, for the compact table. */
const OUTCOME_CODES: Record<string, string> = {
  network: 'N',
  timeout: 'T',
  server: 'S',
  unexpected: 'U',
  words: 'W',
  captcha: 'C',
  success: 'ok',
  'restart-repeat': 'R',
  'restart-reroute': 'R>',
  fallback: 'F',
  'local-sign-out': 'L',
}

export function outcomeCode(outcome: Outcome): string {
  return OUTCOME_CODES[outcome.kind === 'message' ? outcome.message : outcome.kind] ?? '?'
}

/** What a cell whose call fails checks (a late answer: loading shown, a tap then ignored, success, one request). */
export const CHECKS = [
  'the exact message at its place, and no other message',
  'everything typed still there, in page data and in the inputs',
  'no button loading or disabled',
  'exactly one request to the path, no silent login, no navigation',
  'the countdowns the page shows as before',
  'flow record, session and countdowns in storage as before; the draft as typed',
  'a second try once the fault is gone succeeds, and is the only other request to the path',
] as const

// ---- putting a fault on a call ------------------------------------------------------------------------------------

/** A port on loopback nothing listens on (bound, then closed): connecting to it is refused. */
export function closedPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer()
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo
      server.close(() => resolve(port))
    })
  })
}

interface RequestOptions {
  url: string
}

/**
 * Runs the app's next `wx.request` to `path` with some wx-node options switched for that call only (the origin
 * rewrite, the timeout), then puts them back; other calls keep the options they had.
 */
export function withOptionsForNextCall(
  device: WxNode,
  path: string,
  options: Partial<WxNode['state']['options']>,
): void {
  const holder = device.wx as unknown as Record<string, unknown>
  // wx-node's recording wrapper: assigning it back restores wx-node's own implementation behind it
  const request = holder.request as (call: RequestOptions) => unknown
  const once = (call: RequestOptions) => {
    holder.request = request
    if (new URL(call.url).pathname !== path) {
      try {
        return request(call)
      } finally {
        holder.request = once
      }
    }
    const saved = { ...device.state.options }
    Object.assign(device.state.options, options)
    try {
      return request(call)
    } finally {
      device.state.options.rewriteOrigin = saved.rewriteOrigin
      device.state.options.timeoutMs = saved.timeoutMs
    }
  }
  holder.request = once
}

/** Puts `fault` on the next call to `context.path`; answers a promise to await after the trigger, or undefined. */
export function armFault(fault: FaultId, context: FaultContext): Promise<void> | undefined {
  return faultOf(fault).arm(context) ?? undefined
}

const arrivals = (sandbox: Sandbox, path: string) =>
  sandbox.requests().filter((request) => request.path === path).length

async function waitUntil(predicate: () => boolean, timeoutMs = 3000): Promise<void> {
  const deadline = performance.now() + timeoutMs
  while (!predicate()) {
    if (performance.now() > deadline) throw new Error(`waited ${timeoutMs} ms in vain`)
    await sleep(1)
  }
}

// ---- one cell, through the real page --------------------------------------------------------------------------------

/** The page brought to the moment before the request, and how to read and act on it. */
export interface Stage {
  device: WxNode
  /** The page on screen (a trigger may open it). */
  page(): PageHandle
  /** The user's action (or the page opening) that sends the request. */
  trigger(): Promise<void> | void
  /** The page is done with the call (nothing loading, any new puzzle shown). */
  settled(): boolean
  /** Every message the page shows, by place (`notice`, a field id, `captcha`, `error`); empty ones left out. */
  shown(): Record<string, string>
  /** What the user typed, in page data and in the inputs; left out where the page has no input to keep. */
  typed?(): Record<string, unknown>
  /** What shows a loading state now. */
  busy(): string[]
  /** The countdowns the page shows (end times); left out where the page shows none. */
  countdowns?(): unknown
  /** The draft the page must have kept (tab, area, mobile, email), or undefined where there is none. */
  draft?(): Record<string, unknown> | undefined
  /** A tap while the call is in flight: must fire nothing. */
  tapWhileBusy?(): void
  /** The second try once the fault is gone. */
  again(): Promise<void> | void
  /** Waits for the call to succeed and checks what success leaves (route, storage, page). */
  succeeded(): Promise<void>
  /** For the country codes: the page carries on with the built-in list. */
  fellBack?(): Promise<void>
}

/**
 * The part of a stage where the user taps `button` to send the request: on the page shown from the start, busy while
 * `inFlight()` holds, the same button tapped again while busy and for the second try.
 */
export function tapStage(
  device: WxNode,
  page: PageHandle,
  button: string,
  inFlight: () => unknown,
): Pick<Stage, 'device' | 'page' | 'trigger' | 'settled' | 'tapWhileBusy' | 'again'> {
  return {
    device,
    page: () => page,
    trigger: () => page.tap(button),
    settled: () => !inFlight(),
    tapWhileBusy: () => page.tap(button),
    again: () => page.tap(button),
  }
}

/**
 * A device of its own (captcha.ts `installDevice`) after launch has signed in and routed: the identity linked to
 * `linkedTo` first if given, and a countdown of an earlier visit seeded if asked.
 */
export async function afterLaunch(
  sandbox: Sandbox,
  launch: PageId,
  options: { linkedTo?: string; countdown?: boolean } = {},
): Promise<WxNode> {
  if (options.linkedTo) sandbox.linkIdentity(FINGERPRINT, options.linkedTo)
  const device = installDevice(sandbox)
  if (options.countdown) seedCountdown(device)
  const opening = renderPage(launch)
  await opening.waitFor(() => device.state.navigation.length)
  opening.unload()
  return device
}

/**
 * The start of a stage whose trigger opens the page: `trigger` renders it, `page` answers it (and fails the case when
 * the trigger has not opened it yet).
 */
export function openedByTrigger(
  device: WxNode,
  name: string,
  render: () => PageHandle | Promise<PageHandle>,
): Pick<Stage, 'device' | 'page' | 'trigger'> {
  let opened: PageHandle | undefined
  return {
    device,
    trigger: async () => {
      opened = await render()
    },
    page: () => {
      if (!opened) throw new Error(`${name} is not open yet`)
      return opened
    },
  }
}

export interface Driver {
  flow: FlowId
  /** Renders and prepares; `index` is unique per case in the file (for phones and emails of their own). */
  prepare(index: number): Promise<Stage>
}

export interface MatrixEnv {
  sandbox: Sandbox
  clock: SandboxClock
  closedOrigin: string
}

const STORAGE_WATCHED = ['eiam.flow', 'eiam.session', 'eiam.countdowns'] as const

function storageSnapshot(device: WxNode): Record<string, StoredItem | undefined> {
  const snapshot: Record<string, StoredItem | undefined> = {}
  for (const key of STORAGE_WATCHED) {
    const item = device.state.storage.get(key)
    snapshot[key] = item && (JSON.parse(JSON.stringify(item)) as StoredItem)
  }
  return snapshot
}

/** An encrypted entry as the app wrote it (JSON text), parsed. */
export function secure<T = Record<string, unknown>>(device: WxNode, key: string): T | undefined {
  return readEncrypted<T>(device.state, key)
}

/** Requests the app made to `path` since `since` (an index into `state.requests`). */
export const callsTo = (device: WxNode, path: string, since = 0) =>
  device.state.requests.slice(since).filter((request) => request.path === path)

const finished = (device: WxNode, path: string, since: number) =>
  callsTo(device, path, since).every((request) => request.statusCode !== undefined || request.errMsg)

let caseCounter = 0

/** Drives one cell; throws on the first outcome that does not hold. */
export async function runFaultCase(driver: Driver, fault: FaultId, env: MatrixEnv): Promise<void> {
  const flow = flowOf(driver.flow)
  const expected = expectedOutcome(driver.flow, fault)
  const startedAt = performance.now()
  let passed = false
  try {
    caseCounter += 1
    const stage = await driver.prepare(caseCounter)
    const { device } = stage
    const since = device.state.requests.length
    // the login flow's own call is the login: count it once, as the path
    const loginsBefore = flow.path === EIAM_PATHS.login ? 0 : callsTo(device, EIAM_PATHS.login).length
    const logins = () => (flow.path === EIAM_PATHS.login ? 0 : callsTo(device, EIAM_PATHS.login).length)
    const typedOf = () => stage.typed?.() ?? {}
    const countdownsOf = () => stage.countdowns?.() ?? {}
    const before = { storage: storageSnapshot(device), countdowns: countdownsOf() }
    const typed = typedOf()
    const navigationBefore = device.state.navigation.length
    const onItsWay = armFault(fault, {
      sandbox: env.sandbox,
      clock: env.clock,
      device,
      path: flow.path,
      closedOrigin: env.closedOrigin,
    })
    await stage.trigger()

    if (expected.kind === 'local-sign-out') {
      if (onItsWay) await onItsWay
      await stage.succeeded()
      expect(callsTo(device, flow.path, since)).toHaveLength(1)
      expect(logins()).toBe(loginsBefore)
      passed = true
      return
    }
    if (expected.kind === 'success') {
      await stage.page().waitFor(() => callsTo(device, flow.path, since).length)
      if (stage.tapWhileBusy) {
        expect(stage.busy()).not.toEqual([])
        stage.tapWhileBusy()
      }
      await stage.succeeded()
      expect(callsTo(device, flow.path, since)).toHaveLength(1)
      expect(logins()).toBe(loginsBefore)
      passed = true
      return
    }
    if (expected.kind === 'restart-repeat' || expected.kind === 'restart-reroute') {
      if (expected.kind === 'restart-repeat') await stage.succeeded()
      else await stage.page().waitFor(() => device.state.navigation.length)
      await stage.page().flush()
      const calls = callsTo(device, flow.path, since)
      const restarts = callsTo(device, EIAM_PATHS.login).slice(loginsBefore)
      expect(restarts).toHaveLength(1)
      expect(calls.map((call) => call.statusCode)).toEqual(
        expected.kind === 'restart-repeat' ? [400, 200] : [400],
      )
      expect(JSON.parse(calls[0]?.responseText ?? '{}')).toMatchObject({
        error_code: 'IDAAS.SDK.COMMON.1005',
      })
      if (expected.kind === 'restart-repeat') {
        const newToken = (JSON.parse(restarts[0]?.responseText ?? '{}') as { state_token?: string })
          .state_token
        expect(calls[1]?.headers['x-state-token']).toBe(newToken)
        expect(calls[1]?.body).toBe(calls[0]?.body)
      } else {
        expect(device.state.navigation.slice(navigationBefore)).toEqual([
          { method: expected.method ?? 'redirectTo', url: expected.url },
        ])
        if (expected.url === '/pages/bind/index') {
          expect(secure(device, 'eiam.flow')).toMatchObject({ flow: 'bind', page: 'bind' })
        } else {
          expect(secure(device, 'eiam.flow')).toBeUndefined()
        }
      }
      expect(stage.shown()).toEqual({})
      if (stage.draft) expect(secure(device, 'eiam.draft')).toEqual(stage.draft())
      passed = true
      return
    }

    if (onItsWay) await onItsWay
    const page = stage.page()
    await page.waitFor(() => finished(device, flow.path, since) && stage.settled())
    await page.flush()
    // the fault happened as meant
    const [call] = callsTo(device, flow.path, since)
    if (fault === 'refused') {
      expect(call?.url.startsWith(env.closedOrigin)).toBe(true)
      expect(call?.errMsg).toMatch(/ECONNREFUSED/)
    }
    if (fault === 'timeout') expect(call?.errMsg).toBe('request:fail timeout')
    if (fault === 'drop') expect(call?.errMsg).toMatch(/socket hang up|ECONNRESET/)
    // the outcome the user sees, and nothing else
    expect(stage.shown()).toEqual(expected.kind === 'fallback' ? {} : { [expected.at]: expected.text })
    expect(typedOf()).toEqual(typed)
    expect(stage.busy()).toEqual([])
    // no call repeated by itself, no silent login
    expect(callsTo(device, flow.path, since)).toHaveLength(1)
    expect(logins()).toBe(loginsBefore)
    expect(device.state.navigation.length).toBe(navigationBefore)
    expect(countdownsOf()).toEqual(before.countdowns)
    expect(storageSnapshot(device)).toEqual(before.storage)
    if (stage.draft) expect(secure(device, 'eiam.draft')).toEqual(stage.draft())
    if (expected.kind === 'fallback') await stage.fellBack?.()

    // the fault is spent: the second try works, and nothing else went out meanwhile
    await stage.again()
    await stage.succeeded()
    expect(callsTo(device, flow.path, since)).toHaveLength(2)
    expect(logins()).toBe(loginsBefore)
    passed = true
  } finally {
    recordCell(driver.flow, fault, passed, performance.now() - startedAt)
  }
}

// ---- the report -------------------------------------------------------------------------------------------------

const ROOT = path.resolve(__dirname, '../..')
const PARTS_DIR = path.join(ROOT, 'reports', 'fault-matrix')
export const REPORT_FILE = path.join(ROOT, 'reports', 'fault-matrix.md')

interface CellResult {
  flow: FlowId
  fault: FaultId
  passed: boolean
  ms: number
}

export interface BadInputRow {
  field: string
  input: string
  expected: string
  passed: boolean
}

interface Part {
  name: string
  ranAt: string
  /** wall time of the file's tests (ms) */
  ms: number
  cells: CellResult[]
  badInputs: BadInputRow[]
}

const cells: CellResult[] = []
const badInputs: BadInputRow[] = []
let fileStartedAt: number | undefined

function recordCell(flow: FlowId, fault: FaultId, passed: boolean, ms: number): void {
  cells.push({ flow, fault, passed, ms })
}

export function recordBadInputs(rows: BadInputRow[]): void {
  badInputs.push(...rows)
}

/** Characters a reader cannot see: controls, spaces other than U+0020, zero-width and direction marks, the BOM. */
const INVISIBLE =
  // eslint-disable-next-line no-control-regex -- finding control characters is the point
  /[\u0000-\u001f\u007f-\u00a0\u00ad\u1680\u180e\u2000-\u200f\u2028-\u202f\u205f-\u206f\u3000\ufeff]/g

/** Shows an odd input readably: invisible characters as \u escapes, long strings shortened. */
export function printable(input: string): string {
  const escape = (text: string) =>
    text.replace(INVISIBLE, (char) => `\\u${(char.codePointAt(0) ?? 0).toString(16).padStart(4, '0')}`)
  return input.length > 40 ? `${escape(input.slice(0, 12))}… (${input.length} characters)` : escape(input)
}

function readParts(): Part[] {
  if (!fs.existsSync(PARTS_DIR)) return []
  return fs
    .readdirSync(PARTS_DIR)
    .filter((file) => file.endsWith('.json'))
    .sort()
    .map((file) => JSON.parse(fs.readFileSync(path.join(PARTS_DIR, file), 'utf8')) as Part)
}

function cellText(flow: FlowId, fault: FaultId, results: Map<string, CellResult>, compact: boolean): string {
  const reason = notApplicable(flow, fault)
  if (reason) return compact ? '-' : 'n/a'
  const code = outcomeCode(expectedOutcome(flow, fault))
  const result = results.get(`${flow}/${fault}`)
  if (!result) return compact ? `${code}?` : `${code} (not run)`
  return result.passed ? (compact ? code : `${code} ✓`) : compact ? `${code}✗` : `${code} ✗`
}

const LEGEND =
  'N network message · T timeout message · S "busy" message · U "unrecognised answer" message · W the server\'s words · ' +
  'C captcha message with a new puzzle · ok succeeds late · R silent login restart + one repeat · ' +
  "R> silent restart, the new flow's page opens · F built-in list, nothing to tell · " +
  'L signed out on the phone all the same, launch says until when the session lives'

export function markdownReport(parts: Part[]): string {
  const results = new Map<string, CellResult>()
  for (const part of parts) for (const cell of part.cells) results.set(`${cell.flow}/${cell.fault}`, cell)
  const lines: string[] = []
  lines.push('# Fault matrix')
  lines.push('')
  lines.push(
    'Every request of every flow × every fault that can happen to it, driven through the real page against the ' +
      'sandbox (test/pages/matrix/faults-*.test.ts, generated by test/support/matrix.ts). A ✓ cell held all of: the ' +
      'exact message where the user looks, everything typed kept (page data and inputs), no button left loading, ' +
      'exactly one request to the path (plus, on a state-token error, one silent login and one repeat), countdowns ' +
      'and storage (flow record, session, draft, countdowns) as before the failure (or as the design says after a ' +
      'restart), and a second try that succeeds once the fault is gone.',
  )
  lines.push('')
  lines.push(`| flow \\ fault | ${FAULTS.map((fault) => fault.label).join(' | ')} |`)
  lines.push(`|---|${FAULTS.map(() => '---').join('|')}|`)
  for (const flow of FLOWS) {
    const row = FAULTS.map((fault) => cellText(flow.id, fault.id, results, false))
    lines.push(`| ${flow.label} | ${row.join(' | ')} |`)
  }
  lines.push('')
  lines.push(`Legend: ${LEGEND}.`)
  lines.push('')
  lines.push('## Faults')
  for (const fault of FAULTS) lines.push(`- **${fault.label}**: ${fault.title}`)
  lines.push('')
  lines.push('## Cells marked n/a')
  for (const flow of FLOWS) {
    for (const fault of FAULTS) {
      const reason = notApplicable(flow.id, fault.id)
      if (reason) lines.push(`- ${flow.label} × ${fault.label}: ${reason}`)
    }
  }
  const run = [...results.values()]
  const applicable = FLOWS.flatMap((flow) => faultsOf(flow.id)).length
  lines.push('')
  lines.push('## Size and time')
  lines.push(
    `${applicable} cells can happen (of ${FLOWS.length * FAULTS.length}); ${run.length} ran, ` +
      `${run.filter((cell) => cell.passed).length} held every outcome.`,
  )
  lines.push('')
  lines.push(`A cell whose call fails checks ${CHECKS.length} outcomes:`)
  CHECKS.forEach((check, index) => lines.push(`${index + 1}. ${check}`))
  lines.push('')
  lines.push(
    'A late answer (slow) checks the loading state while it waits, that a tap meanwhile fires nothing, success and ' +
      'one request; a state-token error checks one silent login, one repeat with the new token and the same body ' +
      '(or, when the new login answers another flow, the page of that flow), no message and the draft kept.',
  )
  lines.push('')
  lines.push('| test file | cells | bad inputs | time | ran at |')
  lines.push('|---|---|---|---|---|')
  let total = 0
  for (const part of parts) {
    total += part.ms
    lines.push(
      `| ${part.name} | ${part.cells.length} | ${part.badInputs.length} | ${(part.ms / 1000).toFixed(1)} s | ${part.ranAt} |`,
    )
  }
  lines.push(
    `| total | ${run.length} | ${parts.reduce((sum, part) => sum + part.badInputs.length, 0)} | ${(total / 1000).toFixed(1)} s | |`,
  )
  const bad = parts.flatMap((part) => part.badInputs)
  if (bad.length) {
    lines.push('')
    lines.push('# Bad-input matrix')
    lines.push('')
    lines.push(
      'Hostile or odd inputs typed into the real pages (test/pages/matrix/bad-input.test.ts): those docs/design.md ' +
        'normalises reach the sandbox normalised; every other one is refused at its field with the exact i18n ' +
        'message and sends nothing.',
    )
    lines.push('')
    lines.push('| field | input | expected | held |')
    lines.push('|---|---|---|---|')
    for (const row of bad) {
      lines.push(
        `| ${row.field} | \`"${row.input.replace(/\|/g, '\\|')}"\` | ${row.expected.replace(/\|/g, '\\|')} | ${row.passed ? '✓' : '✗'} |`,
      )
    }
  }
  return `${lines.join('\n')}\n`
}

/** The file's rows, one line each, short enough for the test output. */
function compactTable(flows: FlowId[]): string {
  const results = new Map<string, CellResult>()
  for (const cell of cells) results.set(`${cell.flow}/${cell.fault}`, cell)
  const width = Math.max(...flows.map((flow) => flowOf(flow).label.length))
  const header = `${' '.repeat(width)} ${FAULTS.map((fault) => fault.short.padEnd(4)).join(' ')}`
  const rows = flows.map(
    (flow) =>
      `${flowOf(flow).label.padEnd(width)} ${FAULTS.map((fault) => cellText(flow, fault.id, results, true).padEnd(4)).join(' ')}`,
  )
  return [header, ...rows].join('\n')
}

/**
 * The setup of one fault-matrix file: its sandbox (`useSandbox(options)`), its cells written to the report after its
 * tests (`reportAfterAll(name)`), and an origin nothing listens on for the "closed port" fault. `env()` is what
 * `runFaultCase` needs, once the sandbox has started.
 */
export function useFaultMatrix(
  name: string,
  options: UseSandboxOptions,
): { handle: SandboxContext; env: () => MatrixEnv } {
  const handle = useSandbox(options)
  reportAfterAll(name)
  let closedOrigin = ''
  beforeAll(async () => {
    closedOrigin = `http://127.0.0.1:${await closedPort()}`
  })
  return { handle, env: () => ({ sandbox: handle.sandbox, clock: handle.clock, closedOrigin }) }
}

/**
 * Registers the report for a test file: the clock starts before its first test; after its last one its cells (and
 * bad-input rows) are written to reports/fault-matrix/<name>.json, reports/fault-matrix.md is rebuilt from every
 * file's part, and the file's rows are printed.
 */
export function reportAfterAll(name: string): void {
  beforeAll(() => {
    fileStartedAt = performance.now()
  })
  afterAll(() => {
    const ms = performance.now() - (fileStartedAt ?? performance.now())
    const part: Part = { name, ranAt: new Date().toISOString(), ms, cells, badInputs }
    fs.mkdirSync(PARTS_DIR, { recursive: true })
    fs.writeFileSync(path.join(PARTS_DIR, `${name}.json`), JSON.stringify(part, null, 1))
    fs.writeFileSync(REPORT_FILE, markdownReport(readParts()))
    const flows = [...new Set(cells.map((cell) => cell.flow))]
    const held = cells.filter((cell) => cell.passed).length
    const summary = flows.length
      ? `${compactTable(flows)}\n${held}/${cells.length} cells held in ${(ms / 1000).toFixed(1)} s`
      : `${badInputs.filter((row) => row.passed).length}/${badInputs.length} bad inputs held in ${(ms / 1000).toFixed(1)} s`
    console.log(`fault matrix, ${name} (legend and all rows: reports/fault-matrix.md)\n${summary}`)
  })
}

// ---- reading pages ------------------------------------------------------------------------------------------------

/** The entries of `messages` that say something. */
export function nonEmpty(messages: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(messages).filter(([, text]) => text !== ''))
}

/** Which of these van-buttons show their loading state. */
export function loadingOf(page: PageHandle, buttons: string[]): string[] {
  return buttons.filter((button) => page.find(button)?.data?.loading === true)
}

/** A countdown an earlier visit left in storage: no failure may drop it. */
export function seedCountdown(device: WxNode): void {
  device.state.storage.set('eiam.countdowns', {
    value: { 'bind:email:seeded': Date.now() + 45_000 },
    encrypted: false,
  })
}

/** What the matrix reads of the data of a page that sends codes (bind, mfa). */
export interface CodePageData {
  [key: string]: unknown
  email: string
  codeEndsAt: { mobile: number; email: number }
  captcha: { open: boolean }
}

interface BindData extends CodePageData {
  tab: string
  areaCode: string
  mobile: string
  mobileCode: string
  emailCode: string
  sendingCode: { mobile: boolean; email: boolean }
}

const captchaPhase = (page: PageHandle) => page.find('#captcha')?.data?.phase as string | undefined
const fieldValue = (page: PageHandle, field: string) => page.find(field)?.data?.value as string | undefined
const fieldErrorIfShown = (page: PageHandle, field: string) =>
  page.exists(field) ? page.fieldError(field) : ''

/** How the matrix reads the bind page (its tabs render lazily: a field not rendered yet shows nothing). */
export const bindPage = {
  data: (page: PageHandle) => page.data<BindData>(),
  captchaPhase,
  shown: (page: PageHandle): Record<string, string> =>
    nonEmpty({
      notice: page.text('#notice'),
      mobile: fieldErrorIfShown(page, '#mobile'),
      'mobile-code': fieldErrorIfShown(page, '#mobile-code'),
      email: fieldErrorIfShown(page, '#email'),
      'email-code': fieldErrorIfShown(page, '#email-code'),
      agree: page.text('#agree-error'),
      captcha: page.data<BindData>().captcha.open ? page.text(['#captcha', '.captcha__message']) : '',
    }),
  typed: (page: PageHandle): Record<string, unknown> => {
    const { tab, areaCode, mobile, mobileCode, email, emailCode } = page.data<BindData>()
    const inputs: Record<string, string | undefined> = {}
    for (const field of ['#mobile', '#mobile-code', '#email', '#email-code']) {
      if (page.exists(field)) inputs[field] = fieldValue(page, field)
    }
    return { tab, areaCode, mobile, mobileCode, email, emailCode, inputs }
  },
  busy: (page: PageHandle): string[] => {
    const busy = loadingOf(page, ['#submit', '#send-mobile-code', '#send-email-code'])
    if (page.find('#one-tap')?.data?.disabled === true) busy.push('#one-tap (disabled)')
    const phase = captchaPhase(page)
    if (page.data<BindData>().captcha.open && (phase === 'loading' || phase === 'verifying'))
      busy.push('captcha')
    return busy
  },
  countdowns: (page: PageHandle) => ({ ...page.data<BindData>().codeEndsAt }),
  draft: (page: PageHandle) => {
    const { tab, areaCode, mobile, email } = page.data<BindData>()
    return { tab, areaCode, mobile, email }
  },
}

/** A mainland phone no seeded user has, its own for each case of a file. */
export const phoneOf = (index: number) => `1360000${String(index).padStart(4, '0')}`

/**
 * The bind page (`bind`, loaded by the test file) opened and agreed to, a code sent to an email of its own (a countdown
 * running on the email tab), back on the mobile tab with a phone of its own typed.
 */
export async function bindWithEmailCountdown(
  bind: PageId,
  sandbox: Sandbox,
  index: number,
): Promise<{ page: PageHandle; mobile: string }> {
  const page = await renderReady(() => renderPage(bind))
  agree(page)
  await page.tapTab('email')
  const email = `matrix${index}@example.com`
  page.typeInto('#email', email)
  await requestCode(page, sandbox, '#send-email-code', email, { path: EIAM_PATHS.emailSend })
  await page.tapTab('mobile')
  const mobile = phoneOf(index)
  page.typeInto('#mobile', mobile)
  return { page, mobile }
}
