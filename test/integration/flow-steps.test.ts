/**
 * The steps the flow pages take (services/flow.ts), called as the pages call them: with what the user typed, never
 * a state token. Each step must pick its endpoint from the live flow (bind or register), keep the attempt in the
 * flow record for the page that comes next, and answer the route the server's status leads to.
 */
import type { Attempt, FlowRecord } from '../../miniprogram/services/flow-store'
import { EIAM_PATHS } from '../../miniprogram/services/eiam'
import { appOn, secureValue, type App } from '../support/client'
import { SEEDED, useSandbox } from '../support/sandbox'

const bindMode = useSandbox()
const registerMode = useSandbox({ mode: 'register' })
const autoMode = useSandbox({ mode: 'auto' })

const page = (name: string, method = 'redirectTo') => ({ kind: 'go', method, url: `/pages/${name}/index` })
const HOME = page('home', 'reLaunch')

/** Paths the app called after sign-in, in order (captcha and code requests left out). */
const stepPaths = (app: App) =>
  app.state.requests
    .map((request) => request.path)
    .filter((path) => path !== EIAM_PATHS.login && !/captcha|send/.test(path))

const storedAttempt = (app: App) => secureValue<FlowRecord>(app, 'eiam.flow')?.attempt

const NEW_MOBILE = '13600136000'
const NEW_EMAIL = 'newcomer@example.com'

describe('linkAccount(identity, code) picks the endpoint from the flow the bind page serves', () => {
  test.each([
    ['bind', 'mobile', bindMode, SEEDED.zhangsan.mobile, EIAM_PATHS.bind],
    ['bind', 'email', bindMode, SEEDED.zhangsan.email, EIAM_PATHS.bind],
    ['register', 'mobile', registerMode, NEW_MOBILE, EIAM_PATHS.registerBind],
    ['register', 'email', registerMode, NEW_EMAIL, EIAM_PATHS.registerBind],
  ] as const)(
    '%s flow by %s: one request to the right endpoint, then home',
    async (flowName, channel, context, target, path) => {
      const app = appOn(context)
      await app.services.flow.signIn()
      const code = await app.sendCode(flowName, channel, target)
      const identity = channel === 'mobile' ? { mobile: target } : { email: target }

      await expect(app.services.flow.linkAccount(identity, code)).resolves.toEqual(HOME)

      expect(stepPaths(app)).toEqual([path])
      expect(JSON.parse(app.state.requestsTo(path)[0]?.body ?? '{}')).toEqual({
        ...identity,
        verify_code: code,
      })
    },
  )

  test.each(['mobile', 'email'] as const)(
    'a bind by %s that asks for a second factor keeps what was typed as the attempt',
    async (channel) => {
      const app = appOn(bindMode)
      await app.services.flow.signIn()
      const target = SEEDED.lisi[channel]
      const code = await app.sendCode('bind', channel, target)

      const route = await app.services.flow.linkAccount(
        channel === 'mobile' ? { mobile: target } : { email: target },
        code,
      )

      expect(route).toEqual(page('mfa'))
      expect(storedAttempt(app)).toEqual({ channel, value: target })
    },
  )

  test('without a live flow it signs in again first, and a flow that is not the bind page goes there instead', async () => {
    const app = appOn(bindMode, 'lisi')

    await expect(app.services.flow.linkAccount({ mobile: SEEDED.lisi.mobile }, '123456')).resolves.toEqual(
      page('mfa'),
    )
    expect(stepPaths(app)).toEqual([])
  })
})

describe('linkWithWeChatPhone(code)', () => {
  test.each([
    ['bind', bindMode, SEEDED.zhangsan.mobile, EIAM_PATHS.oneTapBind],
    ['register', registerMode, NEW_MOBILE, EIAM_PATHS.oneTapRegisterBind],
  ] as const)(
    'in the %s flow it calls its own endpoint with the phone code',
    async (_flow, context, mobile, path) => {
      const app = appOn(context)
      await app.services.flow.signIn()

      await expect(app.services.flow.linkWithWeChatPhone(`phone:${mobile}`)).resolves.toEqual(HOME)

      expect(stepPaths(app)).toEqual([path])
    },
  )

  test('the register page names its flow: with no flow stored, it signs in and registers', async () => {
    const app = appOn(registerMode)

    await expect(app.services.flow.linkWithWeChatPhone(`phone:${NEW_MOBILE}`, 'register')).resolves.toEqual(
      HOME,
    )

    expect(stepPaths(app)).toEqual([EIAM_PATHS.oneTapRegisterBind])
  })

  test('the attempt it keeps says one-tap, with no number (WeChat holds it)', async () => {
    const app = appOn(bindMode)
    await app.services.flow.signIn()

    await expect(app.services.flow.linkWithWeChatPhone(`phone:${SEEDED.lisi.mobile}`)).resolves.toEqual(
      page('mfa'),
    )
    expect(storedAttempt(app)).toEqual({ channel: 'mobile', value: '', oneTap: true })
  })
})

