/**
 * A `wx` for Node: the real app code talks to a real HTTP server on loopback, keeps real (in-memory) storage and
 * records what it asked the platform to do. Behaviour follows the WeChat base library where the tests can observe
 * it: `success` for every HTTP status, `fail` with `request:fail ...` for network errors and timeouts, callbacks
 * always asynchronous, encrypted storage readable only through the async API with `encrypt: true`.
 *
 * Any API this file does not implement throws when called, naming the API, so a test never passes on a silent stub.
 */
import http from 'node:http'
import https from 'node:https'
import { randomFillSync } from 'node:crypto'
import { Buffer } from 'node:buffer'
import { TextDecoder, TextEncoder } from 'node:util'

type AnyObject = Record<string, unknown>
type Callback<T> = ((result: T) => void) | undefined

/** Callbacks every asynchronous WeChat API accepts. */
interface AsyncCallbacks<Result> {
  success?: (result: Result) => void
  fail?: (error: { errMsg: string }) => void
  complete?: (resultOrError: Result | { errMsg: string }) => void
}

export interface RecordedRequest {
  method: string
  /** The URL actually requested, after `rewriteOrigin`. */
  url: string
  /** The URL the app asked for. */
  requestedUrl: string
  /** Path without the query string, e.g. `/api/v2/sdk/login`. */
  path: string
  /** The query string without `?` ('' when none). */
  query: string
  /** Header names lower-cased, as sent. */
  headers: Record<string, string>
  /** The body as sent (UTF-8 text), undefined when none. */
  body: string | undefined
  /** The body parsed as JSON when it is JSON. */
  json?: unknown
  /** Set once the server answered. */
  statusCode?: number
  /** Set when `fail` was called. */
  errMsg?: string
  /** Raw response text, set once the server answered. */
  responseText?: string
  durationMs?: number
}

export interface StoredItem {
  /** The JSON-copied value as written. */
  value: unknown
  /** Written through the async API with `encrypt: true`. */
  encrypted: boolean
}

export type NavigationMethod = 'reLaunch' | 'redirectTo' | 'navigateTo' | 'navigateBack' | 'switchTab'
export interface NavigationEntry {
  method: NavigationMethod
  /** For navigateBack: the page returned to ('' when the stack is unknown). */
  url: string
  delta?: number
}

export interface ToastEntry {
  kind: 'toast' | 'loading'
  title: string
  icon?: string
  duration?: number
  mask?: boolean
}

export interface ModalEntry {
  title?: string
  content?: string
  showCancel?: boolean
  confirmText?: string
  cancelText?: string
  /** What the simulated user answered. */
  answer: 'confirm' | 'cancel'
}

export interface NetworkStatus {
  isConnected: boolean
  networkType: string
}

export interface WxNodeOptions {
  /** Requests to `from` (an origin such as `http://127.0.0.1:8787`) go to `to` instead. */
  rewriteOrigin?: { from: string; to: string }
  /** Caps every request's timeout: the effective timeout is min(request timeout or 60 s, timeoutMs). */
  timeoutMs?: number
  /** No network: every request fails at once with `request:fail ...`, getNetworkType answers 'none'. */
  offline?: boolean
  /** When false, `wx.request` throws: for tests that must not touch the network at all. Default true. */
  requestsAllowed?: boolean
  /** wx.login fails with `login:fail ...`. */
  loginFails?: boolean
  /** Prefix of login codes, followed by a counter unique in this test file. Default `wx-code-`. */
  loginCodePrefix?: string
  /** setClipboardData fails (`setClipboardData:fail ...`), as it does when the user refused the privacy agreement. */
  clipboardFails?: boolean
  /** What showModal's simulated user answers. Default 'confirm'. */
  modalAnswer?: 'confirm' | 'cancel' | ((modal: Omit<ModalEntry, 'answer'>) => 'confirm' | 'cancel')
  /** getAppBaseInfo().language. Default 'zh_CN'. */
  language?: string
  /** getAppBaseInfo().theme. Default 'light'. */
  theme?: 'light' | 'dark'
  /** getAccountInfoSync().miniProgram.envVersion. Default 'develop'. */
  envVersion?: 'develop' | 'trial' | 'release'
  /** getAppBaseInfo().SDKVersion. Default '3.6.6'. */
  sdkVersion?: string
  /** `'wxwork'`: the mini program runs inside WeCom (企业微信): system info carries it and `wx.qy` exists. */
  environment?: 'wxwork'
  /** The privacy agreement still needs the user's consent. Default false. */
  needPrivacyAuthorization?: boolean
  /** How the user answers the privacy pop-up when no onNeedPrivacyAuthorization listener is registered. */
  privacyAnswer?: 'agree' | 'disagree'
  /** Routes that exist (e.g. from app.json, with or without a leading `/`): navigation elsewhere fails. */
  knownPages?: string[]
  /** The page stack before the test starts, e.g. ['/pages/launch/index']. */
  initialStack?: string[]
  /** getAppBaseInfo().fontSizeScaleFactor, WeChat's text size setting. Default 1. */
  fontSizeScaleFactor?: number
  /** getWindowInfo().windowWidth (and screenWidth), CSS px. Default 375. */
  windowWidth?: number
  /**
   * Bytes the user-data folder (`wx.env.USER_DATA_PATH`) may hold; a write past it fails as WeChat's does
   * (`writeFile:fail the maximum size of the file storage limit is exceeded`). Default 200 MB, WeChat's limit.
   */
  fileStorageLimitBytes?: number
  /**
   * Extra APIs to expose as they are, for layout helpers an environment provides (e.g. miniprogram-simulate's
   * `createSelectorQuery` under jsdom). Named explicitly so nothing unknown is ever stubbed silently.
   */
  passthrough?: Record<string, unknown>
}

