/**
 * The second-factor page (MFA_AUTH), reached the real way: lisi's identity is linked, launch signs in and the
 * sandbox answers MFA_AUTH with a state token. By phone (mobile-by-token, MFA_AUTH_SMS, mfa/sms) or by the email
 * the user types (MFA_AUTH_EMS, mfa/email); state-token errors restart login silently and repeat once.
 *
 * A page copy keeps in memory the countdowns of the codes it sent (see test/support/journey.ts), so each target gets
 * a code from the file's shared mfa copy in one test at most; the other tests sending to it render a fresh copy.
 */
import { fill, strings } from '../../miniprogram/i18n/index'
import { EIAM_PATHS } from '../../miniprogram/services/eiam'
import {
  type Journey,
  JOURNEY_FINGERPRINT,
  launchAs,
  noticeAfterSubmittingCode,
  sendCodeVia,
  startJourney,
  wrongCodeRefusedThenTypeRight,
} from '../support/journey'
import type { PageHandle } from '../support/simulate'
import { errorFault, useSandbox } from '../support/sandbox'

const zh = strings('zh')
const en = strings('en')
/** mobile-by-token answers `+86-13900139000`; the page sends it as send-code and mfa/sms take it: 11 bare digits */
const LISI_MOBILE = '13900139000'
const STATE_TOKEN_ERROR = { error_code: 'IDAAS.SDK.COMMON.1007', error_msg: 'state_token parameter error' }

const env = useSandbox()

/** The state token the n-th login answered. */
const loginStateToken = (journey: Journey, index = 0) => {
  const login = journey.state.requestsTo(EIAM_PATHS.login)[index]
  return (JSON.parse(login?.responseText ?? '{}') as { state_token?: string }).state_token
}

/** lisi signs in through launch and lands on the mfa page, which has shown the masked phone. */
async function atMfa(
  options: { fresh?: boolean; language?: string } = {},
): Promise<{ journey: Journey; mfa: PageHandle }> {
  const { journey, page: mfa } = await launchAs(env.sandbox, { user: 'lisi', ...options })
  expect(journey.route()).toBe('pages/mfa/index')
  await mfa.waitFor(() => mfa.data().target)
  return { journey, mfa }
}

async function switchToEmail(mfa: PageHandle): Promise<void> {
  mfa.tap('#switch-channel')
  await mfa.waitFor(() => mfa.exists('#email'))
}

