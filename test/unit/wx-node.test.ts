import http from 'node:http'
import type { AddressInfo } from 'node:net'
import { createWx, installWx, USER_DATA_PATH, type WxNodeOptions } from '../support/wx-node'

interface Answer {
  statusCode: number
  data: unknown
  header: Record<string, string>
}

/** A loopback server whose routes the tests define; it records the bodies it received. */
const received: { method: string; url: string; headers: http.IncomingHttpHeaders; body: string }[] = []
const server = http.createServer((request, response) => {
  let body = ''
  request.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')))
  request.on('end', () => {
    received.push({ method: request.method ?? '', url: request.url ?? '', headers: request.headers, body })
    const path = (request.url ?? '').split('?')[0]
    if (path === '/json') {
      response.writeHead(200, { 'Content-Type': 'application/json', 'X-Trace': 'abc' })
      response.end(JSON.stringify({ hello: 'world' }))
    } else if (path === '/unavailable') {
      response.writeHead(503, { 'Content-Type': 'application/json' })
      response.end(JSON.stringify({ error_code: 'IDAAS.SDK.COMMON.1001' }))
    } else if (path === '/empty') {
      response.writeHead(204)
      response.end()
    } else if (path === '/html') {
      response.writeHead(502, { 'Content-Type': 'text/html' })
      response.end('<html>bad gateway</html>')
    } else if (path === '/slow') {
      const timer = setTimeout(() => response.end('late'), 2000)
      response.on('close', () => clearTimeout(timer))
    } else if (path === '/echo') {
      response.writeHead(200, { 'Content-Type': 'application/json' })
      response.end(JSON.stringify({ method: request.method, url: request.url, body }))
    } else {
      response.writeHead(404)
      response.end('not found')
    }
  })
})
let origin = ''

beforeAll(async () => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
})
afterAll(async () => {
  server.closeAllConnections()
  await new Promise<void>((resolve) => server.close(() => resolve()))
})
beforeEach(() => {
  received.length = 0
})

async function closedPort(): Promise<number> {
  const probe = http.createServer()
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve))
  const { port } = probe.address() as AddressInfo
  await new Promise<void>((resolve) => probe.close(() => resolve()))
  return port
}

type RequestInput = Omit<WechatMiniprogram.RequestOption, 'success' | 'fail' | 'complete'>

function ask(
  wx: WechatMiniprogram.Wx,
  options: RequestInput,
): Promise<{ ok: true; answer: Answer } | { ok: false; errMsg: string }> {
  return new Promise((resolve) => {
    wx.request({
      ...options,
      success: (result) => resolve({ ok: true, answer: result as unknown as Answer }),
      fail: (error) => resolve({ ok: false, errMsg: error.errMsg }),
    })
  })
}

function wxWith(options: WxNodeOptions = {}) {
  return createWx(options)
}

