/**
 * One-tap on the bind page: the getPhoneNumber button binds with the `wechat_code` WeChat hands out, through
 * wechat-mobile-bind (wechat-mobile-register-bind in the register flow). The sandbox maps `phone:<mobile>` to that
 * mobile. A user who declines, or whose app is out of quota, is told and can still bind by SMS. The button is a
 * plain one until the agreement is accepted, and WeChat's privacy consent goes through the privacy popup.
 */
import type { Sandbox } from '../../../sandbox'
import { zh } from '../../../miniprogram/i18n/zh'
import { EIAM_PATHS } from '../../../miniprogram/services/eiam'
import {
  beforeNextCall,
  bodiesTo,
  fillMobile,
  installDevice,
  openOnDevice,
  renderReady,
  requestCode,
  SMS_CODE_PATHS,
  stateTokenFromLogin,
  type ServerLog,
} from '../../support/captcha'
import { errorFault, useSandbox } from '../../support/sandbox'
import { loadPage, renderPage, type PageHandle } from '../../support/simulate'
import type { WxNode } from '../../support/wx-node'

const bind = loadPage('pages/bind/index')
/** The tenant's other one-tap modes (develop's own is `quick`). */
const bindOff = loadPage('pages/bind/index', { tenant: { oneTap: 'off' } })
const bindRealtime = loadPage('pages/bind/index', { tenant: { oneTap: 'realtime' } })

/** What WeChat hands the getphonenumber handler: a code on consent, an errMsg (and no code) otherwise. */
const granted = (mobile: string) => ({ code: `phone:${mobile}`, errMsg: 'getPhoneNumber:ok' })

let device: WxNode
let page: PageHandle
let log: ServerLog

async function open(
  sandbox: Sandbox,
  options: { needPrivacyAuthorization?: boolean } = {},
  which = bind,
): Promise<void> {
  ;({ device, page, log } = await openOnDevice(sandbox, which, options))
}

describe('in the bind flow', () => {
  const env = useSandbox()
  beforeEach(() => open(env.sandbox))

  test('binds through wechat-mobile-bind with the WeChat code and the state token, then goes home', async () => {
    const stateToken = stateTokenFromLogin(device)
    page.tap('#agree')
    page.dispatch('#one-tap', 'getphonenumber', granted('13800138000'))
    await page.waitFor(() => device.state.navigation.length)
    expect(log.since()).toEqual([EIAM_PATHS.oneTapBind])
    const request = env.sandbox.requests().find((entry) => entry.path === EIAM_PATHS.oneTapBind)
    expect(request?.body).toEqual({ wechat_code: 'phone:13800138000' })
    expect(request?.headers['x-state-token']).toBe(stateToken)
    expect(device.state.navigation).toEqual([{ method: 'reLaunch', url: '/pages/home/index' }])
    expect(device.state.storage.get('eiam.session')).toMatchObject({ encrypted: true })
  })

  test('routes on the answer like "Bind" does: the WeChat phone of lisi goes on to the mfa page', async () => {
    page.tap('#agree')
    page.dispatch('#one-tap', 'getphonenumber', granted('13900139000'))
    await page.waitFor(() => device.state.navigation.length)
    expect(device.state.navigation).toEqual([{ method: 'redirectTo', url: '/pages/mfa/index' }])
  })

  test('a server error is shown and the button can be used again', async () => {
    env.sandbox.fault(errorFault(EIAM_PATHS.oneTapBind, 'IDAAS.SDK.COMMON.1008', '系统繁忙', { status: 500 }))
    page.tap('#agree')
    page.dispatch('#one-tap', 'getphonenumber', granted('13800138000'))
    await page.waitFor(() => page.data().notice)
    expect(page.text('#notice')).toBe('系统繁忙')
    expect(page.get('#one-tap').data).toMatchObject({ disabled: false, openType: 'getPhoneNumber' })
    expect(page.data().submitting).toBe(false)
  })

  test('without the agreement it is a plain button whose tap says what is missing, and nothing is sent', async () => {
    expect(page.get('#one-tap').data).toMatchObject({ openType: '' })
    page.tap('#one-tap')
    expect(page.text('#agree-error')).toBe(zh.validation.agreementRequired)
    await page.flush()
    expect(log.since()).toEqual([])
    page.tap('#agree')
    expect(page.get('#one-tap').data).toMatchObject({ openType: 'getPhoneNumber' })
    expect(page.exists('#agree-error')).toBe(false)
  })

  test('a user who declines is told, nothing is sent, and SMS still binds', async () => {
    page.tap('#agree')
    page.dispatch('#one-tap', 'getphonenumber', { errMsg: 'getPhoneNumber:fail user deny' })
    expect(page.text('#notice')).toBe(zh.error.oneTapDenied)
    await page.flush()
    expect(log.since()).toEqual([])

    await fillMobile(page, env.sandbox, '13800138000')
    page.tap('#submit')
    await page.waitFor(() => device.state.navigation.length)
    expect(log.since()).toEqual([...SMS_CODE_PATHS, EIAM_PATHS.bind])
    expect(device.state.navigation).toEqual([{ method: 'reLaunch', url: '/pages/home/index' }])
  })

  test('when WeChat cannot give the number (quota used up) the user is told to use SMS, and can', async () => {
    page.tap('#agree')
    page.dispatch('#one-tap', 'getphonenumber', {
      errMsg: 'getPhoneNumber:fail no permission',
      errno: 1400001,
    })
    expect(page.text('#notice')).toBe(zh.oneTap.quota)
    await page.flush()
    expect(log.since()).toEqual([])
    page.typeInto('#mobile', '13700137000')
    await requestCode(page, env.sandbox, '#send-mobile-code', '13700137000')
    expect(bodiesTo(env.sandbox, EIAM_PATHS.smsSend)).toHaveLength(1)
    // a new attempt clears the old notice
    expect(page.data().notice).toBe('')
  })
})

