/**
 * "Bind" on the bind page: always tappable, says what is missing and sends nothing when the tab is incomplete,
 * loading while in flight, one request per intent however many taps; then social/bind (social/register-bind in the
 * register flow) with the state token, and the page the answer leads to. "Not now" leaves the flow.
 *
 * Each test binds with its own phone or email where it sends a code: the page's modules (and the countdown end
 * times they keep in memory) live for the whole file.
 */
import type { Sandbox } from '../../../sandbox'
import { zh } from '../../../miniprogram/i18n/zh'
import { EIAM_PATHS } from '../../../miniprogram/services/eiam'
import type { FlowRecord } from '../../../miniprogram/services/flow-store'
import type { StoredSession } from '../../../miniprogram/services/session'
import {
  beforeNextCall,
  bodiesTo,
  FINGERPRINT,
  fillMobile,
  installDevice,
  openOnDevice,
  requestCode,
  SMS_CODE_PATHS,
  stateTokenFromLogin,
  type ServerLog,
} from '../../support/captcha'
import { useSandbox } from '../../support/sandbox'
import { loadPage, renderPage, type PageHandle } from '../../support/simulate'
import { readEncrypted, type StoredItem, type WxNode } from '../../support/wx-node'

const bind = loadPage('pages/bind/index')

/** The flow record the app keeps in encrypted storage (as JSON text). */
function flowRecord(device: WxNode): FlowRecord | undefined {
  return readEncrypted<FlowRecord>(device.state, 'eiam.flow')
}

/** A fresh page: agreement ticked, `mobile` verified by code and submitted; waits for the page to leave. */
async function submitMobile(sandbox: Sandbox, mobile: string): Promise<{ device: WxNode; code: string }> {
  const { device, page } = await openOnDevice(sandbox, bind)
  page.tap('#agree')
  const code = await fillMobile(page, sandbox, mobile)
  page.tap('#submit')
  await page.waitFor(() => device.state.navigation.length)
  return { device, code }
}

