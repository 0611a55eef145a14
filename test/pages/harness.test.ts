/**
 * Proves the page harness (test/support/simulate.ts + wx-node.ts) on fixture pages outside miniprogram/:
 * real Vant from the packed miniprogram_npm, real loopback HTTP from inside jsdom.
 */
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import path from 'node:path'
import {
  componentGraph,
  launchApp,
  loadPage,
  MINIPROGRAM_ROOT,
  renderPage,
  resolveComponentPath,
  useWx,
  type PageHandle,
} from '../support/simulate'

const FIXTURES = path.join(__dirname, '../support/fixtures')
const formPage = loadPage(path.join(FIXTURES, 'pages/form/index'))
const cellsPage = loadPage(path.join(FIXTURES, 'pages/cells/index'))

interface FormData {
  [key: string]: unknown
  active: string
  mobile: string
  email: string
  agreed: boolean
  submits: number
  pokes: number
  blurs: number
  shown: number
  loadedWith: Record<string, string>
  phoneCode: string
  padX: number
  padMoves: number
  padEnded: boolean
}

describe('a page with Vant tabs, fields, a checkbox, buttons and a custom component', () => {
  let page: PageHandle
  beforeEach(() => {
    page = renderPage(formPage, { flow: 'bind' })
  })

  test('the page gets onLoad with the query, then onShow, and joins getCurrentPages', () => {
    expect(page.data<FormData>().loadedWith).toEqual({ flow: 'bind' })
    expect(page.data<FormData>().shown).toBe(1)
    const pages = getCurrentPages()
    expect(pages[pages.length - 1]).toBe(page.instance)
    expect(page.instance.route).toMatch(/fixtures\/pages\/form\/index$/)
  })

  test('typing into a van-field reaches the page through the change event', () => {
    page.typeInto('#mobile', '13800138000')
    expect(page.data<FormData>().mobile).toBe('13800138000')
    expect(page.get('#mobile').data?.value).toBe('13800138000')
  })

  test('typing with blur leaves the field', () => {
    page.typeInto('#mobile', '138', { blur: true })
    expect(page.data<FormData>().blurs).toBe(1)
  })

  test('the checkbox without a group toggles, and its relation lookup answers [] as on WeChat', () => {
    const checkbox = page.get('#agree')
    expect(checkbox.instance?.getRelationNodes('../checkbox-group/index')).toEqual([])
    page.tap('#agree')
    expect(page.data<FormData>().agreed).toBe(true)
    page.tap('#agree')
    expect(page.data<FormData>().agreed).toBe(false)
  })

  test('tapping a van-button calls the handler, and a disabled one does not', () => {
    page.tap('#submit')
    expect(page.data<FormData>().submits).toBe(0)
    page.tap('#agree')
    page.tap('#submit')
    expect(page.data<FormData>().submits).toBe(1)
    expect(page.text('#status')).toBe('submitted')
  })

  test('switching tabs shows the other tab and its field takes input', async () => {
    expect(page.get('#tabs').instance?.children).toHaveLength(2)
    await page.tapTab('email')
    expect(page.data<FormData>().active).toBe('email')
    page.typeInto('#email', 'zhangsan@example.com')
    expect(page.data<FormData>().email).toBe('zhangsan@example.com')
    await page.tapTab('mobile')
    expect(page.data<FormData>().active).toBe('mobile')
  })

  test('an unknown tab name is an error naming the tabs there are', async () => {
    await expect(page.tapTab('wechat')).rejects.toThrow('has no tab named "wechat" (tabs: mobile, email)')
  })

  test('an error message shows under the field and typing clears it', () => {
    expect(page.fieldError('#mobile')).toBe('')
    page.typeInto('#mobile', '1380013')
    page.tap('#check')
    expect(page.fieldError('#mobile')).toBe('Enter an 11-digit mobile')
    page.typeInto('#mobile', '13800138000')
    expect(page.fieldError('#mobile')).toBe('')
  })

  test('elements inside a custom component are found, tapped, and its events reach the page', () => {
    expect(page.exists('#probe-inner')).toBe(true)
    expect(page.find(['#probe', '#probe-inner'])?.text()).toBe('probe 0')
    page.tap(['#probe', '#probe-inner'])
    expect(page.data<FormData>().pokes).toBe(1)
    expect(page.text('#probe-inner')).toBe('probe 1')
    expect(page.exists(['#probe', '#submit'])).toBe(false)
  })

  test('a platform event on a van-button is relayed by Vant to the page', () => {
    page.dispatch('#one-tap', 'getphonenumber', { code: 'phone:13900139000', errMsg: 'getPhoneNumber:ok' })
    expect(page.data<FormData>().phoneCode).toBe('phone:13900139000')
  })

  test('a drag delivers touches with page coordinates', () => {
    page.drag('#pad', { x: 10, y: 5 }, { x: 110, y: 5 }, 4)
    expect(page.data<FormData>()).toMatchObject({ padX: 110, padMoves: 5, padEnded: true })
  })

  test('selectComponent answers null for a selector that matches nothing, as on WeChat', () => {
    expect(page.instance.selectComponent('#nope')).toBeNull()
    expect(page.instance.selectComponent('#probe')).toMatchObject({ data: { label: 'probe' } })
  })

  test('every setData is counted with its JSON size, on the page and inside its components', () => {
    page.resetSetDataCalls()
    page.typeInto('#mobile', '13800138000')
    const { count, bytes, calls } = page.setDataCalls()
    const pageCall = calls.find((call) => call.keys.includes('mobile'))
    expect(pageCall).toEqual({
      component: expect.stringMatching(/form\/index$/),
      keys: ['mobile', 'errors.mobile'],
      bytes: Buffer.byteLength(JSON.stringify({ mobile: '13800138000', 'errors.mobile': '' })),
    })
    expect(calls.some((call) => call.component === 'van-field')).toBe(true)
    expect(count).toBe(calls.length)
    expect(bytes).toBe(calls.reduce((sum, call) => sum + call.bytes, 0))
  })

  test('hide and show run the page lifecycle; unload leaves getCurrentPages', () => {
    page.hide()
    page.show()
    expect(page.data<FormData>().shown).toBe(2)
    page.unload()
    expect(getCurrentPages()).not.toContain(page.instance)
  })

  test('a missing element is a clear error', () => {
    expect(() => page.tap('#nope')).toThrow('nothing matches #nope')
    expect(() => page.typeInto('#status', 'x')).toThrow('#status is neither a van-field nor an input')
  })
})