describe('in the register flow', () => {
  const env = useSandbox({ mode: 'register' })
  beforeEach(() => open(env.sandbox))

  test('binds through wechat-mobile-register-bind, creating the account for the WeChat phone', async () => {
    page.tap('#agree')
    page.dispatch('#one-tap', 'getphonenumber', granted('18800188000'))
    await page.waitFor(() => device.state.navigation.length)
    expect(log.since()).toEqual([EIAM_PATHS.oneTapRegisterBind])
    expect(bodiesTo(env.sandbox, EIAM_PATHS.oneTapRegisterBind)).toEqual([
      { wechat_code: 'phone:18800188000' },
    ])
    expect(device.state.navigation).toEqual([{ method: 'reLaunch', url: '/pages/home/index' }])
  })
})

describe('privacy consent', () => {
  const env = useSandbox()

  const popup = () => page.get('#privacy')

  test('WeChat asking for consent opens the privacy popup with an agree button; agreeing closes it', async () => {
    await open(env.sandbox, { needPrivacyAuthorization: true })
    expect(popup().data).toMatchObject({ show: false })
    // what WeChat does when a privacy-gated API (getPhoneNumber) is used before the user consented
    const outcome = device.wx.requirePrivacyAuthorize({})
    await page.waitFor(() => popup().data?.show)
    expect(page.text(['#privacy', '.privacy__title'])).toBe(zh.common.privacyTitle)
    expect(page.text(['#privacy', '.privacy__body'])).toBe(zh.common.privacyBody)
    expect(page.get(['#privacy', '#privacy-agree']).data).toMatchObject({
      openType: 'agreePrivacyAuthorization',
      buttonId: 'privacy-agree',
    })
    expect(page.text(['#privacy', '#privacy-agree'])).toBe(zh.common.agreePrivacy)

    page.dispatch(['#privacy', '#privacy-agree'], 'agreeprivacyauthorization', {})
    expect(popup().data).toMatchObject({ show: false })
    await expect(outcome).resolves.toMatchObject({ errMsg: 'requirePrivacyAuthorize:ok' })
    await expect(device.wx.getPrivacySetting({})).resolves.toMatchObject({ needAuthorization: false })
  })

  test('a page opened after another one with the popup was closed still gets the request', async () => {
    await open(env.sandbox, { needPrivacyAuthorization: true })
    page.unload()
    page = await renderReady(() => renderPage(bind))
    const outcome = device.wx.requirePrivacyAuthorize({})
    await page.waitFor(() => popup().data?.show)
    page.dispatch(['#privacy', '#privacy-agree'], 'agreeprivacyauthorization', {})
    await expect(outcome).resolves.toMatchObject({ errMsg: 'requirePrivacyAuthorize:ok' })
  })

  describe('what the popup answers WeChat', () => {
    type Answer = { event: string; buttonId?: string }
    type Listener = (resolve: (answer: Answer) => void, info: { referrer: string }) => void
    const answers: Answer[] = []

    beforeEach(async () => {
      answers.length = 0
      const registered: Listener[] = []
      device = installDevice(env.sandbox, { needPrivacyAuthorization: true })
      beforeNextCall(device.wx, 'onNeedPrivacyAuthorization', (listener) => {
        registered.push(listener as Listener)
      })
      page = await renderReady(() => renderPage(bind))
      const [listener] = registered
      if (!listener) throw new Error('the page registered no onNeedPrivacyAuthorization listener')
      // WeChat, when the user taps the getPhoneNumber button before consenting
      listener((answer) => answers.push(answer), { referrer: 'button.getPhoneNumber' })
      await page.waitFor(() => popup().data?.show)
    })

    test('"shown" as soon as the popup is up, then "agree" with the button id when the user agrees', () => {
      expect(answers).toEqual([{ event: 'exposureAuthorization' }])
      page.dispatch(['#privacy', '#privacy-agree'], 'agreeprivacyauthorization', {})
      expect(answers).toEqual([
        { event: 'exposureAuthorization' },
        { event: 'agree', buttonId: 'privacy-agree' },
      ])
      expect(popup().data).toMatchObject({ show: false })
    })

    test('"disagree" when the page is closed while it asks', () => {
      page.unload()
      expect(answers).toEqual([{ event: 'exposureAuthorization' }, { event: 'disagree' }])
    })

    test('"disagree" when the user refuses', () => {
      page.tap(['#privacy', '#privacy-refuse'])
      expect(answers).toEqual([{ event: 'exposureAuthorization' }, { event: 'disagree' }])
      expect(popup().data).toMatchObject({ show: false })
    })
  })
})