describe('wx.request over loopback HTTP', () => {
  test('a JSON answer arrives parsed, with the status and the headers as the server sent them', async () => {
    const { wx, state } = wxWith()
    const result = await ask(wx, { url: `${origin}/json` })
    expect(result).toEqual({
      ok: true,
      answer: expect.objectContaining({ statusCode: 200, data: { hello: 'world' } }),
    })
    if (result.ok) expect(result.answer.header['X-Trace']).toBe('abc')
    expect(state.requests).toHaveLength(1)
    expect(state.requests[0]).toMatchObject({ method: 'GET', path: '/json', statusCode: 200 })
  })

  test('any HTTP status reaches success, as on WeChat', async () => {
    const { wx, state } = wxWith()
    const result = await ask(wx, { url: `${origin}/unavailable`, method: 'POST', data: {} })
    expect(result).toMatchObject({
      ok: true,
      answer: { statusCode: 503, data: { error_code: 'IDAAS.SDK.COMMON.1001' } },
    })
    expect(state.requestsTo('/unavailable')[0]?.statusCode).toBe(503)
  })

  test('an empty body is an empty string', async () => {
    const { wx } = wxWith()
    expect(await ask(wx, { url: `${origin}/empty`, method: 'POST' })).toMatchObject({
      ok: true,
      answer: { statusCode: 204, data: '' },
    })
  })

  test('a body that is not JSON arrives as text, and dataType text never parses', async () => {
    const { wx } = wxWith()
    expect(await ask(wx, { url: `${origin}/html` })).toMatchObject({
      ok: true,
      answer: { statusCode: 502, data: '<html>bad gateway</html>' },
    })
    expect(await ask(wx, { url: `${origin}/json`, dataType: 'text' as 'json' })).toMatchObject({
      ok: true,
      answer: { data: '{"hello":"world"}' },
    })
  })

  test('an object body is sent as JSON on POST and as a query string on GET', async () => {
    const { wx, state } = wxWith()
    await ask(wx, { url: `${origin}/echo`, method: 'POST', data: { a: 1, b: 'x y' } })
    await ask(wx, { url: `${origin}/echo?z=0`, method: 'GET', data: { a: 1, b: 'x y' } })
    expect(received[0]).toMatchObject({ method: 'POST', body: '{"a":1,"b":"x y"}' })
    expect(received[0]?.headers['content-type']).toBe('application/json')
    expect(received[1]).toMatchObject({ method: 'GET', url: '/echo?z=0&a=1&b=x%20y', body: '' })
    expect(state.requests[0]?.json).toEqual({ a: 1, b: 'x y' })
    expect(state.requests[1]?.query).toBe('z=0&a=1&b=x%20y')
  })

  test('headers are sent as given, and recorded with lower-case names', async () => {
    const { wx, state } = wxWith()
    await ask(wx, { url: `${origin}/echo`, method: 'POST', header: { 'X-state-token': 'st-1' }, data: '{}' })
    expect(received[0]?.headers['x-state-token']).toBe('st-1')
    expect(state.requests[0]?.headers['x-state-token']).toBe('st-1')
  })

  test('a request slower than the timeout fails with request:fail timeout', async () => {
    const { wx, state } = wxWith({ timeoutMs: 100 })
    const started = Date.now()
    expect(await ask(wx, { url: `${origin}/slow`, timeout: 15000 })).toEqual({
      ok: false,
      errMsg: 'request:fail timeout',
    })
    expect(Date.now() - started).toBeLessThan(1500)
    expect(state.requests[0]?.errMsg).toBe('request:fail timeout')
  })

  test("the request's own timeout wins when it is shorter than the override", async () => {
    const { wx } = wxWith({ timeoutMs: 5000 })
    const started = Date.now()
    expect(await ask(wx, { url: `${origin}/slow`, timeout: 80 })).toEqual({
      ok: false,
      errMsg: 'request:fail timeout',
    })
    expect(Date.now() - started).toBeLessThan(1500)
  })

  test('a closed port fails with request:fail and the reason', async () => {
    const { wx, state } = wxWith()
    const port = await closedPort()
    const result = await ask(wx, { url: `http://127.0.0.1:${port}/x` })
    expect(result.ok).toBe(false)
    if (!result.ok) expect(result.errMsg).toMatch(/^request:fail .*ECONNREFUSED/)
    expect(state.requests[0]?.statusCode).toBeUndefined()
  })

  test('offline, every request fails at once without reaching the server', async () => {
    const { wx, state } = wxWith({ offline: true })
    const result = await ask(wx, { url: `${origin}/json` })
    expect(result).toEqual({ ok: false, errMsg: expect.stringMatching(/^request:fail/) })
    expect(received).toHaveLength(0)
    expect(state.requests).toHaveLength(1)
  })

  test('the develop origin is rewritten to the test server, and the log keeps both URLs', async () => {
    const { wx, state } = wxWith({ rewriteOrigin: { from: 'http://127.0.0.1:8787', to: origin } })
    expect(await ask(wx, { url: 'http://127.0.0.1:8787/json?q=1' })).toMatchObject({
      ok: true,
      answer: { statusCode: 200 },
    })
    expect(received[0]?.url).toBe('/json?q=1')
    expect(state.requests[0]).toMatchObject({
      url: `${origin}/json?q=1`,
      requestedUrl: 'http://127.0.0.1:8787/json?q=1',
      path: '/json',
    })
  })

  test('abort fails the request with request:fail abort', async () => {
    const { wx, state } = wxWith()
    const outcome = new Promise<string>((resolve) => {
      const task = wx.request({ url: `${origin}/slow`, fail: (error) => resolve(error.errMsg) })
      setTimeout(() => task.abort(), 20)
    })
    expect(await outcome).toBe('request:fail abort')
    await state.idle()
    expect(state.inFlight()).toBe(0)
  })

  test('idle() waits for every request in flight', async () => {
    const { wx, state } = wxWith()
    wx.request({ url: `${origin}/json` })
    wx.request({ url: `${origin}/empty` })
    expect(state.inFlight()).toBe(2)
    await state.idle()
    expect(state.inFlight()).toBe(0)
    expect(state.peakInFlight).toBe(2)
    expect(state.requests.map((request) => request.statusCode)).toEqual([200, 204])
  })

  test('a test that allows no requests gets a thrown error naming the call', () => {
    const { wx } = wxWith({ requestsAllowed: false })
    expect(() => wx.request({ url: `${origin}/json` })).toThrow(/wx.request\(.*\/json\).*allows no requests/)
  })
})

