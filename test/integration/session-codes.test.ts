/**
 * services/session.ts and services/codes.ts against the sandbox: what they keep in storage, across a fresh app, and
 * how many requests they make however many callers ask.
 */
import type { StoredSession } from '../../miniprogram/services/session'
import { EIAM_PATHS } from '../../miniprogram/services/eiam'
import { appOn, secureValue, setAppClock, type App } from '../support/client'
import { SEEDED, claimsOf, realTime, useSandbox } from '../support/sandbox'

const context = useSandbox()

/** Signs in through the flow; with `idTokenIssuedHoursAgo` the sandbox issues an id_token whose exp has passed. */
async function signedIn(user: keyof typeof SEEDED = 'zhangsan', idTokenIssuedHoursAgo = 0): Promise<App> {
  const app = appOn(context, user)
  context.clock.advanceS(-idTokenIssuedHoursAgo * 3600)
  const { route } = await app.services.flow.signIn()
  context.clock.reset()
  expect(route).toMatchObject({ url: '/pages/home/index' })
  return app
}

describe('the session', () => {
  test('is kept in encrypted storage with absolute expiries', async () => {
    const before = Date.now()
    const app = await signedIn()
    const after = Date.now()

    const session = secureValue<StoredSession>(app, 'eiam.session') as StoredSession
    const answer = JSON.parse(app.state.requestsTo(EIAM_PATHS.login)[0]?.responseText ?? '{}') as Record<
      string,
      string
    >
    expect(session.sessionToken).toBe(answer.session_token)
    expect(session.idToken).toBe(answer.id_token)
    expect(session.sessionExpiresAt).toBeGreaterThanOrEqual(before + 432000 * 1000)
    expect(session.sessionExpiresAt).toBeLessThanOrEqual(after + 432000 * 1000)
    expect(session.idTokenExpiresAt).toBe((claimsOf(answer.id_token as string).exp as number) * 1000)
    const plainRead = String(app.wx.getStorageSync('eiam.session'))
    expect(plainRead).not.toContain(session.sessionToken)
    expect(plainRead).not.toContain(session.idToken)
  })

  test('its claims decode for display, Chinese name included', async () => {
    const app = await signedIn()
    const { session } = app.services

    const stored = (await session.loadSession()) as StoredSession

    expect(session.sessionState(stored)).toBe('valid')
    expect(session.claimsOf(stored)).toMatchObject({
      sub: 'zhangsan',
      id: '10001',
      name: '张三',
      userName: 'zhangsan',
      mobile: '+86-13800138000',
      email: 'zhangsan@example.com',
    })
  })

  test('is read back by a fresh app', async () => {
    const first = await signedIn()
    const firstSession = await first.services.session.loadSession()

    const app = first.restart()

    await expect(app.services.session.loadSession()).resolves.toEqual(firstSession)
    await expect(app.services.session.usableSession()).resolves.toEqual(firstSession)
    expect(app.state.requests).toEqual([])
  })

  test('one refresh is in flight however many callers ask, and the user stays signed in', async () => {
    const app = await signedIn()
    const { session } = app.services
    const old = (await session.loadSession()) as StoredSession

    const results = await Promise.all([
      session.refreshSession(),
      session.refreshSession(),
      session.refreshSession(),
    ])

    expect(context.sandbox.requests().filter((request) => request.path === EIAM_PATHS.refresh)).toHaveLength(
      1,
    )
    expect(results[1]).toEqual(results[0])
    expect(results[2]).toEqual(results[0])
    const stored = (await session.loadSession()) as StoredSession
    expect(stored).toEqual(results[0])
    expect(stored.sessionToken).not.toBe(old.sessionToken)
    // still signed in: the rotated token refreshes again
    await expect(session.refreshSession()).resolves.toMatchObject({ sessionExpiresAt: expect.any(Number) })
    expect(app.state.requestsTo(EIAM_PATHS.refresh)).toHaveLength(2)
  })

  test('two launches asking for a usable session with an expired id_token make one refresh and keep the user signed in', async () => {
    const first = await signedIn('zhangsan', 2)
    const app = first.restart()
    const { session } = app.services

    const [one, two] = await Promise.all([session.usableSession(), session.usableSession()])

    expect(app.state.requestsTo(EIAM_PATHS.refresh)).toHaveLength(1)
    expect(one).toEqual(two)
    expect(session.sessionState(one)).toBe('valid')
    await expect(app.restart().services.session.usableSession()).resolves.toEqual(one)
  })

  test('a refresh after the previous one settled rotates again', async () => {
    const app = await signedIn()
    const { session } = app.services
    const signedInWith = (await session.loadSession()) as StoredSession

    const first = await session.refreshSession()
    const second = await session.refreshSession()

    expect(second.sessionToken).not.toBe(first.sessionToken)
    expect(
      app.state.requestsTo(EIAM_PATHS.refresh).map((request) => request.headers['x-session-token']),
    ).toEqual([signedInWith.sessionToken, first.sessionToken])
    expect(secureValue<StoredSession>(app, 'eiam.session')).toEqual(second)
  })

  test('a refused refresh drops the session and says so', async () => {
    const app = await signedIn()
    context.sandbox.reset() // the tenant forgot every session

    const error = await app.failure(app.services.session.refreshSession())

    expect([error.kind, error.code]).toEqual(['session', 'SDK.PARAM.0023'])
    expect(app.state.storage.has('eiam.session')).toBe(false)
    expect(app.services.feedback.messageOf(error)).toBe(app.services.i18n.t('error.session'))
  })

  test('a refresh that fails in transit keeps the session for a later try', async () => {
    const app = await signedIn()
    const before = await app.services.session.loadSession()
    context.sandbox.fault({ path: EIAM_PATHS.refresh, drop: true })

    const error = await app.failure(app.services.session.refreshSession())

    expect(error.kind).toBe('network')
    await expect(app.services.session.loadSession()).resolves.toEqual(before)
    await expect(app.services.session.refreshSession()).resolves.toMatchObject({
      idToken: expect.any(String),
    })
  })

  test('with no session there is nothing to refresh and nothing is sent', async () => {
    const app = appOn(context)

    await expect(app.services.session.refreshSession()).rejects.toThrow('no session to refresh')
    await expect(app.services.session.usableSession()).resolves.toBeUndefined()
    expect(app.state.requests).toEqual([])
  })

  test('an id_token within the leeway of its exp counts as expired', async () => {
    const app = await signedIn()
    const { session } = app.services
    const stored = (await session.loadSession()) as StoredSession

    expect(session.sessionState(stored, stored.idTokenExpiresAt - 31 * 1000)).toBe('valid')
    expect(session.sessionState(stored, stored.idTokenExpiresAt - 29 * 1000)).toBe('id-token-expired')
    expect(session.sessionState(stored, stored.sessionExpiresAt)).toBe('expired')
  })

  test('signOut drops the session, the flow and the draft, and keeps the fingerprint, the countdowns and the support code', async () => {
    const signedInApp = await signedIn()
    await signedInApp.sendCode('bind', 'mobile', SEEDED.zhangsan.mobile)
    // another WeChat identity on the same phone storage starts a bind flow, with a draft
    signedInApp.state.storage.set('eiam.fingerprint', { value: 'fp-session-unlinked', encrypted: false })
    const app = signedInApp.restart()
    await app.services.flow.signIn()
    await app.services.flow.saveDraft({ tab: 'email', areaCode: '+86', mobile: '', email: SEEDED.lisi.email })
    expect([...app.state.storage.keys()].sort()).toEqual([
      'eiam.countdowns',
      'eiam.draft',
      'eiam.fingerprint',
      'eiam.flow',
      'eiam.session',
      'eiam.support',
    ])
    const fingerprint = app.state.storage.get('eiam.fingerprint')
    const countdowns = app.state.storage.get('eiam.countdowns')

    await app.services.session.signOut()

    // the support code is no secret: an error on the launch page after sign-out still quotes the last attempt;
    // and, as BambooCloud has no logout, when the session on the server ends (a time, in plain storage)
    expect([...app.state.storage.keys()].sort()).toEqual([
      'eiam.countdowns',
      'eiam.fingerprint',
      'eiam.signOutNotice',
      'eiam.support',
    ])
    expect(app.state.storage.get('eiam.signOutNotice')).toEqual({
      value: expect.any(Number),
      encrypted: false,
    })
    expect(app.state.storage.get('eiam.fingerprint')).toEqual(fingerprint)
    expect(app.state.storage.get('eiam.countdowns')).toEqual(countdowns)
    const reopened = app.restart()
    await expect(reopened.services.flow.resumeRoute()).resolves.toBeUndefined()
    expect(reopened.services.codes.cooldownEndsAt('bind', 'mobile', SEEDED.zhangsan.mobile)).toBeGreaterThan(
      Date.now(),
    )
  })
})