describe('the tenant decides: oneTap off, quick or realtime', () => {
  const env = useSandbox()

  test('off: no phone-number button and no "or", and SMS and email still bind', async () => {
    await open(env.sandbox, {}, bindOff)
    expect(page.exists('#one-tap')).toBe(false)
    expect(page.exists('.divider')).toBe(false)
    expect(page.exists('#submit')).toBe(true)
    expect(page.exists('#send-mobile-code')).toBe(true)
  })

  test('quick: getPhoneNumber once the agreement is accepted', async () => {
    await open(env.sandbox)
    page.tap('#agree')
    expect(page.get('#one-tap').data).toMatchObject({ openType: 'getPhoneNumber' })
  })

  test('realtime: getRealtimePhoneNumber, whose event binds through the same endpoint', async () => {
    await open(env.sandbox, {}, bindRealtime)
    expect(page.get('#one-tap').data).toMatchObject({ openType: '' })
    page.tap('#agree')
    expect(page.get('#one-tap').data).toMatchObject({ openType: 'getRealtimePhoneNumber' })
    page.dispatch('#one-tap', 'getrealtimephonenumber', {
      code: 'phone:13800138000',
      errMsg: 'getRealtimePhoneNumber:ok',
    })
    await page.waitFor(() => device.state.navigation.length)
    expect(log.since()).toEqual([EIAM_PATHS.oneTapBind])
    expect(bodiesTo(env.sandbox, EIAM_PATHS.oneTapBind)).toEqual([{ wechat_code: 'phone:13800138000' }])
    expect(device.state.navigation).toEqual([{ method: 'reLaunch', url: '/pages/home/index' }])
  })

  test.each([
    [
      'the quota is used up (errno 1400001)',
      { errMsg: 'getRealtimePhoneNumber:fail', errno: 1400001 },
      'quota',
      '1400001',
    ],
    [
      'an account type that cannot use it',
      { errMsg: 'getRealtimePhoneNumber:fail no permission' },
      'account',
      undefined,
    ],
    ['an empty code', { errMsg: 'getRealtimePhoneNumber:ok', code: '' }, 'noCode', undefined],
  ] as const)(
    '%s: its own message, pointing to SMS or email; nothing sent; one log line',
    async (_, detail, key, errno) => {
      await open(env.sandbox, {}, bindRealtime)
      page.tap('#agree')
      page.dispatch('#one-tap', 'getrealtimephonenumber', detail)
      expect(page.text('#notice')).toBe(zh.oneTap[key])
      expect(zh.oneTap[key]).toMatch(/短信或邮箱验证码/)
      expect(page.exists('#support-code')).toBe(true)
      await page.flush()
      expect(log.since()).toEqual([])
      const lines = device.state.realtimeLog.map((line) => line.args[1] as Record<string, unknown>)
      const kind = { quota: 'one-tap-quota', account: 'one-tap-account', noCode: 'one-tap-no-code' }[key]
      expect(lines.filter((line) => line.step === 'one-tap')).toEqual([
        expect.objectContaining({ outcome: 'error', kind, ...(errno ? { errorCode: errno } : {}) }),
      ])
    },
  )
})
