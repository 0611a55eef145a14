/**
 * The register page (USER_REGISTER after a bind attempt), reached the real way: the sandbox runs in `auto` mode, the
 * bind page verifies a phone or email no user has, and social/bind answers USER_REGISTER with a new state token.
 * The page names the masked target, sends a REGISTER code (captcha first) and calls social/register-bind; after a
 * one-tap attempt it offers one-tap again.
 *
 * Every test binds a phone or email of its own, so no page copy ever holds a countdown another test set.
 */
import { fill, strings } from '../../miniprogram/i18n/index'
import { EIAM_PATHS } from '../../miniprogram/services/eiam'
import {
  type Journey,
  launchAs,
  moveClock,
  noticeAfterSubmittingCode,
  sendCodeVia,
  startJourney,
  wrongCodeRefusedThenTypeRight,
} from '../support/journey'
import type { PageHandle } from '../support/simulate'
import { errorFault, useSandbox } from '../support/sandbox'
import { agree } from '../support/captcha'

/** A tap meant to change the box (untick what the bind page accepted, tick it again), not just to ensure it. */
const TOGGLE_AGREEMENT = '#agree'
const zh = strings('zh')
const en = strings('en')

const env = useSandbox({ mode: 'auto' })
afterEach(() => jest.useRealTimers())

let targets = 0
/** A phone number no seeded user has, new in every call. */
const newPhone = () => `1360000${String((targets += 1)).padStart(4, '0')}`
const newEmail = () => `newcomer${(targets += 1)}@example.com`

interface Arrival {
  journey: Journey
  register: PageHandle
  /** `requests.length` when the register page opened */
  arrivedAt: number
}

/** Launch → bind → a verified bind attempt for `target` that no user matches → the register page. */
async function atRegister(
  target: string,
  options: { channel?: 'mobile' | 'email'; language?: string } = {},
): Promise<Arrival> {
  const { journey, page: bind } = await launchAs(env.sandbox, { language: options.language })
  await bind.waitFor(() => bind.data().ready)
  agree(bind)
  if (options.channel === 'email') {
    await bind.tapTab('email')
    bind.typeInto('#email', target)
    bind.typeInto('#email-code', await sendCodeVia(bind, env.sandbox, '#send-email-code', target))
  } else {
    bind.typeInto('#mobile', target)
    bind.typeInto('#mobile-code', await sendCodeVia(bind, env.sandbox, '#send-mobile-code', target))
  }
  bind.tap('#submit')
  const register = await journey.next()
  expect(journey.route()).toBe('pages/register/index')
  await register.waitFor(() => register.data().ready)
  await register.flush()
  return { journey, register, arrivedAt: journey.state.requests.length }
}

/** After a one-tap attempt on the bind page with the WeChat phone `mobile`. */
async function atRegisterAfterOneTap(mobile: string): Promise<Arrival> {
  const journey = startJourney({ sandbox: env.sandbox })
  journey.open('/pages/launch/index')
  const bind = await journey.nextReady()
  agree(bind)
  bind.dispatch('#one-tap', 'getphonenumber', { code: `phone:${mobile}`, errMsg: 'getPhoneNumber:ok' })
  const register = await journey.next()
  expect(journey.route()).toBe('pages/register/index')
  await register.waitFor(() => register.data().ready)
  await register.flush()
  return { journey, register, arrivedAt: journey.state.requests.length }
}

/** The state token social/bind answered with USER_REGISTER. */
const registerStateToken = (journey: Journey) =>
  (JSON.parse(journey.state.requestsTo(EIAM_PATHS.bind)[0]?.responseText ?? '{}') as { state_token?: string })
    .state_token