describe('registerAccount(attempt, code), after a bind answered USER_REGISTER', () => {
  test.each<Attempt>([
    { channel: 'mobile', value: NEW_MOBILE },
    { channel: 'email', value: NEW_EMAIL },
  ])('registers the $channel of the attempt and signs the new user in', async (attempt) => {
    const app = appOn(autoMode)
    const { flow } = app.services
    await flow.signIn()
    const identity = attempt.channel === 'mobile' ? { mobile: attempt.value } : { email: attempt.value }
    const bindCode = await app.sendCode('bind', attempt.channel, attempt.value)
    await expect(flow.linkAccount(identity, bindCode)).resolves.toEqual(page('register'))
    expect(storedAttempt(app)).toEqual(attempt)
    const registerCode = await app.sendCode('register', attempt.channel, attempt.value)

    await expect(flow.registerAccount(attempt, registerCode)).resolves.toEqual(HOME)

    expect(stepPaths(app)).toEqual([EIAM_PATHS.bind, EIAM_PATHS.registerBind])
    const sent = JSON.parse(app.state.requestsTo(EIAM_PATHS.registerBind)[0]?.body ?? '{}')
    expect(sent).toEqual({ ...identity, verify_code: registerCode })
  })
})

describe('the second factor', () => {
  test('mfaMobile answers the phone of the user in the mfa flow', async () => {
    const app = appOn(bindMode, 'lisi')
    await app.services.flow.signIn()

    await expect(app.services.flow.mfaMobile()).resolves.toEqual({ mobile: '13900139000' })
  })

  test('mfaMobile outside an mfa flow answers where to go instead, and asks for no phone', async () => {
    const app = appOn(bindMode)

    await expect(app.services.flow.mfaMobile()).resolves.toEqual({ route: page('bind') })
    expect(app.state.requestsTo(EIAM_PATHS.mobileByToken)).toHaveLength(0)
  })

  test.each([
    ['mobile', EIAM_PATHS.mfaSms, { mobile: SEEDED.lisi.mobile }],
    ['email', EIAM_PATHS.mfaEmail, { email: SEEDED.lisi.email }],
  ] as const)(
    'verifySecondFactor by %s sends the code to its own endpoint and goes home',
    async (channel, path, target) => {
      const app = appOn(bindMode, 'lisi')
      await app.services.flow.signIn()
      const value = channel === 'mobile' ? SEEDED.lisi.mobile : SEEDED.lisi.email
      const code = await app.sendCode('mfa', channel, value)

      await expect(app.services.flow.verifySecondFactor(channel, value, code)).resolves.toEqual(HOME)

      expect(stepPaths(app)).toEqual([path])
      expect(JSON.parse(app.state.requestsTo(path)[0]?.body ?? '{}')).toMatchObject(target)
    },
  )
})

describe('openFlow()', () => {
  test('answers the live flow without its state token, and nothing once the flow ended', async () => {
    const app = appOn(bindMode, 'lisi')
    const { flow } = app.services
    expect(await flow.openFlow()).toBeUndefined()
    await flow.signIn()

    const view = await flow.openFlow()

    expect(view).toEqual({ flow: 'mfa', channels: ['mobile', 'email'], page: 'mfa', attempt: undefined })
    expect(JSON.stringify(view)).not.toContain(String(secureValue<FlowRecord>(app, 'eiam.flow')?.stateToken))
    const code = await app.sendCode('mfa', 'mobile', SEEDED.lisi.mobile)
    await flow.verifySecondFactor('mobile', SEEDED.lisi.mobile, code)
    expect(await flow.openFlow()).toBeUndefined()
  })
})