describe('in the bind flow', () => {
  const env = useSandbox()
  let device: WxNode
  let page: PageHandle
  let log: ServerLog

  beforeEach(async () => {
    ;({ device, page, log } = await openOnDevice(env.sandbox, bind))
  })

  describe('before anything is sent', () => {
    test('"Bind" is always tappable; with nothing typed it says what is missing and sends nothing', () => {
      expect(page.get('#submit').data).toMatchObject({ disabled: false, loading: false })
      page.tap('#submit')
      expect(page.fieldError('#mobile')).toBe(zh.validation.mobileRequired)
      expect(page.fieldError('#mobile-code')).toBe(zh.validation.codeRequired)
      expect(page.text('#agree-error')).toBe(zh.validation.agreementRequired)
      expect(log.since()).toEqual([])
    })

    test('a complete tab without the agreement asks for it and sends nothing; ticking it clears the prompt', () => {
      page.typeInto('#mobile', '13800138000')
      page.typeInto('#mobile-code', '123456')
      page.tap('#submit')
      expect(page.text('#agree-error')).toBe(zh.validation.agreementRequired)
      expect(page.fieldError('#mobile')).toBe('')
      expect(page.data().submitting).toBe(false)
      expect(log.since()).toEqual([])
      page.tap('#agree')
      expect(page.exists('#agree-error')).toBe(false)
    })

    test('only the tab on show is checked: a complete email tab binds whatever the mobile tab holds', async () => {
      page.tap('#agree')
      page.typeInto('#mobile', '138')
      await page.tapTab('email')
      page.typeInto('#email', 'nobody@example.com')
      page.typeInto('#email-code', '123456')
      page.tap('#submit')
      await page.waitFor(() => !page.data().submitting && bodiesTo(env.sandbox, EIAM_PATHS.bind).length)
      expect(page.fieldError('#mobile')).toBe('')
      expect(bodiesTo(env.sandbox, EIAM_PATHS.bind)).toEqual([
        { email: 'nobody@example.com', verify_code: '123456' },
      ])
    })

    test('the agreement gates sending a code too', () => {
      page.typeInto('#mobile', '13800138000')
      page.tap('#send-mobile-code')
      expect(page.text('#agree-error')).toBe(zh.validation.agreementRequired)
      expect(page.data().captcha).toMatchObject({ open: false })
      expect(log.since()).toEqual([])
    })

    test('the agreement and privacy texts open from their links', () => {
      page.tap('#agreement-link')
      page.tap('#privacy-link')
      expect(device.state.modals.map((modal) => modal.title)).toEqual([
        zh.agreement.title,
        zh.agreement.privacyTitle,
      ])
      expect(device.state.modals[0]?.content).toContain('示例科技')
    })
  })

  describe('routing on the answer', () => {
    beforeEach(() => {
      page.tap('#agree')
    })

    test('SUCCESS stores the tokens encrypted, then reLaunches home', async () => {
      const stateToken = stateTokenFromLogin(device)
      const code = await fillMobile(page, env.sandbox, '13800138000')
      let sessionWhenLeaving: StoredItem | undefined
      beforeNextCall(device.wx, 'reLaunch', () => {
        sessionWhenLeaving = device.state.storage.get('eiam.session')
      })
      page.tap('#submit')
      await page.waitFor(() => device.state.navigation.length)

      expect(log.since()).toEqual([...SMS_CODE_PATHS, EIAM_PATHS.bind])
      const bindRequest = env.sandbox.requests().find((request) => request.path === EIAM_PATHS.bind)
      expect(bindRequest?.headers['x-state-token']).toBe(stateToken)
      expect(bindRequest?.body).toEqual({ mobile: '13800138000', verify_code: code })
      expect(device.state.navigation).toEqual([{ method: 'reLaunch', url: '/pages/home/index' }])
      expect(sessionWhenLeaving).toMatchObject({
        encrypted: true,
        value: expect.stringContaining('"sessionToken"'),
      })
      // the flow is over: its state token and the draft are gone
      expect(device.state.storage.has('eiam.flow')).toBe(false)
      expect(device.state.storage.has('eiam.draft')).toBe(false)
    })

    test('binding by email works the same way', async () => {
      await page.tapTab('email')
      page.typeInto('#email', 'zhangsan@example.com')
      const code = await requestCode(page, env.sandbox, '#send-email-code', 'zhangsan@example.com', {
        path: EIAM_PATHS.emailSend,
      })
      page.typeInto('#email-code', String(code))
      page.tap('#submit')
      await page.waitFor(() => device.state.navigation.length)
      expect(bodiesTo(env.sandbox, EIAM_PATHS.bind)).toEqual([
        { email: 'zhangsan@example.com', verify_code: code },
      ])
      expect(device.state.navigation).toEqual([{ method: 'reLaunch', url: '/pages/home/index' }])
    })

    test('MFA_AUTH (lisi) goes on to the mfa page with the new state token', async () => {
      await fillMobile(page, env.sandbox, '13900139000')
      page.tap('#submit')
      await page.waitFor(() => device.state.navigation.length)
      expect(device.state.navigation).toEqual([{ method: 'redirectTo', url: '/pages/mfa/index' }])
      expect(flowRecord(device)).toMatchObject({ flow: 'mfa', page: 'mfa' })
      expect(flowRecord(device)?.stateToken).not.toBe(stateTokenFromLogin(device))
    })

    test('ACCESS_DENIED (wangwu) reLaunches the denied page and ends the flow', async () => {
      await fillMobile(page, env.sandbox, '13700137000')
      page.tap('#submit')
      await page.waitFor(() => device.state.navigation.length)
      expect(device.state.navigation).toEqual([{ method: 'reLaunch', url: '/pages/denied/index' }])
      expect(device.state.storage.has('eiam.flow')).toBe(false)
      expect(device.state.storage.has('eiam.session')).toBe(false)
    })

    test('SOCIAL_BIND (still unbound) stays on the page with a message, on a fresh login flow', async () => {
      env.sandbox.fault({
        path: EIAM_PATHS.bind,
        body: { status: 'SOCIAL_BIND', state_token: 'spent-by-the-answer', data: null },
      })
      page.typeInto('#mobile', '13600136000')
      page.typeInto('#mobile-code', '123456')
      page.tap('#submit')
      await page.waitFor(() => page.data().notice)
      expect(page.text('#notice')).toBe(zh.error.stillUnbound)
      expect(device.state.navigation).toEqual([])
      expect(device.state.loginCalls).toBe(2)
      expect(log.since()).toEqual([EIAM_PATHS.bind, EIAM_PATHS.login])
      expect(flowRecord(device)?.stateToken).toBe(stateTokenFromLogin(device, 1))
      expect(page.data()).toMatchObject({ mobile: '13600136000', mobileCode: '123456', submitting: false })
    })
  })

  describe('one request per intent', () => {
    beforeEach(() => {
      page.tap('#agree')
    })

    test('a double tap sends exactly one social/bind; the button shows loading while it is in flight', async () => {
      page.typeInto('#mobile', '13800138000')
      page.typeInto('#mobile-code', '123456')
      env.sandbox.fault({ path: EIAM_PATHS.bind, delayMs: 200 })
      page.tap('#submit')
      page.tap('#submit')
      expect(page.get('#submit').data).toMatchObject({ loading: true })
      expect(page.get('#one-tap').data).toMatchObject({ disabled: true })
      page.tap('#submit')
      // the answer (a wrong code) ends the loading and frees the button
      await page.waitFor(() => !page.data().submitting)
      expect(bodiesTo(env.sandbox, EIAM_PATHS.bind)).toEqual([
        { mobile: '13800138000', verify_code: '123456' },
      ])
      expect(page.get('#submit').data).toMatchObject({ loading: false })
      expect(page.get('#one-tap').data).toMatchObject({ disabled: false })
    })

    // in the simulator Vant's button re-renders as loading at once and swallows the second tap; on a phone the view
    // updates later, so the handlers themselves must hold a second call back
    test('two calls of the handlers before any re-render send one social/bind and one one-tap bind', async () => {
      page.typeInto('#mobile', '13800138000')
      page.typeInto('#mobile-code', '123456')
      env.sandbox.fault({ path: EIAM_PATHS.bind, delayMs: 200 })
      const handlers = page.instance as unknown as {
        onTapSubmit(): Promise<void>
        onGetPhoneNumber(event: { detail: { code: string } }): Promise<void>
      }
      await Promise.all([handlers.onTapSubmit(), handlers.onTapSubmit()])
      expect(bodiesTo(env.sandbox, EIAM_PATHS.bind)).toEqual([
        { mobile: '13800138000', verify_code: '123456' },
      ])

      env.sandbox.fault({ path: EIAM_PATHS.oneTapBind, delayMs: 200 })
      const consent = { detail: { code: 'phone:13800138000' } }
      await Promise.all([handlers.onGetPhoneNumber(consent), handlers.onGetPhoneNumber(consent)])
      expect(bodiesTo(env.sandbox, EIAM_PATHS.oneTapBind)).toHaveLength(1)
    })
  })

  describe('not now', () => {
    test('leaves the flow for the launch page, which then waits for a tap', async () => {
      page.typeInto('#mobile', '13800138000')
      page.tap('#not-now')
      await page.waitFor(() => device.state.navigation.length)
      expect(device.state.navigation).toEqual([{ method: 'reLaunch', url: '/pages/launch/index?manual=1' }])
      expect(device.state.storage.has('eiam.flow')).toBe(false)
      expect(log.since()).toEqual([])
    })
  })
})