describe('wx.login', () => {
  test('every call hands out a fresh code', async () => {
    const { wx, state } = wxWith()
    const first = await new Promise<string>((resolve) => wx.login({ success: ({ code }) => resolve(code) }))
    const second = await new Promise<string>((resolve) => wx.login({ success: ({ code }) => resolve(code) }))
    expect(first).toMatch(/^wx-code-\d+$/)
    expect(second).not.toBe(first)
    expect(state.loginCalls).toBe(2)
    expect(state.loginCodes).toEqual([first, second])
  })

  test('login can be made to fail', async () => {
    const { wx } = wxWith({ loginFails: true })
    const errMsg = await new Promise<string>((resolve) =>
      wx.login({ fail: (error) => resolve(error.errMsg) }),
    )
    expect(errMsg).toMatch(/^login:fail/)
  })
})

describe('storage', () => {
  test('values are deep copies, and a missing key is "" (sync) or getStorage:fail data not found (async)', async () => {
    const { wx } = wxWith()
    const value = { list: [1, 2], nested: { a: 'b' } }
    wx.setStorageSync('k', value)
    value.list.push(3)
    expect(wx.getStorageSync('k')).toEqual({ list: [1, 2], nested: { a: 'b' } })
    expect(wx.getStorageSync('missing')).toBe('')
    await expect(wx.getStorage({ key: 'missing' })).rejects.toEqual({
      errMsg: 'getStorage:fail data not found',
    })
    const errMsg = await new Promise<string>((resolve) =>
      wx.getStorage({ key: 'missing', fail: (error) => resolve(error.errMsg) }),
    )
    expect(errMsg).toBe('getStorage:fail data not found')
  })

  test('async calls without callbacks return promises; with callbacks, success then complete', async () => {
    const { wx } = wxWith()
    await wx.setStorage({ key: 'a', data: 'x' })
    expect(await wx.getStorage({ key: 'a' })).toMatchObject({ data: 'x' })
    const order: string[] = []
    await new Promise<void>((resolve) =>
      wx.removeStorage({
        key: 'a',
        success: () => order.push('success'),
        complete: () => {
          order.push('complete')
          resolve()
        },
      }),
    )
    expect(order).toEqual(['success', 'complete'])
    expect(wx.getStorageInfoSync().keys).toEqual([])
    wx.setStorageSync('b', 1)
    wx.setStorageSync('c', 2)
    wx.removeStorageSync('b')
    expect(wx.getStorageInfoSync().keys).toEqual(['c'])
    wx.clearStorageSync()
    expect(wx.getStorageInfoSync().keys).toEqual([])
  })

  test('an encrypted entry reads back only through the async API with encrypt: true', async () => {
    const { wx, state } = wxWith()
    await wx.setStorage({ key: 'session', data: '{"token":"secret"}', encrypt: true })
    expect(state.storage.get('session')).toEqual({ value: '{"token":"secret"}', encrypted: true })
    expect(await wx.getStorage({ key: 'session', encrypt: true })).toMatchObject({
      data: '{"token":"secret"}',
    })

    const sync = wx.getStorageSync('session') as string
    const asyncPlain = ((await wx.getStorage({ key: 'session' })) as { data: string }).data
    for (const opaque of [sync, asyncPlain]) {
      expect(typeof opaque).toBe('string')
      expect(opaque).not.toContain('secret')
      expect(opaque).not.toBe('{"token":"secret"}')
    }
  })

  test('reading a plain entry with encrypt: true fails', async () => {
    const { wx } = wxWith()
    wx.setStorageSync('plain', 'v')
    await expect(wx.getStorage({ key: 'plain', encrypt: true })).rejects.toEqual({
      errMsg: expect.stringMatching(/^getStorage:fail/),
    })
  })

  test('an item over the 1 MB limit is refused', () => {
    const { wx } = wxWith()
    expect(() => wx.setStorageSync('big', 'x'.repeat(1024 * 1024 + 1))).toThrow(/setStorageSync:fail exceed/)
  })
})