export interface WxNodeState {
  /** Mutable: change any option mid-test (e.g. `state.options.offline = true`). */
  options: WxNodeOptions
  /** Every request the app made, oldest first; one that never reached a server has `errMsg` and no `statusCode`. */
  requests: RecordedRequest[]
  /** Requests whose path equals `path` (or matches it, for a RegExp). */
  requestsTo(path: string | RegExp): RecordedRequest[]
  /** Requests not answered yet. */
  inFlight(): number
  /** The most requests that were in flight at once (WeChat allows 10). */
  peakInFlight: number
  /** Resolves when no request is in flight. */
  idle(): Promise<void>
  loginCalls: number
  /** Codes handed out by wx.login, in order. */
  loginCodes: string[]
  /** Raw storage entries. */
  storage: Map<string, StoredItem>
  /** The files under `wx.env.USER_DATA_PATH` (`wxfile://usr/...`), by full path, as written. */
  files: Map<string, Uint8Array>
  navigation: NavigationEntry[]
  /** The page stack as navigation left it. */
  stack: string[]
  /** The current page's url (top of the stack), undefined before any navigation. */
  route(): string | undefined
  toasts: ToastEntry[]
  modals: ModalEntry[]
  /** What setClipboardData last put on the clipboard. */
  clipboard: string | undefined
  /** Whether a showLoading is showing. */
  loadingVisible: boolean
  navigationBarTitles: string[]
  hideShareMenuCalls: number
  exitMiniProgramCalls: number
  vibrateShortCalls: number
  /** Names of every wx API called, in order. */
  calls: string[]
  /** Calls the network status listeners and sets `options.offline` to the opposite of `isConnected`. */
  emitNetworkStatus(isConnected: boolean, networkType?: string): void
  networkListeners(): number
  privacyRequests: number
  /** Lines written to the real-time log (wx.getRealtimeLogManager), each with the filter messages set then. */
  realtimeLog: RealtimeLogLine[]
  /** wx.reportEvent calls, in order. */
  reportedEvents: Array<{ eventId: string; data: unknown }>
  /** Calls the onAppShow listeners. */
  emitAppShow(options?: AnyObject): void
  appShowListeners(): number
  updateManager: {
    calls: string[]
    emitCheckForUpdate(hasUpdate: boolean): void
    emitUpdateReady(): void
    emitUpdateFailed(): void
  }
}

export interface RealtimeLogLine {
  level: 'info' | 'warn' | 'error'
  /** setFilterMsg then any addFilterMsg, as they stood when the line was written */
  filters: string[]
  /** the arguments as WeChat would upload them (a JSON copy) */
  args: unknown[]
}

export interface WxNode {
  wx: WechatMiniprogram.Wx
  state: WxNodeState
}

const DEFAULT_REQUEST_TIMEOUT_MS = 60000
const STORAGE_ITEM_LIMIT_BYTES = 1024 * 1024
const STORAGE_TOTAL_LIMIT_BYTES = 10 * 1024 * 1024
const ENCRYPTED_ITEM_LIMIT_BYTES = 0.7 * 1024 * 1024
const ENCRYPTED_TOTAL_LIMIT_BYTES = 7.1 * 1024 * 1024
const MAX_RANDOM_BYTES = 1048576
/** `wx.env.USER_DATA_PATH` on a phone. */
export const USER_DATA_PATH = 'wxfile://usr'
const FILE_STORAGE_LIMIT_BYTES = 200 * 1024 * 1024
const BUILT_IN_COMPONENTS = new Set([
  'button',
  'input',
  'textarea',
  'view',
  'text',
  'image',
  'scroll-view',
  'checkbox',
  'label',
  'navigator',
  'form',
  'picker',
])
/** Property names tooling probes on any object: they are not wx APIs. */
const NOT_APIS = new Set([
  'then',
  'toJSON',
  'asymmetricMatch',
  '$$typeof',
  'nodeType',
  'tagName',
  'constructor',
  'inspect',
  '@@__IMMUTABLE_ITERABLE__@@',
  '@@__IMMUTABLE_RECORD__@@',
  '_isMockFunction',
])

/** Per test file: jest gives every file a fresh global object. */
const LOGIN_COUNTER = Symbol.for('wx-node.login-counter')
function nextLoginNumber(): number {
  const holder = globalThis as unknown as Record<symbol, number | undefined>
  const next = (holder[LOGIN_COUNTER] ?? 0) + 1
  holder[LOGIN_COUNTER] = next
  return next
}

/** Callbacks run after the caller's synchronous code, as on the platform; microtasks survive fake timers. */
function later(run: () => void): void {
  void Promise.resolve().then(run)
}

const hasCallback = (options: { success?: unknown; fail?: unknown; complete?: unknown } | undefined) =>
  !!options && (!!options.success || !!options.fail || !!options.complete)

/**
 * Settles an async API call: callbacks when any were given, otherwise a Promise (the modern base library
 * promisifies APIs called without callbacks).
 */
function settle<Result extends AnyObject>(
  options: AsyncCallbacks<Result> | undefined,
  outcome: { ok: true; result: Result } | { ok: false; errMsg: string },
): Promise<Result> | undefined {
  if (hasCallback(options)) {
    later(() => {
      if (outcome.ok) {
        options?.success?.(outcome.result)
        options?.complete?.(outcome.result)
      } else {
        const error = { errMsg: outcome.errMsg }
        options?.fail?.(error)
        options?.complete?.(error)
      }
    })
    return undefined
  }
  return outcome.ok ? Promise.resolve(outcome.result) : Promise.reject({ errMsg: outcome.errMsg })
}

const ok = <Result extends AnyObject>(api: string, result?: Result) => ({
  ok: true as const,
  result: { errMsg: `${api}:ok`, ...(result ?? {}) } as unknown as Result & { errMsg: string },
})
const failed = (api: string, reason: string) => ({ ok: false as const, errMsg: `${api}:fail ${reason}` })

/** JSON deep copy, as the platform serialises what it stores. */
function jsonCopy(value: unknown): unknown {
  if (value === undefined) return undefined
  return JSON.parse(JSON.stringify(value)) as unknown
}

function byteLength(text: string): number {
  return new TextEncoder().encode(text).length
}

/** What a reader without the key sees of an encrypted entry: opaque text, never the plain value. */
function scramble(key: string, value: unknown): string {
  const plain = new TextEncoder().encode(`${key}\u0000${JSON.stringify(value) ?? ''}`)
  let state = 0x9e3779b9
  const out = plain.map((byte, index) => {
    state = (Math.imul(state ^ (state >>> 15), 0x2c1b3c6d) + index) >>> 0
    return byte ^ (state & 0xff)
  })
  return `wx-encrypted:${Buffer.from(out).toString('base64')}`
}

