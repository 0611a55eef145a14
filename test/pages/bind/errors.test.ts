/**
 * Failures on the bind page, each produced by the sandbox (its fault hooks, its clock, its rules): the server's
 * message (in the user's language, through X-L) or ours for transport problems, shown where the user looks; all
 * input kept; buttons usable again. A state-token error restarts login silently and carries on.
 *
 * Each test that needs a real code sends it to its own phone or email: the page's modules (and the countdown end
 * times they keep in memory) live for the whole file.
 */
import type { Fault, Sandbox } from '../../../sandbox'
import { en } from '../../../miniprogram/i18n/en'
import { zh } from '../../../miniprogram/i18n/zh'
import { EIAM_PATHS } from '../../../miniprogram/services/eiam'
import {
  bodiesTo,
  FINGERPRINT,
  openOnDevice,
  readyPuzzle,
  requestCode,
  solveCaptcha,
  stateTokenFromLogin,
  type ServerLog,
} from '../../support/captcha'
import { errorFault, useSandbox } from '../../support/sandbox'
import { loadPage, type PageHandle } from '../../support/simulate'
import type { WxNode, WxNodeOptions } from '../../support/wx-node'

const bind = loadPage('pages/bind/index')
const env = useSandbox({ stateTtlS: 60 })

let device: WxNode
let page: PageHandle
let log: ServerLog
let sandbox: Sandbox

async function open(options: WxNodeOptions = {}): Promise<void> {
  sandbox = env.sandbox
  ;({ device, page, log } = await openOnDevice(sandbox, bind, options))
  page.tap('#agree')
}

/** Types a phone and a code (a real one when `send`), then taps "Bind" and waits for the outcome. */
async function bindWith(mobile: string, options: { send?: boolean } = {}): Promise<string> {
  page.typeInto('#mobile', mobile)
  let code = '123456'
  if (options.send) {
    const sent = await requestCode(page, sandbox, '#send-mobile-code', mobile)
    if (!sent) throw new Error(`no code was sent to ${mobile}`)
    code = sent
    log.mark()
  }
  page.typeInto('#mobile-code', code)
  page.tap('#submit')
  // the page either stays (and frees its button) or leaves
  await page.waitFor(() => !page.data().submitting || device.state.navigation.length)
  await page.flush()
  return code
}

/** What was typed is still there, and both buttons can be tapped again. */
function expectInputKeptAndButtonsFree(mobile: string, code: string): void {
  expect(page.data()).toMatchObject({ mobile, mobileCode: code, submitting: false })
  expect(page.get('#submit').data).toMatchObject({ loading: false, disabled: false })
  expect(page.get('#send-mobile-code').data).toMatchObject({ loading: false })
  expect(page.data().sendingCode).toEqual({ mobile: false, email: false })
}

/** The next call of `path` answers 500 with the tenant's "system busy" envelope. */
const busy = (path: string) =>
  sandbox.fault({ path, status: 500, body: { error_code: 'IDAAS.SDK.COMMON.1008', error_msg: '系统繁忙' } })

describe('a failed bind', () => {
  beforeEach(() => open())

  test('a 500 with an error envelope shows the server message; a second tap tries again', async () => {
    busy(EIAM_PATHS.bind)
    const code = await bindWith('13900139000', { send: true })
    expect(page.text('#notice')).toBe('系统繁忙')
    expectInputKeptAndButtonsFree('13900139000', code)
    expect(device.state.navigation).toEqual([])

    page.tap('#submit')
    await page.waitFor(() => device.state.navigation.length)
    expect(log.since()).toEqual([EIAM_PATHS.bind, EIAM_PATHS.bind])
    expect(device.state.navigation).toEqual([{ method: 'redirectTo', url: '/pages/mfa/index' }])
  })

  test.each<[string, Omit<Fault, 'path'>, string]>([
    ['a 500 without a body shows our "busy" message', { status: 500 }, zh.error.server],
    ['a malformed answer shows our "unexpected answer" message', { malformed: true }, zh.error.unexpected],
    ['a dropped connection shows our network message', { drop: true }, zh.error.network],
  ])('%s', async (_title, fault, notice) => {
    sandbox.fault({ path: EIAM_PATHS.bind, ...fault })
    await bindWith('13800138000')
    expect(page.text('#notice')).toBe(notice)
    expectInputKeptAndButtonsFree('13800138000', '123456')
  })

  test('a wrong code is refused with the server message under the code field', async () => {
    await bindWith('13800138000')
    expect(page.fieldError('#mobile-code')).toBe('verify_code 参数错误')
    expect(page.text('#notice')).toBe('')
    expectInputKeptAndButtonsFree('13800138000', '123456')
    expect(sandbox.requests().find((request) => request.path === EIAM_PATHS.bind)?.headers['x-l']).toBe('zh')
  })

  test('an unknown phone in bind mode shows "user not found" from the server', async () => {
    const code = await bindWith('13600136000', { send: true })
    expect(page.text('#notice')).toBe('未找到对应的用户')
    expectInputKeptAndButtonsFree('13600136000', code)
    expect(device.state.navigation).toEqual([])
  })
})

