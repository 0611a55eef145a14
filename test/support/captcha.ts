/**
 * Page-test helpers for the pages that send codes (bind, register, mfa) against a real sandbox (one per file or
 * describe block: `useSandbox` of test/support/sandbox.ts):
 * - `installDevice(sandbox, options)`: a wx-node `wx` pointed at that sandbox, with a known device fingerprint
 *   (the sandbox's WeChat identity), so `sandbox.linkIdentity(FINGERPRINT, 'lisi')` works;
 * - `solveCaptcha(page, sandbox)`: THE way a test drags the slider captcha of a page to its answer (or misses);
 * - `requestCode(page, sandbox, send)`: tap a send button, solve the puzzle, wait for the send to be answered;
 * - `loadPageAfterRestart(path)`: a page from a fresh copy of every app module, for "the app was killed and
 *   reopened" (same wx storage, nothing left in module memory);
 * - `serverLog(sandbox)`: what the sandbox received since a mark, as paths.
 */
import type { Sandbox } from '../../sandbox'
import { EIAM_PATHS, PUZZLE_WIDTH } from '../../miniprogram/services/eiam'
import { DEVELOP_ORIGIN } from './sandbox'
import type { PageHandle, PageId, RenderOptions, Target } from './simulate'
import { renderPage, useWx } from './simulate'
import type { WxNode, WxNodeOptions } from './wx-node'

/** The device fingerprint the test wx starts with: the sandbox takes it as the WeChat identity. */
export const FINGERPRINT = 'fp-page-test'

/**
 * Installs a wx-node `wx` whose develop origin points at the sandbox and whose storage already holds the device
 * fingerprint `FINGERPRINT`. Uninstalled after the test.
 */
export function installDevice(sandbox: Sandbox, options: WxNodeOptions = {}): WxNode {
  const device = useWx({ rewriteOrigin: { from: DEVELOP_ORIGIN, to: sandbox.url }, ...options })
  device.state.storage.set('eiam.fingerprint', { value: FINGERPRINT, encrypted: false })
  uninstallAfterTest.push(device.uninstall)
  return device
}

const uninstallAfterTest: (() => void)[] = []
// registered where jest's hooks exist (a test file importing this one), like simulate.ts does
if (typeof afterEach === 'function') {
  afterEach(() => {
    for (const uninstall of uninstallAfterTest.splice(0).reverse()) uninstall()
  })
}

// ---- the slider captcha ----------------------------------------------------------------------------------------

interface CaptchaInstance {
  puzzle?: { token: string }
}

export interface SolveOptions {
  /** The captcha component on the page. Default `#captcha`. */
  captcha?: string
  /** Drop the piece this many puzzle px away from the answer (a wrong drop). Default 0. */
  missBy?: number
}

/** The puzzle the captcha on the page shows once it is ready to be dragged: its token and rendered width. */
export async function readyPuzzle(
  page: PageHandle,
  captcha = '#captcha',
): Promise<{ token: string; widthPx: number }> {
  return page.waitFor(() => {
    const component = page.find(captcha)
    const puzzle = (component?.instance as CaptchaInstance | undefined)?.puzzle
    const data = component?.data as { phase?: string; widthPx?: number } | undefined
    if (!puzzle || data?.phase !== 'ready' || !page.exists([captcha, '#captcha-handle'])) return undefined
    return { token: puzzle.token, widthPx: data.widthPx ?? 0 }
  })
}

/**
 * Drags the captcha's piece as a user would (the movable-view's `change` with `source: 'touch'`, then `touchend`)
 * to where the sandbox says the gap is, or `missBy` puzzle px beside it. Answers the puzzle token it solved.
 */
export async function solveCaptcha(
  page: PageHandle,
  sandbox: Sandbox,
  options: SolveOptions = {},
): Promise<string> {
  const captcha = options.captcha ?? '#captcha'
  const { token, widthPx } = await readyPuzzle(page, captcha)
  const answer = sandbox.captchaAnswer(token)
  if (answer === undefined) throw new Error(`the sandbox has no live puzzle ${token}`)
  const missBy = options.missBy ?? 0
  // the answer lies in 60..250: step away from it towards the middle, never past the edges
  const puzzleX = answer + (answer > PUZZLE_WIDTH / 2 ? -missBy : missBy)
  const px = (puzzleX / PUZZLE_WIDTH) * widthPx
  const handle: Target = [captcha, '#captcha-handle']
  page.dispatch(handle, 'change', { x: px, source: 'touch' })
  page.touch(handle, 'touchend', { x: px, y: 0 })
  return token
}

/** Paths the sandbox received, oldest first. */
export function serverPaths(sandbox: Sandbox): string[] {
  return sandbox.requests().map((request) => request.path)
}

/** A mark in the sandbox's log: `since()` answers the paths received after it, `mark()` moves it to now. */
export interface ServerLog {
  since(): string[]
  mark(): void
}

/** A `ServerLog` marked now. */
export function serverLog(sandbox: Sandbox): ServerLog {
  let start = sandbox.requests().length
  return {
    since: () => serverPaths(sandbox).slice(start),
    mark: () => {
      start = sandbox.requests().length
    },
  }
}