describe('system information', () => {
  test('the split APIs, the legacy merged one and the account info answer like a phone', () => {
    const { wx } = wxWith({ language: 'en', envVersion: 'trial' })
    expect(wx.getDeviceInfo()).toMatchObject({ system: 'iOS 17.2', platform: 'ios' })
    expect(wx.getAppBaseInfo()).toMatchObject({ SDKVersion: '3.6.6', version: '8.0.50', language: 'en' })
    expect(wx.getWindowInfo()).toMatchObject({ windowWidth: 375, windowHeight: 667, pixelRatio: 2 })
    expect(wx.getSystemInfoSync()).toMatchObject({
      SDKVersion: '3.6.6',
      windowWidth: 375,
      system: 'iOS 17.2',
    })
    expect(wx.getAccountInfoSync().miniProgram).toEqual({
      appId: 'touristappid',
      envVersion: 'trial',
      version: '',
    })
  })

  test('canIUse says yes only for what is implemented', () => {
    const { wx } = wxWith()
    expect(wx.canIUse('getWindowInfo')).toBe(true)
    expect(wx.canIUse('getStorage.object.encrypt')).toBe(true)
    expect(wx.canIUse('button.open-type.getPhoneNumber')).toBe(true)
    expect(wx.canIUse('openBluetoothAdapter')).toBe(false)
  })
})