describe('in English', () => {
  beforeEach(() => open({ language: 'en' }))

  test('the server message comes in English (X-L: en)', async () => {
    await bindWith('13800138000')
    expect(page.fieldError('#mobile-code')).toBe('verify_code parameter error')
    expect(sandbox.requests().find((request) => request.path === EIAM_PATHS.bind)?.headers['x-l']).toBe('en')
  })

  test('our own messages are in English too', async () => {
    sandbox.fault({ path: EIAM_PATHS.bind, drop: true })
    await bindWith('13800138000')
    expect(page.text('#notice')).toBe(en.error.network)
  })
})

describe('a request that takes too long', () => {
  beforeEach(() => open({ timeoutMs: 150 }))

  test('times out with our message, and everything stays as typed', async () => {
    sandbox.fault({ path: EIAM_PATHS.bind, delayMs: 1500 })
    await bindWith('13800138000')
    expect(page.text('#notice')).toBe(zh.error.timeout)
    expectInputKeptAndButtonsFree('13800138000', '123456')
  })
})

describe('a state-token error', () => {
  beforeEach(() => open())

  test('an expired state token restarts login silently, and the bind is repeated once with the new token', async () => {
    page.typeInto('#mobile', '13800138000')
    const code = await requestCode(page, sandbox, '#send-mobile-code', '13800138000')
    const firstToken = stateTokenFromLogin(device)
    env.clock.advanceS(61)
    log.mark()
    page.typeInto('#mobile-code', String(code))
    page.tap('#submit')
    await page.waitFor(() => device.state.navigation.length)

    expect(log.since()).toEqual([EIAM_PATHS.bind, EIAM_PATHS.login, EIAM_PATHS.bind])
    expect(device.state.loginCalls).toBe(2)
    const binds = sandbox.requests().filter((request) => request.path === EIAM_PATHS.bind)
    expect(binds.map((request) => request.status)).toEqual([400, 200])
    const refusal = device.state.requestsTo(EIAM_PATHS.bind)[0]?.responseText
    expect(JSON.parse(refusal ?? '{}')).toEqual({
      error_code: 'IDAAS.SDK.COMMON.1005',
      error_msg: 'state_token 已过期',
    })
    expect(binds.map((request) => request.headers['x-state-token'])).toEqual([
      firstToken,
      stateTokenFromLogin(device, 1),
    ])
    expect(binds.map((request) => request.body)).toEqual([
      { mobile: '13800138000', verify_code: code },
      { mobile: '13800138000', verify_code: code },
    ])
    expect(device.state.navigation).toEqual([{ method: 'reLaunch', url: '/pages/home/index' }])
    expect(page.data().notice).toBe('')
  })

  test('an invalid state token (1007) restarts login silently and carries on with what was typed', async () => {
    await page.tapTab('email')
    page.typeInto('#email', 'zhangsan@example.com')
    const code = await requestCode(page, sandbox, '#send-email-code', 'zhangsan@example.com', {
      path: EIAM_PATHS.emailSend,
    })
    sandbox.fault(errorFault(EIAM_PATHS.bind, 'IDAAS.SDK.COMMON.1007', 'state_token 参数错误'))
    log.mark()
    page.typeInto('#email-code', String(code))
    page.tap('#submit')
    await page.waitFor(() => device.state.navigation.length)
    expect(log.since()).toEqual([EIAM_PATHS.bind, EIAM_PATHS.login, EIAM_PATHS.bind])
    expect(bodiesTo(sandbox, EIAM_PATHS.bind)).toEqual([
      { email: 'zhangsan@example.com', verify_code: code },
      { email: 'zhangsan@example.com', verify_code: code },
    ])
    expect(device.state.navigation).toEqual([{ method: 'reLaunch', url: '/pages/home/index' }])
  })

  test('when the new login answers SUCCESS, the user goes home and the bind is not repeated', async () => {
    sandbox.fault(errorFault(EIAM_PATHS.bind, 'IDAAS.SDK.COMMON.1007', 'state_token 参数错误'))
    // meanwhile this WeChat got bound (say, on another try that succeeded)
    sandbox.linkIdentity(FINGERPRINT, 'zhangsan')
    page.typeInto('#mobile', '13800138000')
    page.typeInto('#mobile-code', '123456')
    page.tap('#submit')
    await page.waitFor(() => device.state.navigation.length)
    expect(log.since()).toEqual([EIAM_PATHS.bind, EIAM_PATHS.login])
    expect(device.state.navigation).toEqual([{ method: 'reLaunch', url: '/pages/home/index' }])
    expect(device.state.storage.get('eiam.session')).toMatchObject({ encrypted: true })
  })

  test('when the repeated bind fails on its state token too, the user is told and keeps what was typed', async () => {
    sandbox.fault(errorFault(EIAM_PATHS.bind, 'IDAAS.SDK.COMMON.1007', 'state_token 参数错误', { times: 2 }))
    await bindWith('13800138000')
    expect(log.since()).toEqual([EIAM_PATHS.bind, EIAM_PATHS.login, EIAM_PATHS.bind])
    expect(page.text('#notice')).toBe(zh.error.stateToken)
    expectInputKeptAndButtonsFree('13800138000', '123456')
  })

  test('a 1007 about the mobile ("{0} parameter type error") stands under the mobile field: no silent re-login', async () => {
    sandbox.fault(errorFault(EIAM_PATHS.bind, 'IDAAS.SDK.COMMON.1007', 'mobile parameter type error'))
    await bindWith('13800138000')
    expect(log.since()).toEqual([EIAM_PATHS.bind])
    expect(page.fieldError('#mobile')).toBe('mobile parameter type error')
    expect(page.text('#notice')).toBe('')
    expectInputKeptAndButtonsFree('13800138000', '123456')
  })

  test('SDK.PARAM.0014 ("Invalid state token") restarts login silently and repeats the bind once', async () => {
    sandbox.fault(errorFault(EIAM_PATHS.bind, 'IDAAS.SDK.PARAM.0014', 'Invalid state token'))
    await bindWith('13800138000')
    expect(log.since()).toEqual([EIAM_PATHS.bind, EIAM_PATHS.login, EIAM_PATHS.bind])
  })

  test('a state token older than its lifetime is replaced by a fresh login before the call', async () => {
    jest.useFakeTimers({ now: Date.now() })
    try {
      jest.setSystemTime(Date.now() + 601 * 1000)
      await bindWith('13800138000')
      expect(log.since()).toEqual([EIAM_PATHS.login, EIAM_PATHS.bind])
      expect(
        sandbox.requests().find((request) => request.path === EIAM_PATHS.bind)?.headers['x-state-token'],
      ).toBe(stateTokenFromLogin(device, 1))
    } finally {
      jest.useRealTimers()
    }
  })
})