/** The JSON bodies the sandbox received on `path`, oldest first. */
export function bodiesTo(sandbox: Sandbox, path: string): Record<string, unknown>[] {
  return sandbox
    .requests()
    .filter((request) => request.path === path)
    .map((request) => request.body as Record<string, unknown>)
}

export interface RequestCodeOptions extends SolveOptions {
  /** The send-code endpoint the tap leads to. Default sms/send. */
  path?: string
}

/**
 * Taps `send`, solves the puzzle that opens, and waits until the sandbox answered the send. Answers the code the
 * sandbox sent to `target` (undefined when the send was refused).
 */
export async function requestCode(
  page: PageHandle,
  sandbox: Sandbox,
  send: Target,
  target: string,
  options: RequestCodeOptions = {},
): Promise<string | undefined> {
  const path = options.path ?? EIAM_PATHS.smsSend
  const answered = () =>
    sandbox.requests().filter((request) => request.path === path && request.status).length
  const answeredBefore = answered()
  page.tap(send)
  await solveCaptcha(page, sandbox, options)
  await page.waitFor(() => answered() > answeredBefore)
  await page.flush()
  return sandbox.lastCode(target)
}

// ---- the app killed and reopened ---------------------------------------------------------------------------------

interface Harness {
  loadPage(pagePath: string): PageId
  renderPage(page: PageId, query?: Record<string, string>, options?: RenderOptions): PageHandle
}

/**
 * A page on a fresh copy of the harness and of every app module (services, their in-memory caches): rendering it
 * is WeChat reopening the mini program on that page with the same storage. Call at the top level of a test file
 * (the harness registers its afterEach there), next to the file's `loadPage`.
 */
export function loadPageAfterRestart(pagePath: string): {
  render(query?: Record<string, string>): PageHandle
} {
  let harness: Harness | undefined
  jest.isolateModules(() => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- a second, isolated copy on purpose
    harness = require('./simulate') as Harness
  })
  if (!harness) throw new Error('could not load a fresh copy of the harness')
  const fresh = harness
  const page = fresh.loadPage(pagePath)
  return { render: (query = {}) => fresh.renderPage(page, query) }
}

// ---- observing the platform -------------------------------------------------------------------------------------

/**
 * Runs `observe` with the arguments when the app next calls `wx[api]`, before the call goes through (e.g. to read
 * storage at the moment the app leaves the page, or to keep a listener the app registers). One call only; the API
 * is then as before.
 */
export function beforeNextCall(
  wx: WechatMiniprogram.Wx,
  api: keyof WechatMiniprogram.Wx,
  observe: (...args: unknown[]) => void,
): void {
  const holder = wx as unknown as Record<string, unknown>
  const original = holder[api] as (...args: unknown[]) => unknown
  holder[api] = (...args: unknown[]) => {
    observe(...args)
    // handing back wx-node's own wrapper restores the implementation behind it
    holder[api] = original
    return (holder[api] as (...callArgs: unknown[]) => unknown)(...args)
  }
}

/** The state token the n-th login of this device answered, as the app received it. */
export function stateTokenFromLogin(device: WxNode, index = 0): string {
  const login = device.state.requestsTo(EIAM_PATHS.login)[index]
  const answer = JSON.parse(login?.responseText ?? '{}') as { state_token?: string }
  if (!answer.state_token) throw new Error(`login #${index} brought no state token`)
  return answer.state_token
}

/** Renders a page and waits until its data says `ready` and its load-time requests are answered. */
export async function renderReady(render: () => PageHandle): Promise<PageHandle> {
  const page = render()
  await page.waitFor(() => page.data().ready)
  await page.flush()
  return page
}

/** What the server receives when a user sends one SMS code: the puzzle, its verification, the send. */
export const SMS_CODE_PATHS = [EIAM_PATHS.captcha, EIAM_PATHS.captchaVerify, EIAM_PATHS.smsSend]

/** On the bind page: types a phone, sends it a code (requestCode), types the code: ready to submit. Answers the code. */
export async function fillMobile(page: PageHandle, sandbox: Sandbox, mobile: string): Promise<string> {
  page.typeInto('#mobile', mobile)
  const code = await requestCode(page, sandbox, '#send-mobile-code', mobile)
  if (!code) throw new Error(`no code was sent to ${mobile}`)
  page.typeInto('#mobile-code', code)
  return code
}

/** `loaded` rendered ready (renderReady) on a device of its own (installDevice), and the server's log from then on. */
export async function openOnDevice(
  sandbox: Sandbox,
  loaded: PageId,
  options: WxNodeOptions = {},
): Promise<{ device: WxNode; page: PageHandle; log: ServerLog }> {
  const device = installDevice(sandbox, options)
  const page = await renderReady(() => renderPage(loaded))
  return { device, page, log: serverLog(sandbox) }
}

/**
 * Ticks the agreement box unless it already is: a user who accepted the current agreement version earlier (on the
 * bind page before the register page, before a restart) finds it ticked, and a tap would untick it.
 */
export function agree(page: PageHandle): void {
  if (!page.data<{ agreed?: boolean }>().agreed) page.tap('#agree')
}