describe('a second page in the same test file', () => {
  let server: http.Server
  let origin = ''
  const bodies: string[] = []

  beforeAll(async () => {
    server = http.createServer((request, response) => {
      let body = ''
      request.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')))
      request.on('end', () => {
        bodies.push(body)
        const { name } = JSON.parse(body || '{}') as { name?: string }
        response.writeHead(200, { 'Content-Type': 'application/json' })
        response.end(JSON.stringify({ greeting: `hello ${name ?? 'nobody'}` }))
      })
    })
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  })
  afterAll(async () => {
    server.closeAllConnections()
    await new Promise<void>((resolve) => server.close(() => resolve()))
  })

  test('renders its Vant components (cell, button, notice bar, popup, loading) properly', () => {
    const page = renderPage(cellsPage, { offline: '1' })
    expect(page.text('#greeting')).toBe('Greeting')
    expect(page.get('#fetch').querySelector('.van-button')).toBeDefined()
    expect(page.text('#offline')).toContain('No network')
    expect(page.find('#spinner')).toBeUndefined()
  })

  test('the first page still renders Vant tabs after the second was loaded', async () => {
    const page = renderPage(formPage)
    expect(page.get('#tabs').querySelectorAll('.van-tab')).toHaveLength(2)
    await page.tapTab('email')
    expect(page.data<FormData>().active).toBe('email')
    page.tap('#agree')
    expect(page.data<FormData>().agreed).toBe(true)
  })

  test('both pages render side by side, both in getCurrentPages', () => {
    const form = renderPage(formPage)
    const cells = renderPage(cellsPage)
    expect(getCurrentPages().slice(-2)).toEqual([form.instance, cells.instance])
    form.typeInto('#mobile', '139')
    expect(form.data<FormData>().mobile).toBe('139')
    expect(cells.text('#greeting')).toBe('Greeting')
  })

  test('a page calling wx.request reaches a real server on loopback through the rewritten develop origin', async () => {
    const { state, uninstall } = useWx({ rewriteOrigin: { from: 'http://127.0.0.1:8787', to: origin } })
    try {
      const page = renderPage(cellsPage)
      page.tap('#fetch')
      expect(page.data().fetching).toBe(true)
      expect(page.exists('#spinner')).toBe(true)
      await page.waitFor(() => page.data().greeting)
      expect(page.text('#greeting')).toContain('hello zhangsan')
      expect(page.exists('#spinner')).toBe(false)
      expect(bodies).toContain('{"name":"zhangsan"}')
      expect(state.requestsTo('/greeting')).toEqual([
        expect.objectContaining({ method: 'POST', url: `${origin}/greeting`, statusCode: 200 }),
      ])
    } finally {
      uninstall()
    }
  })

  test('waitFor still works while the test fakes timers (it waits on real ones)', async () => {
    const { uninstall } = useWx({ rewriteOrigin: { from: 'http://127.0.0.1:8787', to: origin } })
    jest.useFakeTimers()
    try {
      const page = renderPage(cellsPage)
      page.tap('#fetch')
      await page.waitFor(() => page.data().greeting)
      expect(page.text('#greeting')).toContain('hello zhangsan')
    } finally {
      jest.useRealTimers()
      uninstall()
    }
  })

  test('waitFor gives up with what the predicate last returned', async () => {
    const page = renderPage(cellsPage)
    await expect(page.waitFor(() => page.data().greeting, 50)).rejects.toThrow(
      /waitFor timed out after 50 ms on .*cells\/index: it returned ""/,
    )
  })

  test('a network failure reaches the page through fail', async () => {
    const { uninstall } = useWx({ offline: true })
    try {
      const page = renderPage(cellsPage)
      page.tap('#fetch')
      await page.waitFor(() => page.data().failed)
      expect(page.text('#failure-text')).toMatch(/^request:fail/)
    } finally {
      uninstall()
    }
  })

  test('a rejected async handler fails the test with its error instead of passing silently', async () => {
    const page = renderPage(cellsPage)
    page.tap('#reject')
    await expect(page.flush()).rejects.toThrow('onTapReject() rejected: the handler failed')
  })

  test('without a server installed, a request is an error, never a silent 200', async () => {
    const page = renderPage(cellsPage)
    expect(() => page.tap('#fetch')).toThrow(
      /wx.request\(http:\/\/127.0.0.1:8787\/greeting\).*allows no requests/,
    )
  })
})