describe('by phone', () => {
  test('it shows the masked phone of the user behind the state token that came with MFA_AUTH', async () => {
    const { journey, mfa } = await atMfa()

    expect(mfa.text('#target')).toBe('139****9000')
    expect(mfa.text('.intro')).toContain(zh.mfa.introMobile)
    expect(mfa.node.text()).not.toContain('13900139000')
    const [lookup] = journey.state.requestsTo(EIAM_PATHS.mobileByToken)
    expect(lookup?.headers['x-state-token']).toBe(loginStateToken(journey))
    expect(journey.state.navigationBarTitles).toContain(zh.mfa.title)
    expect(journey.requestCounts()).toEqual({ 'login/wechat-miniprogram': 1, 'mobile-by-token': 1 })
  })

  test('the code goes out as MFA_AUTH_SMS after the captcha, and mfa/sms with the state token signs in', async () => {
    const { journey, mfa } = await atMfa()
    const code = await sendCodeVia(mfa, env.sandbox, '#send-code', LISI_MOBILE)

    expect(journey.requestPaths()).toEqual([
      'login/wechat-miniprogram',
      'mobile-by-token',
      'captcha',
      'captcha/verify',
      'sms/send',
    ])
    expect(journey.state.requestsTo(EIAM_PATHS.captchaVerify)[0]?.json).toMatchObject({
      sender: LISI_MOBILE,
    })
    expect(journey.state.requestsTo(EIAM_PATHS.smsSend)[0]?.json).toMatchObject({
      mobile: LISI_MOBILE,
      type: 'MFA_AUTH_SMS',
    })
    expect(env.sandbox.outbox()).toEqual([expect.objectContaining({ type: 'MFA_AUTH_SMS', code })])
    expect(mfa.data<{ codeEndsAt: { mobile: number } }>().codeEndsAt.mobile).toBeGreaterThan(Date.now())

    // the countdown holds the next send back without asking the tenant
    mfa.tap('#send-code')
    await mfa.flush()
    expect(journey.state.toasts.at(-1)?.title).toMatch(/\d+/)
    expect(journey.state.requestsTo(EIAM_PATHS.captcha)).toHaveLength(1)

    mfa.typeInto('#code', code)
    mfa.tap('#submit')
    const home = await journey.next()
    expect(journey.urls()).toEqual(['redirectTo /pages/mfa/index', 'reLaunch /pages/home/index'])
    const [verify] = journey.state.requestsTo(EIAM_PATHS.mfaSms)
    expect(verify?.json).toEqual({ mobile: LISI_MOBILE, verify_code: code })
    expect(verify?.headers['x-state-token']).toBe(loginStateToken(journey))
    expect(journey.secure('eiam.flow')).toBeUndefined()
    expect(journey.secure('eiam.session')).toMatchObject({ sessionToken: expect.any(String) })
    await home.waitFor(() => home.data().ready)
    expect(home.text('#name')).toBe('李四')
  })

  test('submitting without a code, or with a short one, says what is wrong and sends nothing', async () => {
    const { journey, mfa } = await atMfa()

    mfa.tap('#submit')
    expect(mfa.fieldError('#code')).toBe(zh.validation.codeRequired)
    mfa.typeInto('#code', '123')
    expect(mfa.fieldError('#code')).toBe('')
    mfa.tap('#submit')
    expect(mfa.fieldError('#code')).toBe(fill(zh.validation.codeLengthRange, { min: 4, max: 8 }))
    await mfa.flush()
    expect(journey.state.requestsTo(EIAM_PATHS.mfaSms)).toHaveLength(0)
  })

  test('a wrong code is refused under the code field with what was typed kept; the right one then signs in', async () => {
    const { journey, mfa } = await atMfa({ fresh: true })
    const code = await sendCodeVia(mfa, env.sandbox, '#send-code', LISI_MOBILE)
    await wrongCodeRefusedThenTypeRight(journey, mfa, code)
    expect(mfa.fieldError('#code')).toBe('')
    mfa.tap('#submit')
    await journey.next()
    expect(journey.route()).toBe('pages/home/index')
    expect(journey.requestCounts()).toMatchObject({ 'mfa/sms': 2, 'login/wechat-miniprogram': 1 })
  })

  test('a busy tenant keeps the code typed and says so', async () => {
    const { journey, mfa } = await atMfa()
    env.sandbox.fault({ path: EIAM_PATHS.mfaSms, status: 503 })

    expect(await noticeAfterSubmittingCode(mfa)).toBe(zh.error.server)
    expect(journey.pendingNavigation()).toEqual([])
  })

  test('offline, submitting keeps the code typed and says the network is unreachable', async () => {
    const { journey, mfa } = await atMfa()
    journey.state.options.offline = true

    expect(await noticeAfterSubmittingCode(mfa)).toBe(zh.error.network)
    expect(journey.state.loginCalls).toBe(1)
  })

  test('a failed phone lookup says so, and the send button looks it up again before opening the captcha', async () => {
    env.sandbox.fault({ path: EIAM_PATHS.mobileByToken, status: 503 })
    env.sandbox.linkIdentity(JOURNEY_FINGERPRINT, 'lisi')
    const journey = startJourney({ sandbox: env.sandbox })
    journey.open('/pages/launch/index')
    const mfa = await journey.next({ fresh: true })
    await mfa.waitFor(() => mfa.exists('#notice'))
    expect(mfa.text('#notice')).toBe(zh.error.server)
    expect(mfa.text('#target')).toBe('')

    mfa.tap('#send-code')
    await mfa.waitFor(() => mfa.text('#target'))
    expect(mfa.text('#target')).toBe('139****9000')
    await mfa.waitFor(() => journey.state.requestsTo(EIAM_PATHS.captcha).length)
    expect(mfa.data<{ captcha: { open: boolean; sender: string } }>().captcha).toMatchObject({
      open: true,
      sender: LISI_MOBILE,
    })
    expect(journey.requestCounts()).toMatchObject({ 'mobile-by-token': 2, 'login/wechat-miniprogram': 1 })
  })
})

