/**
 * The headers of docs/eiam-api.md §1 as the sandbox received them, on every endpoint the service layer calls.
 */
import type { RequestRecord } from '../../sandbox'
import { EIAM_PATHS } from '../../miniprogram/services/eiam'
import { startApp, type App } from '../support/client'
import { SEEDED, useSandbox } from '../support/sandbox'

const context = useSandbox()
const STATE_TOKEN_PATHS: string[] = [
  EIAM_PATHS.bind,
  EIAM_PATHS.registerBind,
  EIAM_PATHS.oneTapBind,
  EIAM_PATHS.oneTapRegisterBind,
  EIAM_PATHS.mobileByToken,
  EIAM_PATHS.mfaSms,
  EIAM_PATHS.mfaEmail,
  EIAM_PATHS.passwordBind,
  EIAM_PATHS.passwordUpdate,
  EIAM_PATHS.passwordSkip,
]

/** One call of each endpoint (error answers included: the headers are what matters here). */
async function callEveryEndpoint(app: App): Promise<void> {
  const { eiam, flow } = app.services
  const answer = await flow.login()
  const stateToken = answer.status === 'SOCIAL_BIND' ? (answer.stateToken as string) : 'no-state-token'
  await eiam.fetchCountryCodes()
  const mobileCode = await app.sendCode('bind', 'mobile', SEEDED.wangwu.mobile)
  await app.sendCode('bind', 'email', SEEDED.wangwu.email)
  const settle = (promise: Promise<unknown>) => promise.catch(() => undefined)
  await settle(eiam.socialRegisterBind(stateToken, { mobile: SEEDED.wangwu.mobile }, '000000'))
  await settle(eiam.wechatMobileRegisterBind(stateToken, 'phone:13700137000'))
  await settle(eiam.mobileByToken(stateToken))
  await settle(eiam.mfaBySms(stateToken, SEEDED.wangwu.mobile, '000000'))
  await settle(eiam.mfaByEmail(stateToken, SEEDED.wangwu.email, '000000'))
  await settle(eiam.wechatMobileBind(stateToken, 'phone:19900000000'))
  await settle(eiam.usernamePasswordBind(stateToken, 'wangwu', 'not-his-password'))
  await settle(eiam.updatePassword(stateToken, 'old', 'new'))
  await settle(eiam.skipPasswordUpdate(stateToken))
  // the last call spends the state token: wangwu is linked now and refused
  await eiam.socialBind(stateToken, { mobile: SEEDED.wangwu.mobile }, mobileCode)
  await settle(eiam.refreshIdToken('no-session-token'))
}

const endpointPaths = Object.values(EIAM_PATHS) as string[]

describe('on every call', () => {
  let received: RequestRecord[]
  let app: App

  beforeEach(async () => {
    app = startApp(context.sandbox)
    await callEveryEndpoint(app)
    received = context.sandbox.requests()
  })

  test('the sandbox received a call of every endpoint', () => {
    expect(new Set(received.map((request) => request.path))).toEqual(new Set(endpointPaths))
  })

  test('the device headers go out, from getDeviceInfo and getAppBaseInfo', () => {
    for (const request of received) {
      expect(request.headers).toMatchObject({
        'x-operating-sys-version': 'iOS 17.2',
        'x-agent': 'iPhone iPhone 13 <iPhone14,5>; iOS 17.2; WeChat/8.0.50; MiniProgram/3.6.6',
        'x-l': 'zh',
        'x-client-id': 'sandbox-client-id',
      })
    }
    expect(app.state.calls).toEqual(expect.arrayContaining(['getDeviceInfo', 'getAppBaseInfo']))
    expect(app.state.calls).not.toContain('getSystemInfoSync')
  })

  test('one fingerprint, made once and kept in plain storage, goes out on all of them', () => {
    const fingerprints = new Set(received.map((request) => request.headers['x-device-fingerprint']))
    expect(fingerprints.size).toBe(1)
    const [fingerprint] = [...fingerprints]
    expect(fingerprint).toMatch(/^[0-9a-f]{32}$/)
    expect(app.state.storage.get('eiam.fingerprint')).toEqual({ value: fingerprint, encrypted: false })
    expect(app.state.calls.filter((name) => name === 'getRandomValues')).toHaveLength(1)
  })

  test('X-device-ip never goes out', () => {
    expect(received.filter((request) => 'x-device-ip' in request.headers)).toEqual([])
  })

  test('X-state-token goes out only on the calls that need one', () => {
    const withStateToken = received.filter((request) => 'x-state-token' in request.headers)
    expect(new Set(withStateToken.map((request) => request.path))).toEqual(new Set(STATE_TOKEN_PATHS))
    for (const request of received) {
      if (STATE_TOKEN_PATHS.includes(request.path)) expect(request.headers['x-state-token']).toBeTruthy()
    }
  })

  test('X-session-token goes out only on the refresh', () => {
    const withSessionToken = received.filter((request) => 'x-session-token' in request.headers)
    expect(withSessionToken.map((request) => request.path)).toEqual([EIAM_PATHS.refresh])
    expect(withSessionToken[0]?.headers['x-session-token']).toBe('no-session-token')
  })

  test('a JSON body always says content-type application/json', () => {
    for (const request of received.filter((each) => each.body !== undefined)) {
      expect(request.headers['content-type']).toBe('application/json')
    }
  })
})