describe('what the page says', () => {
  test('after an unknown phone it explains no account matches and one will be created for the masked phone', async () => {
    const phone = newPhone()
    const { journey, register, arrivedAt } = await atRegister(phone)

    expect(register.text('.heading')).toBe(zh.register.heading)
    expect(register.text('#intro')).toBe(
      fill(zh.register.intro, { organisation: '示例科技', target: `136****${phone.slice(-4)}` }),
    )
    expect(register.node.text()).not.toContain(phone)
    for (const id of ['#code', '#send-code', '#agree', '#submit']) expect(register.exists(id)).toBe(true)
    expect(register.exists('#one-tap')).toBe(false)
    expect(journey.state.navigationBarTitles).toContain(zh.register.title)
    expect(journey.requestPaths(arrivedAt)).toEqual([])
    expect(journey.secure('eiam.flow')).toMatchObject({
      flow: 'register',
      page: 'register',
      stateToken: registerStateToken(journey),
      attempt: { channel: 'mobile', value: phone },
    })
  })

  test('in English it explains the same', async () => {
    const phone = newPhone()
    const { register } = await atRegister(phone, { language: 'en' })

    expect(register.text('#intro')).toBe(
      `No account of Example Tech matches 136****${phone.slice(-4)}. ` +
        'Verify it once more and an account will be created for it.',
    )
    expect(register.text('#submit')).toBe(en.register.submit)
  })
})

describe('creating the account', () => {
  test('a REGISTER_SMS code after the captcha, then register-bind with the register state token, opens home', async () => {
    const phone = newPhone()
    const { journey, register, arrivedAt } = await atRegister(phone)

    agree(register)
    const code = await sendCodeVia(register, env.sandbox, '#send-code', phone)
    register.typeInto('#code', code)
    register.tap('#submit')
    const home = await journey.next()

    expect(journey.route()).toBe('pages/home/index')
    expect(journey.requestPaths(arrivedAt)).toEqual([
      'captcha',
      'captcha/verify',
      'sms/send',
      'social/register-bind',
    ])
    expect(journey.state.requestsTo(EIAM_PATHS.smsSend)[1]?.json).toMatchObject({
      mobile: phone,
      type: 'REGISTER_SMS',
    })
    const [registerBind] = journey.state.requestsTo(EIAM_PATHS.registerBind)
    expect(registerBind?.json).toEqual({ mobile: phone, verify_code: code })
    expect(registerBind?.headers['x-state-token']).toBe(registerStateToken(journey))
    expect(journey.secure('eiam.flow')).toBeUndefined()
    await home.waitFor(() => home.data().ready)
    expect(home.text('#mobile')).toBe(`136****${phone.slice(-4)}`)
  })

  test('by email: the masked email is named, a REGISTER_EMS code goes out and register-bind uses the email', async () => {
    const email = newEmail()
    const { journey, register, arrivedAt } = await atRegister(email, { channel: 'email' })
    expect(register.text('#intro')).toBe(
      fill(zh.register.intro, { organisation: '示例科技', target: 'n***@example.com' }),
    )
    expect(register.node.text()).not.toContain(email)

    agree(register)
    const code = await sendCodeVia(register, env.sandbox, '#send-code', email)
    register.typeInto('#code', code)
    register.tap('#submit')
    const home = await journey.next()

    expect(journey.requestCounts(arrivedAt)).toEqual({
      captcha: 1,
      'captcha/verify': 1,
      'email/send': 1,
      'social/register-bind': 1,
    })
    expect(journey.state.requestsTo(EIAM_PATHS.emailSend)[1]?.json).toMatchObject({
      email,
      type: 'REGISTER_EMS',
    })
    expect(journey.state.requestsTo(EIAM_PATHS.registerBind)[0]?.json).toEqual({ email, verify_code: code })
    await home.waitFor(() => home.data().ready)
    expect(home.text('#email')).toBe('n***@example.com')
  })

  test('sending before accepting the agreement says to accept it and sends nothing', async () => {
    const { journey, register, arrivedAt } = await atRegister(newPhone())
    // accepted on the bind page, so ticked here: the user unticks it
    expect(register.data().agreed).toBe(true)
    register.tap(TOGGLE_AGREEMENT)

    register.tap('#send-code')
    await register.flush()
    expect(register.text('#agree-error')).toBe(zh.validation.agreementRequired)
    expect(register.data<{ captcha: { open: boolean } }>().captcha.open).toBe(false)
    expect(journey.requestPaths(arrivedAt)).toEqual([])

    register.tap(TOGGLE_AGREEMENT)
    expect(register.exists('#agree-error')).toBe(false)
  })

  test('submitting without a code or without the agreement says what is missing and sends nothing', async () => {
    const { journey, register, arrivedAt } = await atRegister(newPhone())
    register.tap(TOGGLE_AGREEMENT) // accepted on the bind page: unticked here

    register.tap('#submit')
    expect(register.fieldError('#code')).toBe(zh.validation.codeRequired)
    expect(register.text('#agree-error')).toBe(zh.validation.agreementRequired)
    register.typeInto('#code', '12345x')
    agree(register)
    register.tap('#submit')
    expect(register.fieldError('#code')).toBe(zh.validation.codeDigits)
    await register.flush()
    expect(journey.requestPaths(arrivedAt)).toEqual([])
  })

  test('a wrong code is refused under the code field with what was typed kept; the right one then opens home', async () => {
    const phone = newPhone()
    const { journey, register } = await atRegister(phone)
    agree(register)
    const code = await sendCodeVia(register, env.sandbox, '#send-code', phone)
    await wrongCodeRefusedThenTypeRight(journey, register, code)
    register.tap('#submit')
    await journey.next()
    expect(journey.route()).toBe('pages/home/index')
    expect(journey.state.requestsTo(EIAM_PATHS.registerBind)).toHaveLength(2)
  })

  test('a busy tenant keeps the code typed and says so', async () => {
    const { journey, register } = await atRegister(newPhone())
    env.sandbox.fault({ path: EIAM_PATHS.registerBind, status: 500 })

    agree(register)
    expect(await noticeAfterSubmittingCode(register)).toBe(zh.error.server)
    expect(journey.pendingNavigation()).toEqual([])
  })

  test('after the send, another tap waits for the countdown instead of opening a new puzzle', async () => {
    const phone = newPhone()
    const { journey, register } = await atRegister(phone)
    agree(register)
    await sendCodeVia(register, env.sandbox, '#send-code', phone)
    const puzzles = journey.state.requestsTo(EIAM_PATHS.captcha).length

    register.tap('#send-code')
    await register.flush()
    expect(journey.state.toasts.at(-1)?.title).toMatch(/\d+/)
    expect(journey.state.requestsTo(EIAM_PATHS.captcha)).toHaveLength(puzzles)
    expect(env.sandbox.outbox().filter((sent) => sent.type === 'REGISTER_SMS')).toHaveLength(1)
  })
})