describe('by email', () => {
  test('the user switches to email, types their own address, and MFA_AUTH_EMS + mfa/email sign in', async () => {
    const { journey, mfa } = await atMfa()
    await switchToEmail(mfa)
    expect(mfa.text('.intro')).toBe(zh.mfa.introEmail)
    expect(mfa.text('#switch-channel')).toBe(zh.mfa.switchToMobile)

    mfa.typeInto('#email', 'lisi@example.com')
    const code = await sendCodeVia(mfa, env.sandbox, '#send-code', 'lisi@example.com')
    expect(journey.state.requestsTo(EIAM_PATHS.emailSend)[0]?.json).toMatchObject({
      email: 'lisi@example.com',
      type: 'MFA_AUTH_EMS',
    })
    mfa.typeInto('#code', code)
    mfa.tap('#submit')
    await journey.next()

    expect(journey.route()).toBe('pages/home/index')
    const [verify] = journey.state.requestsTo(EIAM_PATHS.mfaEmail)
    expect(verify?.json).toEqual({ email: 'lisi@example.com', verify_code: code })
    expect(verify?.headers['x-state-token']).toBe(loginStateToken(journey))
    expect(journey.requestCounts()).toEqual({
      'login/wechat-miniprogram': 1,
      'mobile-by-token': 1,
      captcha: 1,
      'captcha/verify': 1,
      'email/send': 1,
      'mfa/email': 1,
    })
  })

  test("someone else's email is refused under the email field, keeping the address and the code", async () => {
    const { journey, mfa } = await atMfa()
    await switchToEmail(mfa)
    mfa.typeInto('#email', 'zhangsan@example.com')
    const code = await sendCodeVia(mfa, env.sandbox, '#send-code', 'zhangsan@example.com')

    mfa.typeInto('#code', code)
    mfa.tap('#submit')
    await mfa.waitFor(() => mfa.fieldError('#email'))
    expect(mfa.fieldError('#email')).toBe('email 参数错误')
    expect(mfa.data()).toMatchObject({ email: 'zhangsan@example.com', code })
    expect(journey.pendingNavigation()).toEqual([])
    expect(journey.secure('eiam.session')).toBeUndefined()
  })

  test('an address that is not an email is flagged at its field and no captcha opens', async () => {
    const { journey, mfa } = await atMfa()
    await switchToEmail(mfa)

    mfa.tap('#send-code')
    expect(mfa.fieldError('#email')).toBe(zh.validation.emailRequired)
    mfa.typeInto('#email', 'lisi@')
    mfa.tap('#send-code')
    expect(mfa.fieldError('#email')).toBe(zh.validation.emailInvalid)
    mfa.tap('#submit')
    expect(mfa.fieldError('#code')).toBe(zh.validation.codeRequired)
    await mfa.flush()
    expect(mfa.data<{ captcha: { open: boolean } }>().captcha.open).toBe(false)
    expect(journey.state.requestsTo(EIAM_PATHS.captcha)).toHaveLength(0)
  })

  test('switching back to the phone shows the masked phone again', async () => {
    const { mfa } = await atMfa()
    await switchToEmail(mfa)
    expect(mfa.exists('#target')).toBe(false)

    mfa.tap('#switch-channel')
    await mfa.waitFor(() => mfa.exists('#target'))
    expect(mfa.text('#target')).toBe('139****9000')
    expect(mfa.exists('#email')).toBe(false)
    expect(mfa.text('#switch-channel')).toBe(zh.mfa.switchToEmail)
  })

  test('a tenant config without the email channel offers no switch', async () => {
    // the trial config points at the real tenant: offline, so nothing leaves the machine
    const journey = startJourney({ sandbox: env.sandbox, wx: { envVersion: 'trial', offline: true } })
    const mfa = journey.open('/pages/mfa/index')
    await mfa.waitFor(() => mfa.exists('#notice'))

    expect(mfa.exists('#switch-channel')).toBe(false)
    expect(mfa.exists('#email')).toBe(false)
    expect(env.sandbox.requests()).toHaveLength(0)
  })
})