describe('the app', () => {
  test('launchApp runs app.ts and its onLaunch; getApp answers the instance', () => {
    const { state, uninstall } = useWx()
    try {
      const app = launchApp({ path: 'pages/launch/index' }, FIXTURES)
      expect(getApp()).toBe(app)
      expect((app.globalData as { launchedAt: string }).launchedAt).toBe('pages/launch/index')
      expect(state.navigationBarTitles).toEqual(['launched'])
    } finally {
      uninstall()
    }
  })

  test('Page() is refused with the reason', () => {
    expect(() => Page({})).toThrow('write the page as Component(')
  })
})

describe('resolving components', () => {
  test('npm paths map into the packed miniprogram_npm, absolute paths into miniprogram/, relative ones locally', () => {
    const from = path.join(MINIPROGRAM_ROOT, 'pages/bind/index')
    expect(resolveComponentPath(from, '@vant/weapp/field/index')).toEqual({
      file: path.join(MINIPROGRAM_ROOT, 'miniprogram_npm/@vant/weapp/field/index'),
      npmPath: '/miniprogram_npm/@vant/weapp/field/index',
    })
    expect(resolveComponentPath(from, '/components/captcha/index')).toEqual({
      file: path.join(MINIPROGRAM_ROOT, 'components/captcha/index'),
    })
    expect(resolveComponentPath(from, '../../components/captcha/index')).toEqual({
      file: path.join(MINIPROGRAM_ROOT, 'components/captcha/index'),
    })
  })

  test("a page's graph holds its components recursively and the WXML/WXS the compiler needs", () => {
    const graph = componentGraph(path.join(FIXTURES, 'pages/form/index'))
    expect(graph.npmTags['van-field']).toBe('/miniprogram_npm/@vant/weapp/field/index')
    expect(graph.components).toContain(path.join(MINIPROGRAM_ROOT, 'miniprogram_npm/@vant/weapp/cell/index'))
    expect(graph.components).toContain(path.join(FIXTURES, 'components/probe/index'))
    expect(graph.wxmlList).toContain('miniprogram_npm/@vant/weapp/field/input.wxml')
    expect(graph.wxsList).toContain('miniprogram_npm/@vant/weapp/wxs/bem.wxs')
  })

  test('a tag used without being declared is an error, as WeChat would render nothing', () => {
    expect(() => componentGraph(path.join(FIXTURES, 'pages/undeclared/index'))).toThrow(
      /uses <van-button> without declaring it/,
    )
  })
})
