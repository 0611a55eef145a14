/**
 * The whole journey at the service level, as the pages drive it: sign in → (captcha → code → bind | register | mfa)
 * → where the route leads, for each seeded user and each sandbox mode. Codes come from the sandbox's outbox.
 */
import type { Route } from '../../miniprogram/services/router'
import { EIAM_PATHS } from '../../miniprogram/services/eiam'
import { appOn, type App, mobileDraft, signedInOn } from '../support/client'
import { SEEDED, useSandbox } from '../support/sandbox'

const bindMode = useSandbox()
const registerMode = useSandbox({ mode: 'register' })
const autoMode = useSandbox({ mode: 'auto' })

const HOME: Route = { kind: 'go', method: 'reLaunch', url: '/pages/home/index' }
const DENIED: Route = { kind: 'go', method: 'reLaunch', url: '/pages/denied/index' }
const BIND_PAGE: Route = { kind: 'go', method: 'redirectTo', url: '/pages/bind/index' }
const REGISTER_PAGE: Route = { kind: 'go', method: 'redirectTo', url: '/pages/register/index' }
const MFA_PAGE: Route = { kind: 'go', method: 'redirectTo', url: '/pages/mfa/index' }

/** Where the route leads, as the page would go there. */
async function follow(app: App, route: Route): Promise<string | undefined> {
  await app.services.flow.navigate(route)
  return app.state.route()
}

async function displayedUser(app: App) {
  const stored = await app.services.session.usableSession()
  if (!stored) throw new Error('no usable session')
  return app.services.session.claimsOf(stored)
}

type Channel = 'mobile' | 'email'
const identityOf = (channel: Channel, target: string) =>
  channel === 'mobile' ? { mobile: target } : { email: target }

/** The bind page: captcha, code from the sandbox, then social/bind through runStep. */
async function bindStep(app: App, channel: Channel, target: string): Promise<Route> {
  const code = await app.sendCode('bind', channel, target)
  return app.services.flow.runStep(
    'bind',
    (stateToken) => app.services.eiam.socialBind(stateToken, identityOf(channel, target), code),
    { channel, value: target },
  )
}

/** The register page (or the bind page in its register flow). */
async function registerStep(app: App, channel: Channel, target: string): Promise<Route> {
  const code = await app.sendCode('register', channel, target)
  return app.services.flow.runStep('register', (stateToken) =>
    app.services.eiam.socialRegisterBind(stateToken, identityOf(channel, target), code),
  )
}

describe.each<Channel>(['mobile', 'email'])('by %s', (channel) => {
  test('zhangsan binds and lands home signed in, and the next launch goes straight home', async () => {
    const app = appOn(bindMode)
    const { flow } = app.services

    expect(await follow(app, (await flow.signIn()).route)).toBe('/pages/bind/index')
    const route = await bindStep(app, channel, SEEDED.zhangsan[channel])

    expect(route).toEqual(HOME)
    expect(await follow(app, route)).toBe('/pages/home/index')
    expect(await displayedUser(app)).toMatchObject({ name: '张三', userName: 'zhangsan' })
    const reopened = app.restart()
    await expect(reopened.services.flow.resumeRoute()).resolves.toEqual(HOME)
    await expect(reopened.services.flow.signIn()).resolves.toHaveProperty('route', HOME)
  })

  test('lisi binds, is asked for the second factor, passes it by SMS and lands home', async () => {
    const app = await signedInOn(bindMode)
    const { eiam, flow } = app.services

    const afterBind = await bindStep(app, channel, SEEDED.lisi[channel])
    expect(afterBind).toEqual(MFA_PAGE)
    const phone = await flow.withStateToken('mfa', eiam.mobileByToken)
    expect(phone).toMatchObject({ ok: true, value: '13900139000' })
    const code = await app.sendCode('mfa', 'mobile', SEEDED.lisi.mobile)
    const route = await flow.runStep('mfa', (stateToken) =>
      eiam.mfaBySms(stateToken, SEEDED.lisi.mobile, code),
    )

    expect(route).toEqual(HOME)
    expect(await displayedUser(app)).toMatchObject({ name: '李四', userName: 'lisi' })
    expect(bindMode.sandbox.outbox().map((sent) => sent.type)).toEqual([
      channel === 'mobile' ? 'BIND_MOBILE_SMS' : 'BIND_EMAIL_EMS',
      'MFA_AUTH_SMS',
    ])
    // MFA every time: the next sign-in asks again
    await expect(app.restart().services.flow.signIn()).resolves.toHaveProperty('route', MFA_PAGE)
  })

  test('wangwu binds and is refused by policy: denied page, no session, no flow', async () => {
    const app = await signedInOn(bindMode)

    const route = await bindStep(app, channel, SEEDED.wangwu[channel])

    expect(route).toEqual(DENIED)
    expect(await follow(app, route)).toBe('/pages/denied/index')
    // the support code stays: the denied page shows it
    expect([...app.state.storage.keys()].sort()).toEqual([
      'eiam.countdowns',
      'eiam.fingerprint',
      'eiam.support',
    ])
    await expect(app.restart().services.flow.signIn()).resolves.toHaveProperty('route', DENIED)
  })
})

test('lisi can pass the second factor by email', async () => {
  const app = appOn(bindMode)
  const { eiam, flow } = app.services
  bindMode.sandbox.linkIdentity(app.fingerprint() as string, 'lisi')

  expect((await flow.signIn()).route).toEqual(MFA_PAGE)
  const code = await app.sendCode('mfa', 'email', SEEDED.lisi.email)
  const route = await flow.runStep('mfa', (stateToken) =>
    eiam.mfaByEmail(stateToken, SEEDED.lisi.email, code),
  )

  expect(route).toEqual(HOME)
  expect(bindMode.sandbox.outbox().map((sent) => sent.type)).toEqual(['MFA_AUTH_EMS'])
})