describe('opened without a live bind flow (a reload after it expired)', () => {
  const env = useSandbox()

  test.each([
    ['goes home when this WeChat got bound meanwhile', 'zhangsan', '/pages/home/index'],
    ['goes to the denied page for a refused user', 'wangwu', '/pages/denied/index'],
  ])('signs in again and %s', async (_what, user, url) => {
    const device = installDevice(env.sandbox)
    env.sandbox.linkIdentity(FINGERPRINT, user)
    const page = renderPage(bind)
    await page.waitFor(() => device.state.navigation.length)
    expect(device.state.navigation).toEqual([{ method: 'reLaunch', url }])
    expect(page.data().ready).toBe(false)
  })
})

describe('in auto mode, a bind of an unknown phone', () => {
  const env = useSandbox({ mode: 'auto' })

  test('USER_REGISTER goes on to the register page, which knows the phone', async () => {
    const { device } = await submitMobile(env.sandbox, '13600136000')
    expect(device.state.navigation).toEqual([{ method: 'redirectTo', url: '/pages/register/index' }])
    expect(flowRecord(device)).toMatchObject({
      flow: 'register',
      page: 'register',
      attempt: { channel: 'mobile', value: '13600136000' },
    })
  })
})

describe('in the register flow', () => {
  const env = useSandbox({ mode: 'register' })

  test('"Bind" calls social/register-bind with a REGISTER_SMS code and goes home', async () => {
    const { device, code } = await submitMobile(env.sandbox, '18800188000')
    expect(bodiesTo(env.sandbox, EIAM_PATHS.smsSend)).toEqual([
      expect.objectContaining({ type: 'REGISTER_SMS' }),
    ])
    expect(bodiesTo(env.sandbox, EIAM_PATHS.registerBind)).toEqual([
      { mobile: '18800188000', verify_code: code },
    ])
    expect(bodiesTo(env.sandbox, EIAM_PATHS.bind)).toEqual([])
    expect(device.state.navigation).toEqual([{ method: 'reLaunch', url: '/pages/home/index' }])
    // signed in as the account register-bind created for the phone
    const session = readEncrypted<StoredSession>(device.state, 'eiam.session') as StoredSession
    const claims = JSON.parse(Buffer.from(session.idToken.split('.')[1] ?? '', 'base64url').toString()) as {
      userName?: string
    }
    expect(claims.userName).toBe('18800188000')
  })
})