describe('after a one-tap attempt', () => {
  test('it offers one-tap again, and wechat-mobile-register-bind creates the account', async () => {
    const { journey, register, arrivedAt } = await atRegisterAfterOneTap('13600009999')

    expect(register.text('#intro')).toBe(fill(zh.register.introOneTap, { organisation: '示例科技' }))
    expect(register.exists('#one-tap')).toBe(true)
    expect(register.exists('#code')).toBe(false)
    expect(register.exists('#submit')).toBe(false)

    // accepted on the bind page: the button is WeChat's right away
    expect(register.data().agreed).toBe(true)
    expect(register.get('#one-tap').data).toMatchObject({ openType: 'getPhoneNumber' })
    register.dispatch('#one-tap', 'getphonenumber', {
      code: 'phone:13600009999',
      errMsg: 'getPhoneNumber:ok',
    })
    const home = await journey.next()
    expect(journey.requestPaths(arrivedAt)).toEqual(['social/wechat-mobile-register-bind'])
    const [oneTap] = journey.state.requestsTo(EIAM_PATHS.oneTapRegisterBind)
    expect(oneTap?.json).toEqual({ wechat_code: 'phone:13600009999' })
    expect(oneTap?.headers['x-state-token']).toBe(
      (
        JSON.parse(journey.state.requestsTo(EIAM_PATHS.oneTapBind)[0]?.responseText ?? '{}') as {
          state_token?: string
        }
      ).state_token,
    )
    await home.waitFor(() => home.data().ready)
    expect(home.text('#mobile')).toBe('136****9999')
  })

  test('declining to share the phone says how else to verify and sends nothing', async () => {
    const { journey, register, arrivedAt } = await atRegisterAfterOneTap('13600009998')

    agree(register)
    register.dispatch('#one-tap', 'getphonenumber', { errMsg: 'getPhoneNumber:fail user deny' })
    await register.flush()
    expect(register.text('#notice')).toBe(zh.error.oneTapDenied)
    expect(journey.requestPaths(arrivedAt)).toEqual([])
    expect(journey.pendingNavigation()).toEqual([])
  })
})