function toQueryString(data: AnyObject): string {
  return Object.entries(data)
    .filter(([, value]) => value !== undefined)
    .map(([key, value]) => {
      const text =
        typeof value === 'string' ? value : typeof value === 'object' ? JSON.stringify(value) : String(value)
      return `${encodeURIComponent(key)}=${encodeURIComponent(text)}`
    })
    .join('&')
}

/** A copy made with this realm's constructors, so `instanceof ArrayBuffer` holds in the code under test. */
function toLocalArrayBuffer(bytes: Uint8Array): ArrayBuffer {
  const copy = new Uint8Array(bytes.length)
  copy.set(bytes)
  return copy.buffer
}

const normaliseRoute = (url: string) => {
  const path = url.split('?')[0] ?? ''
  return path.startsWith('/') ? path : `/${path}`
}

interface RequestOptions extends AsyncCallbacks<AnyObject> {
  url: string
  method?: string
  header?: Record<string, unknown>
  data?: unknown
  timeout?: number
  dataType?: string
  responseType?: string
}

/** wx → its state, for helpers that only see `global.wx` (e.g. a page harness waiting for requests in flight). */
const STATES = new WeakMap<object, WxNodeState>()

export function createWx(initialOptions: WxNodeOptions = {}): WxNode {
  const options: WxNodeOptions = { ...initialOptions }
  const storage = new Map<string, StoredItem>()
  const files = new Map<string, Uint8Array>()
  const networkListeners = new Set<(status: NetworkStatus) => void>()
  const appShowListeners = new Set<(options: AnyObject) => void>()
  const appHideListeners = new Set<() => void>()
  const privacyListeners = new Set<(resolve: (answer: AnyObject) => void, info: AnyObject) => void>()
  const updateListeners = {
    checkForUpdate: new Set<(result: { hasUpdate: boolean }) => void>(),
    updateReady: new Set<() => void>(),
    updateFailed: new Set<() => void>(),
  }
  const pending = new Set<Promise<void>>()

  const state: WxNodeState = {
    options,
    requests: [],
    requestsTo: (path) =>
      state.requests.filter((request) =>
        typeof path === 'string' ? request.path === path : path.test(request.path),
      ),
    inFlight: () => pending.size,
    peakInFlight: 0,
    idle: async () => {
      while (pending.size) await Promise.allSettled([...pending])
    },
    loginCalls: 0,
    loginCodes: [],
    storage,
    files,
    navigation: [],
    stack: [...(options.initialStack ?? [])],
    route: () => state.stack[state.stack.length - 1],
    toasts: [],
    modals: [],
    clipboard: undefined,
    loadingVisible: false,
    navigationBarTitles: [],
    hideShareMenuCalls: 0,
    exitMiniProgramCalls: 0,
    vibrateShortCalls: 0,
    calls: [],
    emitNetworkStatus: (isConnected, networkType) => {
      options.offline = !isConnected
      const status = { isConnected, networkType: networkType ?? (isConnected ? 'wifi' : 'none') }
      for (const listener of [...networkListeners]) listener(status)
    },
    networkListeners: () => networkListeners.size,
    privacyRequests: 0,
    realtimeLog: [],
    reportedEvents: [],
    emitAppShow: (showOptions = {}) => {
      for (const listener of [...appShowListeners])
        listener({ path: state.route() ?? '', query: {}, ...showOptions })
    },
    appShowListeners: () => appShowListeners.size,
    updateManager: {
      calls: [],
      emitCheckForUpdate: (hasUpdate) =>
        updateListeners.checkForUpdate.forEach((listener) => listener({ hasUpdate })),
      emitUpdateReady: () => updateListeners.updateReady.forEach((listener) => listener()),
      emitUpdateFailed: () => updateListeners.updateFailed.forEach((listener) => listener()),
    },
  }

  // ---- network ----------------------------------------------------------------------------------------------

  function rewrite(url: string): string {
    const rule = options.rewriteOrigin
    if (rule && (url === rule.from || url.startsWith(`${rule.from}/`) || url.startsWith(`${rule.from}?`))) {
      return rule.to.replace(/\/$/, '') + url.slice(rule.from.length)
    }
    return url
  }

  function request(requestOptions: RequestOptions): { abort(): void } {
    if (options.requestsAllowed === false) {
      throw new Error(
        `wx.request(${requestOptions.url}) was called but this test allows no requests: ` +
          'install a wx with createWx({ rewriteOrigin }) pointing at a server',
      )
    }
    const method = (requestOptions.method ?? 'GET').toUpperCase()
    const headers: Record<string, string> = {}
    for (const [name, value] of Object.entries(requestOptions.header ?? {})) {
      if (value !== undefined && value !== null) headers[name.toLowerCase()] = String(value)
    }
    if (!headers['content-type']) headers['content-type'] = 'application/json'

    let url = rewrite(requestOptions.url)
    let body: Uint8Array | undefined
    const data = requestOptions.data
    if (data !== undefined && data !== null) {
      if (method === 'GET') {
        const query = typeof data === 'string' ? data : toQueryString(data as AnyObject)
        if (query) url += (url.includes('?') ? '&' : '?') + query
      } else if (typeof data === 'string') {
        body = new TextEncoder().encode(data)
      } else if (data instanceof ArrayBuffer || ArrayBuffer.isView(data)) {
        body = data instanceof ArrayBuffer ? new Uint8Array(data) : new Uint8Array(data.buffer)
      } else if (headers['content-type'].includes('application/x-www-form-urlencoded')) {
        body = new TextEncoder().encode(toQueryString(data as AnyObject))
      } else {
        body = new TextEncoder().encode(JSON.stringify(data))
      }
    }

    const bodyText = body ? new TextDecoder().decode(body) : undefined
    let parsedUrl: URL | undefined
    try {
      parsedUrl = new URL(url)
    } catch {
      parsedUrl = undefined
    }
    const record: RecordedRequest = {
      method,
      url,
      requestedUrl: requestOptions.url,
      path: parsedUrl?.pathname ?? url,
      query: parsedUrl?.search.replace(/^\?/, '') ?? '',
      headers,
      body: bodyText,
    }
    if (bodyText !== undefined) {
      try {
        record.json = JSON.parse(bodyText)
      } catch {
        // not JSON: the text is recorded as is
      }
    }
    state.requests.push(record)

    const startedAt = Date.now()
    let finished = false
    let resolvePending: () => void = () => undefined
    const done = new Promise<void>((resolve) => (resolvePending = resolve))
    pending.add(done)
    state.peakInFlight = Math.max(state.peakInFlight, pending.size)

    const finish = (outcome: { ok: true; result: AnyObject } | { ok: false; errMsg: string }) => {
      if (finished) return
      finished = true
      clearTimeout(connection.timer)
      record.durationMs = Date.now() - startedAt
      if (outcome.ok) record.statusCode = outcome.result.statusCode as number
      else record.errMsg = outcome.errMsg
      later(() => {
        pending.delete(done)
        resolvePending()
        if (outcome.ok) {
          requestOptions.success?.(outcome.result)
          requestOptions.complete?.(outcome.result)
        } else {
          const error = { errMsg: outcome.errMsg }
          requestOptions.fail?.(error)
          requestOptions.complete?.(error)
        }
      })
    }

    const timeoutMs = Math.min(
      requestOptions.timeout && requestOptions.timeout > 0
        ? requestOptions.timeout
        : DEFAULT_REQUEST_TIMEOUT_MS,
      options.timeoutMs ?? Number.POSITIVE_INFINITY,
    )
    // filled in below; `finish` may run before either exists (offline, bad URL)
    const connection: { timer?: ReturnType<typeof setTimeout>; outgoing?: http.ClientRequest } = {}

    if (options.offline) {
      finish({ ok: false, errMsg: 'request:fail net::ERR_INTERNET_DISCONNECTED' })
      return { abort: () => undefined }
    }
    if (!parsedUrl || !/^https?:$/.test(parsedUrl.protocol)) {
      finish({ ok: false, errMsg: `request:fail invalid url "${requestOptions.url}"` })
      return { abort: () => undefined }
    }

    connection.timer = setTimeout(() => {
      finish({ ok: false, errMsg: 'request:fail timeout' })
      connection.outgoing?.destroy()
    }, timeoutMs)

    const transport = parsedUrl.protocol === 'https:' ? https : http
    const target = {
      hostname: parsedUrl.hostname.replace(/^\[(.*)\]$/, '$1'),
      port: parsedUrl.port || undefined,
      path: `${parsedUrl.pathname}${parsedUrl.search}`,
      method,
      headers: { ...headers },
    }
    const outgoing = transport.request(target, (response) => {
      const chunks: Buffer[] = []
      response.on('data', (chunk: Buffer) => chunks.push(chunk))
      response.on('error', (error) => finish({ ok: false, errMsg: `request:fail ${error.message}` }))
      response.on('end', () => {
        const raw = Buffer.concat(chunks)
        const text = raw.toString('utf8')
        record.responseText = text
        const header: Record<string, string> = {}
        const cookies: string[] = []
        for (let index = 0; index + 1 < response.rawHeaders.length; index += 2) {
          const name = response.rawHeaders[index] as string
          const value = response.rawHeaders[index + 1] as string
          if (name.toLowerCase() === 'set-cookie') cookies.push(value)
          header[name] = header[name] === undefined ? value : `${header[name]}, ${value}`
        }
        let payload: unknown = text
        if (requestOptions.responseType === 'arraybuffer') {
          payload = toLocalArrayBuffer(raw)
        } else if ((requestOptions.dataType ?? 'json') === 'json' && text) {
          try {
            payload = JSON.parse(text)
          } catch {
            payload = text
          }
        }
        finish({
          ok: true,
          result: {
            statusCode: response.statusCode ?? 0,
            data: payload,
            header,
            cookies,
            errMsg: 'request:ok',
          },
        })
      })
    })
    connection.outgoing = outgoing
    outgoing.on('error', (error: NodeJS.ErrnoException) => {
      finish({ ok: false, errMsg: `request:fail ${error.message || error.code || 'network error'}` })
    })
    if (body) outgoing.end(Buffer.from(body))
    else outgoing.end()

    return {
      abort: () => {
        finish({ ok: false, errMsg: 'request:fail abort' })
        outgoing.destroy()
      },
    }
  }

  // ---- storage ----------------------------------------------------------------------------------------------

  function storageBytes(encrypted: boolean): number {
    let total = 0
    for (const [key, item] of storage) {
      if (item.encrypted === encrypted)
        total += byteLength(key) + byteLength(JSON.stringify(item.value) ?? '')
    }
    return total
  }

  /** undefined when it fits, else the reason. */
  function write(key: string, data: unknown, encrypted: boolean): string | undefined {
    if (typeof key !== 'string' || !key) return 'invalid key'
    const value = jsonCopy(data)
    const size = byteLength(key) + byteLength(JSON.stringify(value) ?? '')
    const itemLimit = encrypted ? ENCRYPTED_ITEM_LIMIT_BYTES : STORAGE_ITEM_LIMIT_BYTES
    const totalLimit = encrypted ? ENCRYPTED_TOTAL_LIMIT_BYTES : STORAGE_TOTAL_LIMIT_BYTES
    if (size > itemLimit) return 'exceed storage item max length'
    const previous = storage.get(key)
    const previousSize =
      previous && previous.encrypted === encrypted
        ? byteLength(key) + byteLength(JSON.stringify(previous.value) ?? '')
        : 0
    if (storageBytes(encrypted) - previousSize + size > totalLimit) return 'exceed storage max size'
    storage.set(key, { value, encrypted })
    return undefined
  }

  /** What a read sees: encrypted entries only through `encrypt: true`. */
  function read(
    key: string,
    withKey: boolean,
  ): { found: false } | { found: true; value: unknown } | { error: string } {
    const item = storage.get(key)
    if (!item) return { found: false }
    if (item.encrypted && withKey) return { found: true, value: jsonCopy(item.value) }
    if (item.encrypted) return { found: true, value: scramble(key, item.value) }
    if (withKey) return { error: 'decrypt failed: the entry was not written with encrypt' }
    return { found: true, value: jsonCopy(item.value) }
  }

  function storageInfo() {
    const bytes = storageBytes(false) + storageBytes(true)
    return { keys: [...storage.keys()], currentSize: Math.ceil(bytes / 1024), limitSize: 10240 }
  }

  // ---- files (the user-data folder only: the app never reads its package or temp files) ------------------------

  type FileOutcome<T extends AnyObject> = { ok: true; result: T } | { ok: false; errMsg: string }
  const fileFailure = (api: string, reason: string) => ({
    ok: false as const,
    errMsg: `${api}:fail ${reason}`,
  })
  const inUserData = (filePath: unknown) =>
    typeof filePath === 'string' && filePath.startsWith(`${USER_DATA_PATH}/`) && !filePath.includes('/../')
  const filesBytes = () => [...files.values()].reduce((sum, bytes) => sum + bytes.length, 0)

  function encode(data: unknown, encoding = 'utf8'): Uint8Array | undefined {
    if (data instanceof ArrayBuffer) return new Uint8Array(data.slice(0))
    if (ArrayBuffer.isView(data)) return new Uint8Array(data.buffer.slice(0))
    if (typeof data !== 'string') return undefined
    if (encoding === 'base64') return new Uint8Array(Buffer.from(data, 'base64'))
    if (encoding === 'utf8' || encoding === 'utf-8') return new TextEncoder().encode(data)
    if (encoding === 'binary' || encoding === 'latin1') return new Uint8Array(Buffer.from(data, 'latin1'))
    if (encoding === 'hex') return new Uint8Array(Buffer.from(data, 'hex'))
    return undefined
  }

  function writeFileOutcome(api: string, fileOptions: AnyObject): FileOutcome<AnyObject> {
    const filePath = fileOptions.filePath
    if (!inUserData(filePath)) return fileFailure(api, `permission denied, open ${String(filePath)}`)
    const bytes = encode(fileOptions.data, (fileOptions.encoding as string | undefined) ?? 'utf8')
    if (!bytes) return fileFailure(api, 'invalid data or encoding')
    const previous = files.get(filePath as string)?.length ?? 0
    const limit = options.fileStorageLimitBytes ?? FILE_STORAGE_LIMIT_BYTES
    if (filesBytes() - previous + bytes.length > limit)
      return fileFailure(api, 'the maximum size of the file storage limit is exceeded')
    files.set(filePath as string, bytes)
    return ok(api)
  }

  function unlinkOutcome(api: string, filePath: unknown): FileOutcome<AnyObject> {
    if (!inUserData(filePath)) return fileFailure(api, `permission denied, open ${String(filePath)}`)
    if (!files.delete(filePath as string))
      return fileFailure(api, `no such file or directory ${String(filePath)}`)
    return ok(api)
  }

  function readdirOutcome(api: string, dirPath: unknown): FileOutcome<{ files: string[] }> {
    const dir = typeof dirPath === 'string' ? dirPath.replace(/\/$/, '') : ''
    if (dir !== USER_DATA_PATH && !inUserData(dir)) return fileFailure(api, `permission denied, open ${dir}`)
    const prefix = `${dir}/`
    const names = new Set<string>()
    for (const file of files.keys())
      if (file.startsWith(prefix)) names.add(file.slice(prefix.length).split('/')[0] ?? '')
    if (!names.size && dir !== USER_DATA_PATH) return fileFailure(api, `no such file or directory ${dir}`)
    return { ok: true, result: { files: [...names].sort(), errMsg: `${api}:ok` } as { files: string[] } }
  }

  function readFileOutcome(api: string, fileOptions: AnyObject): FileOutcome<{ data: string | ArrayBuffer }> {
    const filePath = fileOptions.filePath
    if (!inUserData(filePath)) return fileFailure(api, `permission denied, open ${String(filePath)}`)
    const bytes = files.get(filePath as string)
    if (!bytes) return fileFailure(api, `no such file or directory, open ${String(filePath)}`)
    const encoding = fileOptions.encoding as string | undefined
    const data = encoding
      ? Buffer.from(bytes).toString(encoding as BufferEncoding)
      : toLocalArrayBuffer(bytes)
    return { ok: true, result: { data, errMsg: `${api}:ok` } as { data: string | ArrayBuffer } }
  }

  /** The synchronous form throws an Error whose message is the errMsg, as the base library does. */
  function sync<T extends AnyObject>(outcome: FileOutcome<T>): T {
    if (!outcome.ok) throw new Error(outcome.errMsg)
    return outcome.result
  }

  const fileSystemManager = {
    writeFile: (fileOptions: AsyncCallbacks<AnyObject> & AnyObject) =>
      settle(fileOptions, writeFileOutcome('writeFile', fileOptions)),
    writeFileSync: (filePath: string, data: unknown, encoding?: string) => {
      sync(writeFileOutcome('writeFileSync', { filePath, data, encoding }))
    },
    unlink: (fileOptions: AsyncCallbacks<AnyObject> & { filePath: string }) =>
      settle(fileOptions, unlinkOutcome('unlink', fileOptions.filePath)),
    unlinkSync: (filePath: string) => {
      sync(unlinkOutcome('unlinkSync', filePath))
    },
    readdir: (dirOptions: AsyncCallbacks<AnyObject> & { dirPath: string }) =>
      settle(
        dirOptions as AsyncCallbacks<{ files: string[] }>,
        readdirOutcome('readdir', dirOptions.dirPath),
      ),
    readdirSync: (dirPath: string) => sync(readdirOutcome('readdirSync', dirPath)).files,
    readFile: (fileOptions: AsyncCallbacks<AnyObject> & AnyObject) =>
      settle(
        fileOptions as AsyncCallbacks<{ data: string | ArrayBuffer }>,
        readFileOutcome('readFile', fileOptions),
      ),
    readFileSync: (filePath: string, encoding?: string) =>
      sync(readFileOutcome('readFileSync', { filePath, encoding })).data,
  }
  // any other FileSystemManager method throws, naming itself, like the unknown wx APIs
  const fileSystemProxy = new Proxy(fileSystemManager as Record<string, unknown>, {
    get(target, name) {
      if (typeof name === 'symbol' || NOT_APIS.has(name)) return undefined
      if (Object.prototype.hasOwnProperty.call(target, name)) {
        const method = target[name] as (...args: unknown[]) => unknown
        return (...args: unknown[]) => {
          state.calls.push(`FileSystemManager.${name}`)
          return method(...args)
        }
      }
      return () => {
        throw new Error(
          `FileSystemManager.${name} is not implemented by test/support/wx-node.ts: add it there with real behaviour if the app needs it`,
        )
      }
    },
  })

  // ---- navigation -------------------------------------------------------------------------------------------

  function navigate(
    method: NavigationMethod,
    navOptions: AsyncCallbacks<AnyObject> & { url?: string; delta?: number },
  ) {
    if (method === 'navigateBack') {
      const delta = Math.max(1, navOptions.delta ?? 1)
      if (state.stack.length <= 1 && state.stack.length > 0) {
        return settle(navOptions, failed(method, 'cannot navigate back at first page.'))
      }
      state.stack.splice(Math.max(0, state.stack.length - delta), delta)
      state.navigation.push({ method, url: state.route() ?? '', delta })
      return settle(navOptions, ok(method))
    }
    const url = navOptions.url ?? ''
    if (options.knownPages) {
      const known = options.knownPages.map(normaliseRoute)
      if (!known.includes(normaliseRoute(url))) {
        return settle(navOptions, failed(method, `page "${normaliseRoute(url).slice(1)}" is not found`))
      }
    }
    state.navigation.push({ method, url })
    if (method === 'reLaunch' || method === 'switchTab') state.stack.splice(0, state.stack.length, url)
    else if (method === 'redirectTo') state.stack.splice(Math.max(0, state.stack.length - 1), 1, url)
    else state.stack.push(url)
    return settle(navOptions, ok(method))
  }

  // ---- system info ------------------------------------------------------------------------------------------

  const deviceInfo = () => ({
    brand: 'iPhone',
    model: 'iPhone 13 <iPhone14,5>',
    system: 'iOS 17.2',
    platform: 'ios',
    abi: 'arm64',
    benchmarkLevel: 1,
    memorySize: 4096,
  })
  const appBaseInfo = () => ({
    SDKVersion: options.sdkVersion ?? '3.6.6',
    version: '8.0.50',
    language: options.language ?? 'zh_CN',
    theme: options.theme ?? 'light',
    enableDebug: false,
    fontSizeSetting: Math.round(16 * (options.fontSizeScaleFactor ?? 1)),
    fontSizeScaleFactor: options.fontSizeScaleFactor ?? 1,
    host: { appId: '' },
  })
  const windowInfo = () => {
    const width = options.windowWidth ?? 375
    return {
      windowWidth: width,
      windowHeight: 667,
      pixelRatio: 2,
      screenWidth: width,
      screenHeight: 667,
      statusBarHeight: 20,
      screenTop: 0,
      safeArea: { left: 0, right: width, top: 20, bottom: 667, width, height: 647 },
    }
  }
  const systemInfo = () => ({
    ...deviceInfo(),
    ...appBaseInfo(),
    ...windowInfo(),
    ...(options.environment ? { environment: options.environment } : {}),
  })

  // one manager per wx, as WeChat hands out one per page; its filters apply to the lines written after them
  const realtimeFilters: string[] = []
  const realtimeLine =
    (level: RealtimeLogLine['level']) =>
    (...args: unknown[]) => {
      state.realtimeLog.push({ level, filters: [...realtimeFilters], args: jsonCopy(args) as unknown[] })
    }
  const realtimeLogManager = {
    info: realtimeLine('info'),
    warn: realtimeLine('warn'),
    error: realtimeLine('error'),
    setFilterMsg: (message: string) => {
      realtimeFilters.splice(0, realtimeFilters.length, String(message))
    },
    addFilterMsg: (message: string) => {
      realtimeFilters.push(String(message))
    },
    in: () => undefined,
  }

  // ---- the API table ----------------------------------------------------------------------------------------

  const privacyNeeded = () => options.needPrivacyAuthorization ?? false

  const api: Record<string, unknown> = {
    request,
    env: { USER_DATA_PATH },
    getFileSystemManager: () => fileSystemProxy,

    login: (loginOptions?: AsyncCallbacks<AnyObject> & { timeout?: number }) => {
      state.loginCalls += 1
      if (options.loginFails) return settle(loginOptions, failed('login', 'system error'))
      const code = `${options.loginCodePrefix ?? 'wx-code-'}${nextLoginNumber()}`
      state.loginCodes.push(code)
      return settle(loginOptions, ok('login', { code }))
    },
    checkSession: (sessionOptions?: AsyncCallbacks<AnyObject>) =>
      settle(
        sessionOptions,
        state.loginCalls ? ok('checkSession') : failed('checkSession', 'session expired'),
      ),

    getStorageSync: (key: string) => {
      const result = read(key, false)
      return 'found' in result && result.found ? result.value : ''
    },
    setStorageSync: (key: string, data: unknown) => {
      const error = write(key, data, false)
      if (error) throw new Error(`setStorageSync:fail ${error}`)
    },
    removeStorageSync: (key: string) => {
      storage.delete(key)
    },
    clearStorageSync: () => storage.clear(),
    getStorageInfoSync: () => storageInfo(),
    getStorageInfo: (infoOptions?: AsyncCallbacks<AnyObject>) =>
      settle(infoOptions, ok('getStorageInfo', storageInfo())),
    getStorage: (getOptions: AsyncCallbacks<AnyObject> & { key: string; encrypt?: boolean }) => {
      const result = read(getOptions.key, !!getOptions.encrypt)
      if ('error' in result) return settle(getOptions, failed('getStorage', result.error))
      if (!result.found) return settle(getOptions, failed('getStorage', 'data not found'))
      return settle(getOptions, ok('getStorage', { data: result.value }))
    },
    setStorage: (
      setOptions: AsyncCallbacks<AnyObject> & { key: string; data: unknown; encrypt?: boolean },
    ) => {
      const error = write(setOptions.key, setOptions.data, !!setOptions.encrypt)
      return settle(setOptions, error ? failed('setStorage', error) : ok('setStorage'))
    },
    removeStorage: (removeOptions: AsyncCallbacks<AnyObject> & { key: string }) => {
      storage.delete(removeOptions.key)
      return settle(removeOptions, ok('removeStorage'))
    },
    clearStorage: (clearOptions?: AsyncCallbacks<AnyObject>) => {
      storage.clear()
      return settle(clearOptions, ok('clearStorage'))
    },

    getDeviceInfo: () => deviceInfo(),
    getAppBaseInfo: () => appBaseInfo(),
    getWindowInfo: () => windowInfo(),
    getSystemInfoSync: () => systemInfo(),
    getSystemInfo: (infoOptions?: AsyncCallbacks<AnyObject>) =>
      settle(infoOptions, ok('getSystemInfo', systemInfo())),
    getAccountInfoSync: () => ({
      miniProgram: { appId: 'touristappid', envVersion: options.envVersion ?? 'develop', version: '' },
      plugin: {},
    }),
    canIUse: (schema: string) => {
      const [head] = String(schema).split('.')
      if (!head) return false
      return (head in api && typeof api[head] === 'function') || BUILT_IN_COMPONENTS.has(head)
    },

    reLaunch: (navOptions: AsyncCallbacks<AnyObject> & { url: string }) => navigate('reLaunch', navOptions),
    redirectTo: (navOptions: AsyncCallbacks<AnyObject> & { url: string }) =>
      navigate('redirectTo', navOptions),
    navigateTo: (navOptions: AsyncCallbacks<AnyObject> & { url: string }) =>
      navigate('navigateTo', navOptions),
    switchTab: (navOptions: AsyncCallbacks<AnyObject> & { url: string }) => navigate('switchTab', navOptions),
    navigateBack: (navOptions?: AsyncCallbacks<AnyObject> & { delta?: number }) =>
      navigate('navigateBack', navOptions ?? {}),

    showToast: (toast: AsyncCallbacks<AnyObject> & Omit<ToastEntry, 'kind'>) => {
      state.toasts.push({
        kind: 'toast',
        title: toast.title,
        icon: toast.icon,
        duration: toast.duration,
        mask: toast.mask,
      })
      return settle(toast, ok('showToast'))
    },
    hideToast: (hideOptions?: AsyncCallbacks<AnyObject>) => settle(hideOptions, ok('hideToast')),
    showLoading: (loading: AsyncCallbacks<AnyObject> & { title: string; mask?: boolean }) => {
      state.toasts.push({ kind: 'loading', title: loading.title, mask: loading.mask })
      state.loadingVisible = true
      return settle(loading, ok('showLoading'))
    },
    hideLoading: (hideOptions?: AsyncCallbacks<AnyObject>) => {
      state.loadingVisible = false
      return settle(hideOptions, ok('hideLoading'))
    },
    setClipboardData: (clipboardOptions: AsyncCallbacks<AnyObject> & { data: string }) => {
      if (options.clipboardFails)
        return settle(clipboardOptions, failed('setClipboardData', 'privacy permission is not authorized'))
      state.clipboard = String(clipboardOptions.data)
      return settle(clipboardOptions, ok('setClipboardData'))
    },
    showModal: (modal: AsyncCallbacks<AnyObject> & Omit<ModalEntry, 'answer'>) => {
      const asked = {
        title: modal.title,
        content: modal.content,
        showCancel: modal.showCancel ?? true,
        confirmText: modal.confirmText,
        cancelText: modal.cancelText,
      }
      const rule = options.modalAnswer ?? 'confirm'
      const answer = typeof rule === 'function' ? rule(asked) : rule
      state.modals.push({ ...asked, answer })
      return settle(modal, ok('showModal', { confirm: answer === 'confirm', cancel: answer === 'cancel' }))
    },
    setNavigationBarTitle: (titleOptions: AsyncCallbacks<AnyObject> & { title: string }) => {
      state.navigationBarTitles.push(titleOptions.title)
      return settle(titleOptions, ok('setNavigationBarTitle'))
    },
    hideShareMenu: (shareOptions?: AsyncCallbacks<AnyObject>) => {
      state.hideShareMenuCalls += 1
      return settle(shareOptions, ok('hideShareMenu'))
    },
    exitMiniProgram: (exitOptions?: AsyncCallbacks<AnyObject>) => {
      state.exitMiniProgramCalls += 1
      return settle(exitOptions, ok('exitMiniProgram'))
    },
    vibrateShort: (vibrateOptions?: AsyncCallbacks<AnyObject>) => {
      state.vibrateShortCalls += 1
      return settle(vibrateOptions, ok('vibrateShort'))
    },

    getRandomValues: (randomOptions: AsyncCallbacks<AnyObject> & { length: number }) => {
      const length = randomOptions.length
      if (!Number.isInteger(length) || length <= 0 || length > MAX_RANDOM_BYTES) {
        return settle(randomOptions, failed('getRandomValues', 'invalid length'))
      }
      const bytes = new Uint8Array(length)
      randomFillSync(bytes)
      return settle(randomOptions, ok('getRandomValues', { randomValues: bytes.buffer }))
    },
    getNetworkType: (networkOptions?: AsyncCallbacks<AnyObject>) =>
      settle(networkOptions, ok('getNetworkType', { networkType: options.offline ? 'none' : 'wifi' })),
    onNetworkStatusChange: (listener: (status: NetworkStatus) => void) => {
      networkListeners.add(listener)
    },
    offNetworkStatusChange: (listener?: (status: NetworkStatus) => void) => {
      if (listener) networkListeners.delete(listener)
      else networkListeners.clear()
    },

    onNeedPrivacyAuthorization: (
      listener: (resolve: (answer: AnyObject) => void, info: AnyObject) => void,
    ) => {
      privacyListeners.add(listener)
    },
    requirePrivacyAuthorize: (privacyOptions?: AsyncCallbacks<AnyObject>) => {
      state.privacyRequests += 1
      const answered = (event: unknown) => {
        const agreed = event === 'agree' || event === 'exposureAuthorization'
        if (agreed) options.needPrivacyAuthorization = false
        return agreed
          ? ok('requirePrivacyAuthorize')
          : failed('requirePrivacyAuthorize', 'privacy permission is not authorized')
      }
      if (!privacyNeeded()) return settle(privacyOptions, ok('requirePrivacyAuthorize'))
      const [listener] = [...privacyListeners]
      if (!listener) return settle(privacyOptions, answered(options.privacyAnswer ?? 'agree'))
      if (hasCallback(privacyOptions)) {
        listener((answer) => settle(privacyOptions, answered(answer.event)), {
          referrer: 'requirePrivacyAuthorize',
        })
        return undefined
      }
      return new Promise((resolve, reject) => {
        listener(
          (answer) => {
            const outcome = answered(answer.event)
            if (outcome.ok) resolve(outcome.result)
            else reject({ errMsg: outcome.errMsg })
          },
          { referrer: 'requirePrivacyAuthorize' },
        )
      })
    },
    getPrivacySetting: (privacyOptions?: AsyncCallbacks<AnyObject>) =>
      settle(
        privacyOptions,
        ok('getPrivacySetting', {
          needAuthorization: privacyNeeded(),
          privacyContractName: '《小程序隐私保护指引》',
        }),
      ),
    openPrivacyContract: (privacyOptions?: AsyncCallbacks<AnyObject>) =>
      settle(privacyOptions, ok('openPrivacyContract')),

    getUpdateManager: () => {
      const record = (name: string) => state.updateManager.calls.push(name)
      return {
        onCheckForUpdate: (listener: (result: { hasUpdate: boolean }) => void) => {
          record('onCheckForUpdate')
          updateListeners.checkForUpdate.add(listener)
        },
        onUpdateReady: (listener: () => void) => {
          record('onUpdateReady')
          updateListeners.updateReady.add(listener)
        },
        onUpdateFailed: (listener: () => void) => {
          record('onUpdateFailed')
          updateListeners.updateFailed.add(listener)
        },
        applyUpdate: () => record('applyUpdate'),
      }
    },
    onAppShow: (listener: (showOptions: AnyObject) => void) => {
      appShowListeners.add(listener)
    },
    offAppShow: (listener?: (showOptions: AnyObject) => void) => {
      if (listener) appShowListeners.delete(listener)
      else appShowListeners.clear()
    },
    onAppHide: (listener: () => void) => {
      appHideListeners.add(listener)
    },
    offAppHide: (listener?: () => void) => {
      if (listener) appHideListeners.delete(listener)
      else appHideListeners.clear()
    },
    nextTick: (callback: Callback<void>) => later(() => callback?.()),
    getRealtimeLogManager: () => realtimeLogManager,
    reportEvent: (eventId: string, data?: unknown) => {
      state.reportedEvents.push({ eventId, data: jsonCopy(data ?? {}) })
    },
  }
  // WeCom's own namespace: present only there
  if (options.environment === 'wxwork') api.qy = { version: { version: '1.3.7' }, isWxLoginSupport: true }

  // one recording wrapper per API, so `wx.x === wx.x` holds as on the platform
  const recorded = new Map<string, unknown>()
  const implemented: Record<string, unknown> = { ...api }
  const wx = new Proxy(api, {
    get(target, name) {
      if (typeof name === 'symbol' || NOT_APIS.has(name)) return undefined
      if (Object.prototype.hasOwnProperty.call(target, name)) {
        const value = target[name]
        if (typeof value !== 'function') return value
        if (!recorded.has(name)) {
          recorded.set(name, (...args: unknown[]) => {
            state.calls.push(name)
            return (target[name] as (...callArgs: unknown[]) => unknown)(...args)
          })
        }
        return recorded.get(name)
      }
      const passthrough = options.passthrough
      if (passthrough && Object.prototype.hasOwnProperty.call(passthrough, name)) return passthrough[name]
      return () => {
        throw new Error(
          `wx.${name} is not implemented by test/support/wx-node.ts: add it there with real behaviour if the app needs it`,
        )
      }
    },
    has(target, name) {
      return typeof name === 'string' && (name in target || !!options.passthrough?.[name])
    },
    // lets `jest.spyOn(wx, 'showToast')` replace an implemented API; prefer options to patching
    set(target, name, value) {
      if (typeof name === 'symbol') return false
      // restoring a spy hands back our own wrapper: put the implementation behind it back instead
      target[name] = value === recorded.get(name) ? implemented[name] : value
      return true
    },
  })

  STATES.set(wx, state)
  return { wx: wx as unknown as WechatMiniprogram.Wx, state }
}