test('a fresh app with the same storage sends the same fingerprint', async () => {
  const first = startApp(context.sandbox)
  await first.services.eiam.fetchCountryCodes()
  const second = first.restart()
  await second.services.eiam.fetchCaptcha()

  const [before, after] = context.sandbox.requests().map((request) => request.headers['x-device-fingerprint'])
  expect(after).toBe(before)
  expect(second.state.calls).not.toContain('getRandomValues')
})

test('a fresh install (empty storage) gets a new fingerprint', async () => {
  const first = startApp(context.sandbox)
  await first.services.eiam.fetchCountryCodes()
  const second = startApp(context.sandbox)
  await second.services.eiam.fetchCountryCodes()

  const [before, after] = context.sandbox.requests().map((request) => request.headers['x-device-fingerprint'])
  expect(after).not.toBe(before)
})

test('a seeded fingerprint is the one sent', async () => {
  const app = startApp(context.sandbox, { fingerprint: 'fp-seeded-1' })
  await app.services.flow.login()

  expect(context.sandbox.requests()[0]?.headers['x-device-fingerprint']).toBe('fp-seeded-1')
})

test('concurrent first calls make one fingerprint, not one each', async () => {
  const app = startApp(context.sandbox)
  const { eiam } = app.services
  await Promise.all([eiam.fetchCountryCodes(), eiam.fetchCaptcha(), eiam.fetchCaptcha()])

  const fingerprints = new Set(
    context.sandbox.requests().map((request) => request.headers['x-device-fingerprint']),
  )
  expect(fingerprints.size).toBe(1)
  expect(app.fingerprint()).toBe([...fingerprints][0])
})

test('an English WeChat sends X-L en', async () => {
  const app = startApp(context.sandbox, { language: 'en_US' })
  await app.services.eiam.fetchCountryCodes()

  expect(context.sandbox.requests()[0]?.headers['x-l']).toBe('en')
})

test.each([
  ['zh_CN', 'zh'],
  ['zh_TW', 'zh'],
  ['en', 'en'],
  ['fr', 'en'],
])('WeChat language %s sends X-L %s', async (language, expected) => {
  const app = startApp(context.sandbox, { language })
  await app.services.eiam.fetchCountryCodes()

  expect(context.sandbox.requests()[0]?.headers['x-l']).toBe(expected)
})

test('when the device info API throws, the headers still go out with "unknown"', async () => {
  const app = startApp(context.sandbox)
  // as a broken runtime would
  ;(app.wx as unknown as Record<string, unknown>).getDeviceInfo = () => {
    throw new Error('getDeviceInfo:fail')
  }

  await app.services.eiam.fetchCountryCodes()

  expect(context.sandbox.requests()[0]).toMatchObject({
    status: 200,
    headers: {
      'x-operating-sys-version': 'unknown',
      'x-agent': 'unknown; unknown; WeChat/unknown; MiniProgram/unknown',
    },
  })
})

test('when getRandomValues fails, the call fails with our message and sends nothing; the next call makes the fingerprint', async () => {
  const app = startApp(context.sandbox)
  const secure = app.wx.getRandomValues
  ;(app.wx as unknown as Record<string, unknown>).getRandomValues = (options: {
    fail?: (error: unknown) => void
  }) => options.fail?.({ errMsg: 'getRandomValues:fail' })

  const error = await app.failure(app.services.eiam.fetchCountryCodes())
  expect(error.message).toBe(app.services.i18n.t('error.unexpected'))
  expect(context.sandbox.requests()).toEqual([])
  expect(app.state.storage.has('eiam.fingerprint')).toBe(false)

  ;(app.wx as unknown as Record<string, unknown>).getRandomValues = secure
  await app.services.eiam.fetchCountryCodes()
  expect(context.sandbox.requests()[0]?.headers['x-device-fingerprint']).toMatch(/^[0-9a-f]{32}$/)
})