describe('navigation and UI', () => {
  test('navigation is recorded and the page stack follows it', async () => {
    const { wx, state } = wxWith()
    await wx.reLaunch({ url: '/pages/launch/index' })
    await wx.navigateTo({ url: '/pages/bind/index?flow=bind' })
    await wx.redirectTo({ url: '/pages/mfa/index' })
    expect(state.route()).toBe('/pages/mfa/index')
    await wx.navigateBack({})
    expect(state.navigation).toEqual([
      { method: 'reLaunch', url: '/pages/launch/index' },
      { method: 'navigateTo', url: '/pages/bind/index?flow=bind' },
      { method: 'redirectTo', url: '/pages/mfa/index' },
      { method: 'navigateBack', url: '/pages/launch/index', delta: 1 },
    ])
    expect(state.route()).toBe('/pages/launch/index')
    await expect(wx.navigateBack({})).rejects.toEqual({ errMsg: expect.stringMatching(/^navigateBack:fail/) })
  })

  test('navigation to a page the app does not have fails when the pages are known', async () => {
    const { wx, state } = wxWith({ knownPages: ['pages/launch/index'] })
    await expect(wx.navigateTo({ url: '/pages/nope/index' })).rejects.toEqual({
      errMsg: 'navigateTo:fail page "pages/nope/index" is not found',
    })
    expect(state.navigation).toEqual([])
  })

  test('toasts, modals, loading, titles and exits are recorded; the modal answers as configured', async () => {
    const { wx, state } = wxWith({ modalAnswer: 'cancel' })
    wx.showToast({ title: 'Sent', icon: 'none' })
    wx.showLoading({ title: 'Wait' })
    expect(state.loadingVisible).toBe(true)
    wx.hideLoading()
    const answer = await new Promise<WechatMiniprogram.ShowModalSuccessCallbackResult>((resolve) =>
      wx.showModal({ title: 'Sure?', success: resolve }),
    )
    wx.setNavigationBarTitle({ title: '绑定' })
    wx.exitMiniProgram()
    expect(answer).toMatchObject({ confirm: false, cancel: true })
    expect(state.toasts).toEqual([
      { kind: 'toast', title: 'Sent', icon: 'none' },
      { kind: 'loading', title: 'Wait' },
    ])
    expect(state.modals).toEqual([expect.objectContaining({ title: 'Sure?', answer: 'cancel' })])
    expect(state.loadingVisible).toBe(false)
    expect(state.navigationBarTitles).toEqual(['绑定'])
    expect(state.exitMiniProgramCalls).toBe(1)
  })
})

describe('platform events and the rest', () => {
  test('network status listeners hear the change, and going offline fails requests', async () => {
    const { wx, state } = wxWith()
    const heard: boolean[] = []
    const listener = (status: WechatMiniprogram.OnNetworkStatusChangeListenerResult) => {
      heard.push(status.isConnected)
    }
    wx.onNetworkStatusChange(listener)
    state.emitNetworkStatus(false)
    expect(heard).toEqual([false])
    expect(await wx.getNetworkType()).toMatchObject({ networkType: 'none' })
    expect((await ask(wx, { url: `${origin}/json` })).ok).toBe(false)
    wx.offNetworkStatusChange(listener as unknown as WechatMiniprogram.OffNetworkStatusChangeCallback)
    state.emitNetworkStatus(true)
    expect(heard).toEqual([false])
    expect(state.networkListeners()).toBe(0)
  })

  test('privacy consent goes through the registered listener', async () => {
    const { wx, state } = wxWith({ needPrivacyAuthorization: true })
    const privacySetting = () => new Promise((resolve) => wx.getPrivacySetting({ success: resolve }))
    expect(await privacySetting()).toMatchObject({ needAuthorization: true })
    // api-typings 5.2.3 declares this listener as (res) => void; the platform passes (resolve, eventInfo)
    const listener = (resolve: (answer: { event: string; buttonId?: string }) => void) =>
      resolve({ event: 'agree', buttonId: 'agree-privacy' })
    wx.onNeedPrivacyAuthorization(listener as unknown as WechatMiniprogram.OnNeedPrivacyAuthorizationCallback)
    await wx.requirePrivacyAuthorize({})
    expect(await privacySetting()).toMatchObject({ needAuthorization: false })
    expect(state.privacyRequests).toBe(1)
  })

  test('random values are real bytes of the asked length', async () => {
    const { wx } = wxWith()
    const { randomValues } = (await wx.getRandomValues({ length: 16 })) as { randomValues: ArrayBuffer }
    expect(randomValues).toBeInstanceOf(ArrayBuffer)
    expect(randomValues.byteLength).toBe(16)
  })

  test('the update manager records what the app subscribed to', () => {
    const { wx, state } = wxWith()
    const manager = wx.getUpdateManager()
    let applied = false
    manager.onUpdateReady(() => {
      manager.applyUpdate()
      applied = true
    })
    state.updateManager.emitUpdateReady()
    expect(applied).toBe(true)
    expect(state.updateManager.calls).toEqual(['onUpdateReady', 'applyUpdate'])
  })

  test('an API the adapter does not implement throws, naming it', () => {
    const { wx } = wxWith()
    expect(() => wx.openBluetoothAdapter({})).toThrow(/wx\.openBluetoothAdapter is not implemented/)
  })

  test('passthrough exposes exactly the APIs named', () => {
    const createSelectorQuery = () => 'query'
    const { wx } = wxWith({ passthrough: { createSelectorQuery } })
    expect(wx.createSelectorQuery).toBe(createSelectorQuery)
  })

  test('installWx sets global wx and puts the previous one back', () => {
    const holder = globalThis as unknown as { wx?: unknown }
    const before = holder.wx
    const { wx } = wxWith()
    const uninstall = installWx(wx)
    expect(holder.wx).toBe(wx)
    uninstall()
    expect(holder.wx).toBe(before)
  })

  test('calls are logged by API name', () => {
    const { wx, state } = wxWith()
    wx.getWindowInfo()
    wx.setStorageSync('a', 1)
    expect(state.calls).toEqual(['getWindowInfo', 'setStorageSync'])
  })
})