describe('without a live register flow', () => {
  test('opened with none, it signs in again and goes where the login leads', async () => {
    const journey = startJourney({ sandbox: env.sandbox })
    const register = journey.open('/pages/register/index')
    await register.waitFor(() => journey.pendingNavigation().length)

    expect(journey.pendingNavigation()).toEqual([{ method: 'redirectTo', url: '/pages/bind/index' }])
    expect(journey.requestCounts()).toEqual({ 'login/wechat-miniprogram': 1 })
    expect(journey.secure('eiam.flow')).toMatchObject({ flow: 'bind', page: 'bind' })
  })

  test('opened when the register flow has aged out, it signs in again instead of using the dead state token', async () => {
    const { journey } = await atRegister(newPhone())
    const since = journey.state.requests.length
    moveClock(11 * 60 * 1000)

    const register = journey.open('/pages/register/index')
    await register.waitFor(() => journey.pendingNavigation().length)
    expect(journey.pendingNavigation()).toEqual([{ method: 'redirectTo', url: '/pages/bind/index' }])
    expect(journey.requestPaths(since)).toEqual(['login/wechat-miniprogram'])
  })

  test('opened with none while offline, it says so and offers "not now"', async () => {
    const journey = startJourney({ sandbox: env.sandbox, wx: { offline: true } })
    const register = journey.open('/pages/register/index')
    await register.waitFor(() => register.exists('#notice'))

    expect(register.text('#notice')).toBe(zh.error.network)
    expect(register.exists('#not-now')).toBe(true)
    expect(journey.pendingNavigation()).toEqual([])
  })

  test('a state-token error on register-bind restarts login silently; the new login says bind, so it goes there', async () => {
    const phone = newPhone()
    const { journey, register, arrivedAt } = await atRegister(phone)
    env.sandbox.fault(
      errorFault(EIAM_PATHS.registerBind, 'IDAAS.SDK.COMMON.1007', 'state_token parameter error'),
    )

    agree(register)
    register.typeInto('#code', '123456')
    register.tap('#submit')
    await register.waitFor(() => journey.pendingNavigation().length)
    expect(journey.requestPaths(arrivedAt)).toEqual(['social/register-bind', 'login/wechat-miniprogram'])
    expect(journey.pendingNavigation()).toEqual([{ method: 'redirectTo', url: '/pages/bind/index' }])
    expect(journey.secure('eiam.flow')).toMatchObject({ flow: 'bind' })
  })
})

describe('what survives', () => {
  test('after a restart of the mini program the page still knows the target and completes with the stored state token', async () => {
    const phone = newPhone()
    const { journey, arrivedAt } = await atRegister(phone)

    const register = journey.open('/pages/register/index', { fresh: true })
    await register.waitFor(() => register.data().ready)
    expect(register.text('#intro')).toContain(`136****${phone.slice(-4)}`)
    agree(register)
    register.typeInto('#code', await sendCodeVia(register, env.sandbox, '#send-code', phone))
    register.tap('#submit')
    await journey.next()

    expect(journey.route()).toBe('pages/home/index')
    expect(journey.requestCounts(arrivedAt)).toEqual({
      captcha: 1,
      'captcha/verify': 1,
      'sms/send': 1,
      'social/register-bind': 1,
    })
    expect(journey.state.requestsTo(EIAM_PATHS.registerBind)[0]?.headers['x-state-token']).toBe(
      registerStateToken(journey),
    )
  })

  test('"not now" ends the flow and opens launch waiting for a tap', async () => {
    const { journey, register, arrivedAt } = await atRegister(newPhone())

    register.tap('#not-now')
    await register.waitFor(() => journey.pendingNavigation().length)
    expect(journey.pendingNavigation()).toEqual([{ method: 'reLaunch', url: '/pages/launch/index?manual=1' }])
    expect(journey.secure('eiam.flow')).toBeUndefined()
    expect(journey.requestPaths(arrivedAt)).toEqual([])
  })
})