test('one-tap bind with the WeChat phone signs zhangsan in', async () => {
  const app = await signedInOn(bindMode)
  const { eiam, flow } = app.services

  const route = await flow.runStep(
    'bind',
    (stateToken) => eiam.wechatMobileBind(stateToken, `phone:${SEEDED.zhangsan.mobile}`),
    { channel: 'mobile', value: SEEDED.zhangsan.mobile, oneTap: true },
  )

  expect(route).toEqual(HOME)
  expect(bindMode.sandbox.outbox()).toEqual([])
})

test('a wrong code keeps the flow: the user corrects it with the same code and binds', async () => {
  const app = await signedInOn(bindMode)
  const { eiam, flow } = app.services
  const code = await app.sendCode('bind', 'mobile', SEEDED.zhangsan.mobile)
  const wrong = code === '000000' ? '111111' : '000000'

  const error = await app.failure(
    flow.runStep('bind', (stateToken) =>
      eiam.socialBind(stateToken, { mobile: SEEDED.zhangsan.mobile }, wrong),
    ),
  )
  expect([error.kind, app.services.errors.fieldOf(error)]).toEqual(['rejected', 'code'])
  const route = await flow.runStep('bind', (stateToken) =>
    eiam.socialBind(stateToken, { mobile: SEEDED.zhangsan.mobile }, code),
  )

  expect(route).toEqual(HOME)
  expect(app.state.requestsTo(EIAM_PATHS.login)).toHaveLength(1)
})

test('the journey survives the app being killed between the code and the bind', async () => {
  const first = await signedInOn(bindMode)
  await first.services.flow.saveDraft(mobileDraft(SEEDED.zhangsan.mobile))
  const code = await first.sendCode('bind', 'mobile', SEEDED.zhangsan.mobile)
  const endsAt = first.services.codes.cooldownEndsAt('bind', 'mobile', SEEDED.zhangsan.mobile)

  const app = first.restart()
  const { eiam, flow } = app.services
  const resumed = await flow.resumeRoute()
  const draft = await flow.loadDraft()
  const route = await flow.runStep('bind', (stateToken) =>
    eiam.socialBind(stateToken, { mobile: draft?.mobile ?? '' }, code),
  )

  expect(resumed).toEqual(BIND_PAGE)
  expect(app.services.codes.cooldownEndsAt('bind', 'mobile', SEEDED.zhangsan.mobile)).toBe(endsAt)
  expect(route).toEqual(HOME)
  expect(app.state.loginCalls).toBe(0)
  expect(app.state.requests.map((request) => request.path)).toEqual([EIAM_PATHS.bind])
})

describe('register mode', () => {
  test.each<[Channel, string]>([
    ['mobile', '13600136000'],
    ['email', 'new.colleague@example.com'],
  ])('a new %s registers from the bind page in its register flow and lands home', async (channel, target) => {
    const app = appOn(registerMode)

    expect((await app.services.flow.signIn()).route).toEqual(BIND_PAGE)
    const route = await registerStep(app, channel, target)

    expect(route).toEqual(HOME)
    expect(await displayedUser(app)).toMatchObject({ name: target, userName: target })
    expect(registerMode.sandbox.outbox().map((sent) => sent.type)).toEqual([
      channel === 'mobile' ? 'REGISTER_SMS' : 'REGISTER_EMS',
    ])
  })

  test('a known phone in the register flow binds that user (lisi: second factor next)', async () => {
    const app = await signedInOn(registerMode)

    await expect(registerStep(app, 'mobile', SEEDED.lisi.mobile)).resolves.toEqual(MFA_PAGE)
  })

  test('one-tap register-bind creates the user', async () => {
    const app = await signedInOn(registerMode)
    const { eiam, flow } = app.services

    const route = await flow.runStep('register', (stateToken) =>
      eiam.wechatMobileRegisterBind(stateToken, 'phone:13500135000'),
    )

    expect(route).toEqual(HOME)
    expect(await displayedUser(app)).toMatchObject({ mobile: '+86-13500135000' })
  })
})

describe('auto mode', () => {
  test('a bind with an unknown phone opens the register page, which completes the registration', async () => {
    const app = appOn(autoMode)
    const { flow } = app.services

    expect((await flow.signIn()).route).toEqual(BIND_PAGE)
    const afterBind = await bindStep(app, 'mobile', '13600136000')
    expect(afterBind).toEqual(REGISTER_PAGE)
    const record = await flow.currentFlow()
    expect(record).toMatchObject({ flow: 'register', attempt: { channel: 'mobile', value: '13600136000' } })
    const route = await registerStep(app, record?.attempt?.channel ?? 'mobile', record?.attempt?.value ?? '')

    expect(route).toEqual(HOME)
    expect(await displayedUser(app)).toMatchObject({ name: '13600136000' })
    expect(autoMode.sandbox.outbox().map((sent) => sent.type)).toEqual(['BIND_MOBILE_SMS', 'REGISTER_SMS'])
    await expect(app.restart().services.flow.signIn()).resolves.toHaveProperty('route', HOME)
  })

  test('a known user still binds directly', async () => {
    const app = await signedInOn(autoMode)

    await expect(bindStep(app, 'email', SEEDED.zhangsan.email)).resolves.toEqual(HOME)
  })

  test('the register page resumes after a reload with its attempt', async () => {
    const first = await signedInOn(autoMode)
    await bindStep(first, 'email', 'someone.new@example.com')

    const app = first.restart()

    await expect(app.services.flow.resumeRoute()).resolves.toEqual(REGISTER_PAGE)
    await expect(registerStep(app, 'email', 'someone.new@example.com')).resolves.toEqual(HOME)
  })
})
