/**
 * Drives the mini program across pages against a sandbox, the way WeChat would: render the page the app opened,
 * let it talk to the sandbox over loopback, and when it asks to navigate, unload it and render the page it named
 * (same `wx`, same storage). Page tests use it to reach a page through the real flow (e.g. MFA_AUTH from launch);
 * the journey tests use it end to end and count the requests each journey makes.
 *
 * ```ts
 * const journey = startJourney({ sandbox })        // wx installed, fingerprint seeded; ended after the test
 * const launch = journey.open('/pages/launch/index')
 * const mfa = await journey.next()                  // the page launch navigated to, rendered
 * expect(journey.requestCounts()).toEqual({ 'login/wechat-miniprogram': 1 })
 * ```
 *
 * Module memory: every page the harness loads has its own copy of the app's modules (simulate.ts), and the copy of
 * a page loaded once per file is shared by the file's tests. Two of those module caches matter here: the device
 * fingerprint (read from storage once per copy; so a file seeds the same fingerprint in every test) and the code
 * countdowns (read once per copy; a test that sends a code to a target another test of the file already used must
 * render a fresh copy: `fresh: true`). A fresh copy is also what a killed-and-reopened mini program runs.
 */
import fs from 'node:fs'
import http from 'node:http'
import path from 'node:path'
import type { Sandbox } from '../../sandbox'
import { TENANTS } from '../../miniprogram/config/tenant'
import { EIAM_PATHS } from '../../miniprogram/services/eiam'
import { requestCode } from './captcha'
import { DEVELOP_ORIGIN, fakeDateOnly, type SeededName } from './sandbox'
import {
  developTenantOf,
  loadPage,
  MINIPROGRAM_ROOT,
  renderPage,
  useWx,
  type PageHandle,
  type PageId,
} from './simulate'
import {
  readEncrypted,
  writeEncrypted,
  type NavigationEntry,
  type WxNodeOptions,
  type WxNodeState,
} from './wx-node'

export const API_PREFIX = '/api/v2/sdk/'
/** The fingerprint every journey seeds unless told otherwise (see "Module memory" above). */
export const JOURNEY_FINGERPRINT = 'fp-journey-test'
/** What `wx.setStorageSync('eiam.fingerprint', ...)` leaves in wx-node's storage. */
const FINGERPRINT_KEY = 'eiam.fingerprint'

const APP_JSON = JSON.parse(fs.readFileSync(path.join(MINIPROGRAM_ROOT, 'app.json'), 'utf8')) as {
  pages: string[]
  subPackages?: { root: string; pages: string[] }[]
}

/** The pages of app.json, subpackages' included, as routes without a leading slash. */
export const APP_PAGES: readonly string[] = [
  ...APP_JSON.pages,
  ...(APP_JSON.subPackages ?? []).flatMap(({ root, pages }) => pages.map((page) => `${root}/${page}`)),
]

// ---- pages ------------------------------------------------------------------------------------------------------

let freshCopies = 0

/**
 * The loaded page for a route: the file's shared copy, or with `fresh` a new copy of the page and every app module
 * (loadPage caches by path, so a path spelled differently, `miniprogram/./././pages/...`, loads anew). ~0.5 s each.
 */