describe('state-token errors', () => {
  test('one restarts login silently and repeats the verification once with the new state token', async () => {
    const { journey, mfa } = await atMfa({ fresh: true })
    const code = await sendCodeVia(mfa, env.sandbox, '#send-code', LISI_MOBILE)
    env.sandbox.fault({ path: EIAM_PATHS.mfaSms, status: 400, body: STATE_TOKEN_ERROR })

    mfa.typeInto('#code', code)
    mfa.tap('#submit')
    await journey.next()

    expect(journey.route()).toBe('pages/home/index')
    expect(journey.state.loginCalls).toBe(2)
    const attempts = journey.state.requestsTo(EIAM_PATHS.mfaSms)
    expect(attempts.map((request) => request.statusCode)).toEqual([400, 200])
    expect(attempts[1]?.headers['x-state-token']).toBe(loginStateToken(journey, 1))
    expect(loginStateToken(journey, 1)).not.toBe(loginStateToken(journey, 0))
  })

  test('when the repeat fails too, the user is told once, after a single restart, with the code kept', async () => {
    const { journey, mfa } = await atMfa()
    env.sandbox.fault({ path: EIAM_PATHS.mfaSms, status: 400, body: STATE_TOKEN_ERROR, times: 2 })

    expect(await noticeAfterSubmittingCode(mfa)).toBe(zh.error.stateToken)
    expect(journey.requestCounts()).toEqual({
      'login/wechat-miniprogram': 2,
      'mobile-by-token': 1,
      'mfa/sms': 2,
    })
    expect(journey.pendingNavigation()).toEqual([])
  })

  test('an expired state token on the phone lookup restarts login silently and shows the phone', async () => {
    env.sandbox.fault(
      errorFault(EIAM_PATHS.mobileByToken, 'IDAAS.SDK.COMMON.1005', 'state_token has expired'),
    )
    const { journey, mfa } = await atMfa()

    expect(mfa.text('#target')).toBe('139****9000')
    expect(mfa.exists('#notice')).toBe(false)
    const lookups = journey.state.requestsTo(EIAM_PATHS.mobileByToken)
    expect(lookups.map((request) => request.statusCode)).toEqual([400, 200])
    expect(lookups[1]?.headers['x-state-token']).toBe(loginStateToken(journey, 1))
    expect(journey.secure('eiam.flow')).toMatchObject({
      flow: 'mfa',
      stateToken: loginStateToken(journey, 1),
    })
  })

  test('when the silent restart answers another status (the link is gone), the page routes on it', async () => {
    const { journey, mfa } = await atMfa()
    env.sandbox.reset() // the tenant forgot the state token and the link

    mfa.typeInto('#code', '123456')
    mfa.tap('#submit')
    await mfa.waitFor(() => journey.pendingNavigation().length)
    expect(journey.urls()).toEqual(['redirectTo /pages/mfa/index', 'redirectTo /pages/bind/index'])
    expect(journey.requestCounts()).toEqual({
      'login/wechat-miniprogram': 2,
      'mobile-by-token': 1,
      'mfa/sms': 1,
    })
    expect(journey.secure('eiam.flow')).toMatchObject({ flow: 'bind', page: 'bind' })
  })
})

test('in English the page speaks English', async () => {
  const { mfa } = await atMfa({ language: 'en' })

  expect(mfa.text('.heading')).toBe(en.mfa.heading)
  expect(mfa.text('.intro')).toContain(en.mfa.introMobile)
  expect(mfa.text('#submit')).toBe(en.mfa.submit)
  expect(mfa.text('#switch-channel')).toBe(en.mfa.switchToEmail)
  mfa.tap('#submit')
  expect(mfa.fieldError('#code')).toBe(en.validation.codeRequired)
})