describe('file system manager (the user-data folder, in memory)', () => {
  const promised = <T>(
    call: (callbacks: { success: (r: T) => void; fail: (e: { errMsg: string }) => void }) => void,
  ) => new Promise<T>((resolve, reject) => call({ success: resolve, fail: reject }))

  test('writes base64 under wx.env.USER_DATA_PATH, reads it back, lists and removes it', async () => {
    const { wx, state } = wxWith()
    const fs = wx.getFileSystemManager()
    const filePath = `${wx.env.USER_DATA_PATH}/a.png`
    expect(filePath).toBe(`${USER_DATA_PATH}/a.png`)
    await promised((callbacks) =>
      fs.writeFile({ filePath, data: 'iVBORw0K', encoding: 'base64', ...callbacks }),
    )
    expect([...(state.files.get(filePath) ?? [])]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a])
    expect(fs.readFileSync(filePath, 'base64')).toBe('iVBORw0K')
    expect(fs.readdirSync(USER_DATA_PATH)).toEqual(['a.png'])
    await promised((callbacks) => fs.unlink({ filePath, ...callbacks }))
    expect(state.files.size).toBe(0)
  })

  test('fails as WeChat does: a missing file, a path outside the folder, a full folder', async () => {
    const { wx } = wxWith({ fileStorageLimitBytes: 4 })
    const fs = wx.getFileSystemManager()
    await expect(
      promised((callbacks) => fs.unlink({ filePath: `${USER_DATA_PATH}/gone.png`, ...callbacks })),
    ).rejects.toEqual({ errMsg: `unlink:fail no such file or directory ${USER_DATA_PATH}/gone.png` })
    expect(() => fs.writeFileSync('/etc/passwd', 'x', 'utf8')).toThrow(
      /^writeFileSync:fail permission denied/,
    )
    await expect(
      promised((callbacks) =>
        fs.writeFile({
          filePath: `${USER_DATA_PATH}/big.bin`,
          data: 'hello',
          encoding: 'utf8',
          ...callbacks,
        }),
      ),
    ).rejects.toEqual({ errMsg: 'writeFile:fail the maximum size of the file storage limit is exceeded' })
    expect(() => (fs as unknown as { mkdirSync(path: string): void }).mkdirSync('x')).toThrow(
      /FileSystemManager\.mkdirSync is not implemented/,
    )
  })
})

test('font scale and window width come from the options', () => {
  const { wx } = wxWith({ fontSizeScaleFactor: 1.3, windowWidth: 320 })
  expect(wx.getAppBaseInfo()).toMatchObject({ fontSizeScaleFactor: 1.3 })
  expect(wx.getWindowInfo()).toMatchObject({ windowWidth: 320, screenWidth: 320 })
})