export function appPage(route: string, options: { fresh?: boolean } = {}): PageId {
  const bare = route.replace(/^\//, '').split('?')[0] as string
  if (!APP_PAGES.includes(bare)) throw new Error(`${bare} is not a page of app.json`)
  if (!options.fresh) return loadPage(bare)
  freshCopies += 1
  return loadPage(`${MINIPROGRAM_ROOT}/${'./'.repeat(freshCopies)}${bare}`)
}

/** `/pages/launch/index?manual=1` → route and query, as WeChat hands them to onLoad. */
export function parsePageUrl(url: string): { route: string; query: Record<string, string> } {
  const [pathPart = '', search = ''] = url.split('?')
  const query: Record<string, string> = {}
  for (const pair of search.split('&').filter(Boolean)) {
    const [key = '', value = ''] = pair.split('=')
    query[decodeURIComponent(key)] = decodeURIComponent(value)
  }
  return { route: pathPart.replace(/^\//, ''), query }
}

// ---- requests ---------------------------------------------------------------------------------------------------

/** `/api/v2/sdk/login/wechat-miniprogram` → `login/wechat-miniprogram`. */
export const shortPath = (requestPath: string) =>
  requestPath.startsWith(API_PREFIX) ? requestPath.slice(API_PREFIX.length) : requestPath

/** How many requests went to each path (short form), in first-seen order. */
export function countByPath(paths: readonly string[]): Record<string, number> {
  const counts: Record<string, number> = {}
  for (const each of paths) counts[shortPath(each)] = (counts[shortPath(each)] ?? 0) + 1
  return counts
}

// ---- the journey ------------------------------------------------------------------------------------------------

export interface JourneyOptions {
  sandbox: Sandbox
  /** Seeded as the device fingerprint (the sandbox's WeChat identity); `null` seeds none. */
  fingerprint?: string | null
  /**
   * Render pages from fresh module copies: every page (`true`) or the routes listed (`['pages/bind/index']`), so
   * what a journey does does not depend on what earlier tests left in a shared copy's memory.
   */
  fresh?: boolean | readonly string[]
  /** More wx-node options (language, offline, loginFails, timeoutMs, ...). */
  wx?: WxNodeOptions
  /**
   * The origin the app's tenant config asks for, sent to the sandbox instead. Default the develop origin; e.g. the
   * trial tenant's origin, with `wx.envVersion: 'trial'` and a sandbox of that tenant's client id.
   */
  tenantOrigin?: string
  /**
   * Develop tenant options (config/tenant.ts) every page of the journey renders with, e.g. `{ dialect: 'oneaccess' }`:
   * written into each page's own module copy before it renders, and put back when the journey ends.
   */
  tenant?: Record<string, unknown>
}

const active = new Set<Journey>()

export class Journey {
  /** The page on screen (the last one rendered). */
  page: PageHandle | undefined
  /** Navigation entries already followed. */
  private followed = 0
  /** What `tenant` replaced in each page copy's develop config, to put back at the end. */
  private readonly replaced = new Map<Record<string, unknown>, Record<string, unknown>>()
  constructor(
    readonly sandbox: Sandbox,
    readonly state: WxNodeState,
    private readonly uninstall: () => void,
    private readonly fresh: boolean | readonly string[],
    private readonly tenant: Record<string, unknown> = {},
  ) {}

  /** The loaded page, configured with the journey's tenant options. */
  private configured(id: PageId): PageId {
    if (!Object.keys(this.tenant).length) return id
    const develop = developTenantOf(id) as Record<string, unknown>
    if (!this.replaced.has(develop)) {
      this.replaced.set(
        develop,
        Object.fromEntries(Object.keys(this.tenant).map((key) => [key, develop[key]])),
      )
    }
    Object.assign(develop, this.tenant)
    return id
  }

  /** Renders `url` as the page on screen (unloading the one before), as if WeChat opened it. */
  open(url: string, options: { fresh?: boolean } = {}): PageHandle {
    const { route, query } = parsePageUrl(url)
    const id = appPage(route, { fresh: options.fresh ?? this.freshFor(route) })
    this.page?.unload()
    this.followed = this.state.navigation.length
    this.state.stack.splice(0, this.state.stack.length, `/${route}`)
    this.page = renderPage(this.configured(id), query)
    return this.page
  }

  /**
   * Waits until the app asks to navigate, unloads the page on screen and renders the page it asked for (reLaunch
   * and redirectTo both replace it here). Fails when no navigation comes within `timeoutMs`. `fresh` renders the
   * next page from a new module copy even when the journey does not.
   */
  async next(options: { fresh?: boolean; timeoutMs?: number } = {}): Promise<PageHandle> {
    const current = this.requirePage()
    const entry = await current.waitFor(() => this.state.navigation[this.followed], options.timeoutMs ?? 5000)
    this.followed += 1
    current.unload()
    const { route, query } = parsePageUrl(entry.url)
    this.page = renderPage(
      this.configured(appPage(route, { fresh: options.fresh ?? this.freshFor(route) })),
      query,
    )
    return this.page
  }

  /** `next()`, then waits until the page it opened says it is `ready`. */
  async nextReady(options: { fresh?: boolean; timeoutMs?: number } = {}): Promise<PageHandle> {
    const page = await this.next(options)
    await page.waitFor(() => page.data().ready)
    return page
  }

  /** Follows navigation until the page on screen is `route` (e.g. `pages/home/index`). */
  async reach(route: string, maxHops = 6): Promise<PageHandle> {
    const wanted = route.replace(/^\//, '')
    for (let hop = 0; hop < maxHops; hop += 1) {
      if (this.route() === wanted) return this.requirePage()
      await this.next()
    }
    if (this.route() === wanted) return this.requirePage()
    throw new Error(`no page ${wanted} after ${maxHops} navigations: ${this.urls().join(' → ')}`)
  }

  /** The route of the page on screen. */
  route(): string | undefined {
    return this.page?.instance.route as string | undefined
  }

  /** Every navigation the app asked for, as `method url`. */
  urls(): string[] {
    return this.state.navigation.map((entry: NavigationEntry) => `${entry.method} ${entry.url}`)
  }

  /** Navigation the app asked for that no `next()` has followed yet. */
  pendingNavigation(): NavigationEntry[] {
    return this.state.navigation.slice(this.followed)
  }

  /** Paths (short form) of every request the app made, in order; from `since` (a `requests.length` taken before). */
  requestPaths(since = 0): string[] {
    return this.state.requests.slice(since).map((request) => shortPath(request.path))
  }

  /** Requests per path (short form) the app made; from `since` (a `requests.length` taken before). */
  requestCounts(since = 0): Record<string, number> {
    return countByPath(this.state.requests.slice(since).map((request) => request.path))
  }

  /** Requests per path the sandbox received (the server's view of the same journey). */
  serverCounts(): Record<string, number> {
    return countByPath(this.sandbox.requests().map((request) => request.path))
  }

  /** An encrypted storage entry as the app wrote it (JSON text), parsed; undefined when absent. */
  secure<T = Record<string, unknown>>(key: string): T | undefined {
    return readEncrypted<T>(this.state, key)
  }

  /** Puts an encrypted entry as the app would write it (JSON text through setStorage with encrypt). */
  setSecure(key: string, value: unknown): void {
    writeEncrypted(this.state, key, value)
  }

  end(): void {
    if (!active.delete(this)) return
    for (const [develop, before] of this.replaced) Object.assign(develop, before)
    this.uninstall()
  }

  private freshFor(route: string): boolean {
    return typeof this.fresh === 'boolean' ? this.fresh : this.fresh.includes(route)
  }

  private requirePage(): PageHandle {
    if (!this.page) throw new Error('no page on screen: open() one first')
    return this.page
  }
}

/** Installs a wx pointed at the sandbox (pages of app.json only), seeds the fingerprint; ended after the test. */
export function startJourney(options: JourneyOptions): Journey {
  const { state, uninstall } = useWx({
    knownPages: [...APP_PAGES],
    ...options.wx,
    rewriteOrigin: { from: options.tenantOrigin ?? DEVELOP_ORIGIN, to: options.sandbox.url },
  })
  const fingerprint = options.fingerprint === undefined ? JOURNEY_FINGERPRINT : options.fingerprint
  if (fingerprint !== null) state.storage.set(FINGERPRINT_KEY, { value: fingerprint, encrypted: false })
  const journey = new Journey(options.sandbox, state, uninstall, options.fresh ?? false, options.tenant)
  active.add(journey)
  return journey
}

if (typeof afterEach === 'function') {
  afterEach(() => {
    for (const journey of [...active]) journey.end()
  })
}

/**
 * A journey that opened launch, as the WeChat identity linked to `user` when one is named and in WeChat `language`,
 * and followed it to the page launch led to (a `fresh` copy of it when asked), or on until the page is `reach`.
 */
export async function launchAs(
  sandbox: Sandbox,
  options: { user?: SeededName; language?: string; fresh?: boolean; reach?: string } = {},
): Promise<{ journey: Journey; page: PageHandle }> {
  if (options.user) sandbox.linkIdentity(JOURNEY_FINGERPRINT, options.user)
  const journey = startJourney({ sandbox, wx: options.language ? { language: options.language } : {} })
  journey.open('/pages/launch/index')
  const page = options.reach
    ? await journey.reach(options.reach)
    : await journey.next({ fresh: options.fresh })
  return { journey, page }
}

/**
 * 李四 signed in through launch on the develop tenant, or on the trial one (its origin sent to `sandbox`, which must
 * have the trial client id): the second-factor page with his phone shown. `fresh`: every page on fresh module copies.
 */
export async function mfaOnTenant(
  sandbox: Sandbox,
  tenant: 'develop' | 'trial',
  options: { fresh?: boolean } = {},
): Promise<PageHandle> {
  sandbox.linkIdentity(JOURNEY_FINGERPRINT, 'lisi')
  const journey = startJourney({
    sandbox,
    fresh: options.fresh,
    wx: { envVersion: tenant },
    tenantOrigin: tenant === 'trial' ? TENANTS.trial.baseUrl : undefined,
  })
  journey.open('/pages/launch/index')
  const mfa = await journey.reach('pages/mfa/index')
  await mfa.waitFor(() => mfa.data<{ target: string }>().target)
  return mfa
}

// ---- codes ------------------------------------------------------------------------------------------------------

/** The requests (`requestCounts` form) that sending `count` codes costs: each a puzzle, its verification, the send. */
export const codeRequests = (count: number, send: 'sms/send' | 'email/send' = 'sms/send') => ({
  captcha: count,
  'captcha/verify': count,
  [send]: count,
})

/**
 * Taps `sendButton`, solves the captcha (test/support/captcha.ts, the one shared way) and waits until the sandbox
 * answered the send; answers the code it sent to `target` (an email goes through email/send, else sms/send).
 */
export async function sendCodeVia(
  page: PageHandle,
  sandbox: Sandbox,
  sendButton: string,
  target: string,
): Promise<string> {
  const path = target.includes('@') ? EIAM_PATHS.emailSend : EIAM_PATHS.smsSend
  const code = await requestCode(page, sandbox, sendButton, target, { path })
  if (!code) throw new Error(`the sandbox sent no code to ${target}`)
  return code
}

/**
 * On a page with one code field (#code, #submit: register, mfa): submits a wrong code (not `code`), which the server
 * refuses under the field with what was typed kept, the button usable and no navigation; then types `code`.
 */
export async function wrongCodeRefusedThenTypeRight(
  journey: Journey,
  page: PageHandle,
  code: string,
): Promise<void> {
  const wrong = code === '000000' ? '111111' : '000000'
  page.typeInto('#code', wrong)
  page.tap('#submit')
  await page.waitFor(() => page.fieldError('#code'))
  expect(page.fieldError('#code')).toBe('verify_code 参数错误')
  expect(page.data().code).toBe(wrong)
  expect(page.get('#submit').data?.loading).toBe(false)
  expect(journey.pendingNavigation()).toEqual([])
  page.typeInto('#code', code)
}

/** On a page with one code field: submits 123456, waits for the notice that leads to, checks the code is kept. */
export async function noticeAfterSubmittingCode(page: PageHandle): Promise<string> {
  page.typeInto('#code', '123456')
  page.tap('#submit')
  await page.waitFor(() => page.exists('#notice'))
  expect(page.data().code).toBe('123456')
  return page.text('#notice')
}

/** On the password page: types the old password, the new one and (unless told otherwise) the same again to confirm. */
export function fillPasswordChange(page: PageHandle, old: string, next: string, confirm = next): void {
  page.typeInto('#old-password', old)
  page.typeInto('#new-password', next)
  page.typeInto('#confirm-password', confirm)
}

// ---- clocks -----------------------------------------------------------------------------------------------------

/**
 * Moves the clock of the app (and of a sandbox started with `now: () => Date.now()`) by `ms`: only `Date` is faked,
 * so timers, loopback HTTP and the harness's waiting run as before. `jest.useRealTimers()` puts it back.
 */
export function moveClock(ms: number): void {
  fakeDateOnly(Date.now() + ms)
}

// ---- talking to the sandbox directly ----------------------------------------------------------------------------

/** A call to the sandbox as another client would make it (every required header), for what the server says. */
export function callSandbox(
  sandbox: Sandbox,
  call: { method: 'GET' | 'POST'; path: string; headers?: Record<string, string>; body?: unknown },
): Promise<{ status: number; json: Record<string, unknown> }> {
  const text = call.body === undefined ? undefined : JSON.stringify(call.body)
  const url = new URL(call.path, sandbox.url)
  const headers: Record<string, string> = {
    'x-operating-sys-version': 'iOS 17.2',
    'x-device-fingerprint': JOURNEY_FINGERPRINT,
    'x-agent': 'test',
    'x-client-id': 'sandbox-client-id',
    ...(text === undefined ? {} : { 'content-type': 'application/json' }),
    ...call.headers,
  }
  return new Promise((resolve, reject) => {
    const request = http.request(
      { hostname: url.hostname, port: url.port, path: url.pathname, method: call.method, headers },
      (response) => {
        const chunks: Buffer[] = []
        response.on('data', (chunk: Buffer) => chunks.push(chunk))
        response.on('end', () => {
          const body = Buffer.concat(chunks).toString('utf8')
          let json: Record<string, unknown>
          try {
            json = body ? (JSON.parse(body) as Record<string, unknown>) : {}
          } catch {
            json = {}
          }
          resolve({ status: response.statusCode ?? 0, json })
        })
      },
    )
    request.on('error', reject)
    request.end(text)
  })
}