test('signOut while a refresh is on its way leaves no session behind', async () => {
  const app = await signedIn()
  const { session } = app.services

  const refreshing = session.refreshSession()
  await session.signOut()
  await refreshing

  expect(app.state.requestsTo(EIAM_PATHS.refresh)).toHaveLength(1)
  expect(app.state.storage.has('eiam.session')).toBe(false)
  await expect(app.restart().services.flow.resumeRoute()).resolves.toBeUndefined()
})

describe('the code countdowns', () => {
  test('an end time per purpose + channel + target survives a fresh app with the same storage', async () => {
    const first = appOn(context)
    const before = Date.now()
    const captchaToken = await first.solveCaptcha(SEEDED.zhangsan.mobile)
    const endsAt = await first.services.codes.sendVerificationCode(
      'bind',
      'mobile',
      SEEDED.zhangsan.mobile,
      captchaToken,
    )
    const after = Date.now()

    const app = first.restart()
    const { cooldownEndsAt } = app.services.codes

    expect(endsAt).toBeGreaterThanOrEqual(before + 60 * 1000)
    expect(endsAt).toBeLessThanOrEqual(after + 60 * 1000)
    expect(cooldownEndsAt('bind', 'mobile', SEEDED.zhangsan.mobile)).toBe(endsAt)
    expect(cooldownEndsAt('register', 'mobile', SEEDED.zhangsan.mobile)).toBe(0)
    expect(cooldownEndsAt('bind', 'email', SEEDED.zhangsan.mobile)).toBe(0)
    expect(cooldownEndsAt('bind', 'mobile', SEEDED.lisi.mobile)).toBe(0)
    expect(cooldownEndsAt('bind', 'mobile', '')).toBe(0)
  })

  test('the same email in other case and spacing shares its countdown', async () => {
    const first = appOn(context)
    await first.sendCode('bind', 'email', SEEDED.zhangsan.email)

    const app = first.restart()

    expect(app.services.codes.cooldownEndsAt('bind', 'email', ' ZhangSan@Example.com ')).toBeGreaterThan(
      Date.now(),
    )
  })

  test('countdowns of several purposes and targets are kept side by side', async () => {
    const first = appOn(context)
    await first.sendCode('bind', 'mobile', SEEDED.lisi.mobile)
    await first.sendCode('mfa', 'mobile', SEEDED.lisi.mobile)
    await first.sendCode('bind', 'email', SEEDED.lisi.email)

    const app = first.restart()
    const { cooldownEndsAt } = app.services.codes

    expect(cooldownEndsAt('bind', 'mobile', SEEDED.lisi.mobile)).toBeGreaterThan(Date.now())
    expect(cooldownEndsAt('mfa', 'mobile', SEEDED.lisi.mobile)).toBeGreaterThan(Date.now())
    expect(cooldownEndsAt('bind', 'email', SEEDED.lisi.email)).toBeGreaterThan(Date.now())
    expect(Object.keys(app.state.storage.get('eiam.countdowns')?.value as object)).toHaveLength(3)
  })

  test('are keyed by a hash: no phone or email appears in their storage keys or values', async () => {
    const app = appOn(context)
    await app.sendCode('bind', 'mobile', SEEDED.zhangsan.mobile)
    await app.sendCode('register', 'mobile', '+852-51234567')
    await app.sendCode('bind', 'email', SEEDED.zhangsan.email)

    const item = app.state.storage.get('eiam.countdowns')
    expect(item?.encrypted).toBe(false)
    const text = JSON.stringify(item?.value)
    for (const raw of [SEEDED.zhangsan.mobile, '51234567', SEEDED.zhangsan.email, 'zhangsan', '138']) {
      expect(text).not.toContain(raw)
    }
    for (const key of app.state.storage.keys()) {
      expect(key).not.toMatch(/\d{6}|@/)
    }
    expect(Object.keys(item?.value as object)).toEqual([
      expect.stringMatching(/^bind:mobile:[0-9a-z]+$/),
      expect.stringMatching(/^register:mobile:[0-9a-z]+$/),
      expect.stringMatching(/^bind:email:[0-9a-z]+$/),
    ])
  })

  test('a send the server refuses starts no countdown', async () => {
    const app = appOn(context)

    await app.failure(
      app.services.codes.sendVerificationCode(
        'bind',
        'mobile',
        SEEDED.zhangsan.mobile,
        'no-such-captcha-token',
      ),
    )

    expect(app.services.codes.cooldownEndsAt('bind', 'mobile', SEEDED.zhangsan.mobile)).toBe(0)
    expect(app.state.storage.has('eiam.countdowns')).toBe(false)
  })

  test('a countdown that ran out is free again, and is dropped at the next send', async () => {
    const first = appOn(context)
    await first.sendCode('bind', 'mobile', SEEDED.zhangsan.mobile)
    const endsAt = first.services.codes.cooldownEndsAt('bind', 'mobile', SEEDED.zhangsan.mobile)

    const app = first.restart()
    setAppClock(realTime() + 61 * 1000)
    expect(app.services.codes.cooldownEndsAt('bind', 'mobile', SEEDED.zhangsan.mobile)).toBe(0)
    await app.sendCode('bind', 'email', SEEDED.zhangsan.email)

    const kept = app.state.storage.get('eiam.countdowns')?.value as Record<string, number>
    expect(Object.keys(kept)).toEqual([expect.stringMatching(/^bind:email:/)])
    expect(Object.values(kept)[0]).toBeGreaterThan(endsAt)
  })
})