/** The state of a `wx` made by createWx (e.g. the installed `global.wx`); undefined for any other value. */
export function wxStateOf(wx: unknown): WxNodeState | undefined {
  return typeof wx === 'object' && wx !== null ? STATES.get(wx) : undefined
}

const WX_HOLDER = globalThis as unknown as { wx?: unknown }

/** Sets `global.wx`; the returned function puts back whatever was there. */
export function installWx(wx: WechatMiniprogram.Wx): () => void {
  const previous = WX_HOLDER.wx
  const hadPrevious = 'wx' in WX_HOLDER
  WX_HOLDER.wx = wx
  return () => {
    if (hadPrevious) WX_HOLDER.wx = previous
    else delete WX_HOLDER.wx
  }
}

/**
 * The one reader of encrypted storage in the tests: an entry the app wrote with `encrypt: true` (JSON text), parsed;
 * undefined when absent. An entry stored plain fails the test: the app must not keep it readable.
 */
export function readEncrypted<T = Record<string, unknown>>(state: WxNodeState, key: string): T | undefined {
  const item = state.storage.get(key)
  if (!item) return undefined
  if (!item.encrypted) throw new Error(`${key} is stored without encryption`)
  return JSON.parse(String(item.value)) as T
}

/** Puts an entry as the app writes one with `encrypt: true` (JSON text). */
export function writeEncrypted(state: WxNodeState, key: string, value: unknown): void {
  state.storage.set(key, { value: JSON.stringify(value), encrypted: true })
}