describe('a failed send', () => {
  beforeEach(() => open())

  test('a 500 on sms/send shows the server message, starts no countdown, and the button opens a new puzzle', async () => {
    busy(EIAM_PATHS.smsSend)
    page.typeInto('#mobile', '13700137000')
    await requestCode(page, sandbox, '#send-mobile-code', '13700137000')
    expect(page.text('#notice')).toBe('系统繁忙')
    expect(page.data().codeEndsAt).toEqual({ mobile: 0, email: 0 })
    expectInputKeptAndButtonsFree('13700137000', '')
    page.tap('#send-mobile-code')
    expect(page.data().captcha).toMatchObject({ open: true, sender: '13700137000' })
  })

  test('a 1007 about the code type on sms/send is shown next to the send button: no silent re-login', async () => {
    sandbox.fault(errorFault(EIAM_PATHS.smsSend, 'IDAAS.SDK.COMMON.1007', 'type parameter type error'))
    page.typeInto('#mobile', '13700137000')
    await requestCode(page, sandbox, '#send-mobile-code', '13700137000')
    expect(page.fieldError('#mobile-code')).toBe('type parameter type error')
    expect(log.since().filter((path) => path === EIAM_PATHS.login)).toEqual([])
    expectInputKeptAndButtonsFree('13700137000', '')
  })

  test('a dropped send shows our network message', async () => {
    sandbox.fault({ path: EIAM_PATHS.smsSend, drop: true })
    page.typeInto('#mobile', '13700137000')
    page.tap('#send-mobile-code')
    await solveCaptcha(page, sandbox)
    await page.waitFor(() => page.data().notice)
    expect(page.text('#notice')).toBe(zh.error.network)
    expect(page.data().sendingCode).toEqual({ mobile: false, email: false })
  })

  test('a puzzle that cannot be loaded says so, and refresh tries again', async () => {
    sandbox.fault({ path: EIAM_PATHS.captcha, status: 500 })
    page.typeInto('#mobile', '13700137000')
    page.tap('#send-mobile-code')
    await page.waitFor(() => page.get('#captcha').data?.phase === 'load-failed')
    expect(page.text(['#captcha', '.captcha__message'])).toBe(`${zh.captcha.loadFailed} ${zh.error.server}`)
    page.tap(['#captcha', '#captcha-refresh'])
    await readyPuzzle(page)
    expect(log.since()).toEqual([EIAM_PATHS.captcha, EIAM_PATHS.captcha])
  })
})

describe('a login that failed when the page opened', () => {
  test('the page still opens and says why; "Bind" signs in first, then binds', async () => {
    sandbox = env.sandbox
    sandbox.fault({ path: EIAM_PATHS.login, drop: true })
    ;({ device, page, log } = await openOnDevice(sandbox, bind))
    expect(page.text('#notice')).toBe(zh.error.network)
    page.tap('#agree')
    await bindWith('13700137000', { send: true })
    expect(log.since()).toEqual([EIAM_PATHS.login, EIAM_PATHS.bind])
    expect(device.state.navigation).toEqual([{ method: 'reLaunch', url: '/pages/denied/index' }])
  })
})
