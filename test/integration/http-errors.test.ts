/**
 * Error mapping end to end: what the sandbox (or the network) does reaches the caller of a service function as one
 * EiamError with the kind the UI acts on, the code without its `IDAAS.` prefix, and the message to show — the
 * server's, localised by `X-L`, for refusals; ours for transport problems and answers that are not the documented JSON.
 */
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import type { Fault } from '../../sandbox'
import type { EiamErrorKind } from '../../miniprogram/services/errors'
import { EIAM_PATHS } from '../../miniprogram/services/eiam'
import { startApp, type App, type AppOptions } from '../support/client'
import { DEVELOP_ORIGIN, errorFault, SEEDED, useSandbox, type SandboxContext } from '../support/sandbox'
import type { StringKey } from '../../miniprogram/i18n/index'

type Lang = 'zh' | 'en'

const prefixed = useSandbox({ errorPrefix: true })
const unprefixed = useSandbox({ errorPrefix: false })

const wxLanguage = (lang: Lang) => (lang === 'zh' ? 'zh_CN' : 'en')

interface Env {
  context: SandboxContext
  withPrefix: boolean
  lang: Lang
}

/** An envelope as the sandbox writes it, for faults that stand in for answers it gives only on internal errors. */
const envelope = (env: Env, code: string, message: { zh: string; en: string }) => ({
  error_code: `${env.withPrefix ? 'IDAAS.' : ''}${code}`,
  error_msg: message[env.lang],
})

async function stateTokenOf(app: App): Promise<string> {
  const answer = await app.services.flow.login()
  if (answer.status === 'SUCCESS' || answer.status === 'ACCESS_DENIED' || !answer.stateToken) {
    throw new Error(`login answered ${answer.status} without a state token`)
  }
  return answer.stateToken
}

interface Row {
  what: string
  code: string
  kind: EiamErrorKind
  status: number
  /** The server's words, or `ours` for our own message naming the HTTP status. */
  message: { zh: string; en: string } | 'ours'
  app?: (env: Env) => AppOptions
  provoke: (app: App, env: Env) => Promise<unknown>
}

const zhangsan = SEEDED.zhangsan

/** docs/design.md "Error codes", each provoked the way a client would meet it. */
const table: Row[] = [
  {
    what: 'a blank body field',
    code: 'SDK.COMMON.1001',
    kind: 'rejected',
    status: 400,
    message: { zh: '参数 mobile 不能为空', en: 'Parameter mobile cannot be left blank' },
    provoke: (app) => app.services.eiam.sendCode('mobile', '', 'BIND_MOBILE_SMS', 'some-captcha-token'),
  },
  {
    what: 'a badly formatted field',
    code: 'SDK.COMMON.1002',
    kind: 'rejected',
    status: 400,
    message: { zh: '参数 mobile 格式不正确', en: 'Parameter mobile format is incorrect' },
    provoke: (app) =>
      app.services.eiam.sendCode('mobile', '1380013', 'BIND_MOBILE_SMS', 'some-captcha-token'),
  },
  {
    what: 'incomplete device information (a tenant config with an empty client id)',
    code: 'SDK.COMMON.1003',
    kind: 'rejected',
    status: 400,
    message: { zh: '设备信息不完整', en: 'Device information is incomplete' },
    app: () => ({ tenant: { clientId: '' } }),
    provoke: (app) => app.services.eiam.fetchCountryCodes(),
  },
  {
    what: 'an expired state token',
    code: 'SDK.COMMON.1005',
    kind: 'state-token',
    status: 400,
    message: { zh: 'state_token 已过期', en: 'state_token has expired' },
    provoke: async (app, env) => {
      const stateToken = await stateTokenOf(app)
      env.context.clock.advanceS(601)
      return app.services.eiam.socialBind(stateToken, { mobile: zhangsan.mobile }, '123456')
    },
  },
  {
    what: 'a wrong verification code',
    code: 'SDK.COMMON.1006',
    kind: 'rejected',
    status: 400,
    message: { zh: 'verify_code 参数错误', en: 'verify_code parameter error' },
    provoke: async (app) => {
      const stateToken = await stateTokenOf(app)
      const code = await app.sendCode('bind', 'mobile', zhangsan.mobile)
      const wrong = code === '000000' ? '111111' : '000000'
      return app.services.eiam.socialBind(stateToken, { mobile: zhangsan.mobile }, wrong)
    },
  },
  {
    what: 'an expired verification code',
    code: 'SDK.COMMON.1005',
    kind: 'rejected',
    status: 400,
    message: { zh: 'verify_code 已过期', en: 'verify_code has expired' },
    provoke: async (app, env) => {
      const stateToken = await stateTokenOf(app)
      const code = await app.sendCode('bind', 'email', zhangsan.email)
      env.context.clock.advanceS(301)
      return app.services.eiam.socialBind(stateToken, { email: zhangsan.email }, code)
    },
  },
  {
    what: 'an unknown state token',
    code: 'SDK.COMMON.1007',
    kind: 'state-token',
    status: 400,
    message: { zh: 'state_token 参数错误', en: 'state_token parameter error' },
    provoke: (app) =>
      app.services.eiam.socialBind('no-such-state-token', { mobile: zhangsan.mobile }, '123456'),
  },
  {
    what: 'system busy',
    code: 'SDK.COMMON.1008',
    kind: 'server',
    status: 500,
    message: { zh: '系统繁忙', en: 'System busy' },
    provoke: (app, env) => {
      env.context.sandbox.fault({
        path: EIAM_PATHS.countryCodes,
        status: 500,
        body: envelope(env, 'SDK.COMMON.1008', { zh: '系统繁忙', en: 'System busy' }),
      })
      return app.services.eiam.fetchCountryCodes()
    },
  },
  {
    what: 'a client id the tenant does not know',
    code: 'SDK.COMMON.1012',
    kind: 'rejected',
    status: 400,
    message: { zh: 'X-client-id 不正确，未找到应用', en: 'X-client-id is incorrect, application not found' },
    app: () => ({ tenant: { clientId: 'another-client-id' } }),
    provoke: (app) => app.services.eiam.fetchCaptcha(),
  },
  {
    what: 'a phone no user has',
    code: 'SDK.COMMON.1013',
    kind: 'rejected',
    status: 400,
    message: { zh: '未找到对应的用户', en: 'Corresponding user not found' },
    provoke: async (app) => {
      const stateToken = await stateTokenOf(app)
      const code = await app.sendCode('bind', 'mobile', '13600136000')
      return app.services.eiam.socialBind(stateToken, { mobile: '13600136000' }, code)
    },
  },
  {
    what: 'a puzzle solved in the wrong place',
    code: 'SDK.CAPTCHA.0002',
    kind: 'captcha',
    status: 400,
    message: { zh: '图形验证码校验失败', en: 'Graphic verification code verification failed' },
    provoke: async (app, env) => {
      const puzzle = await app.services.eiam.fetchCaptcha()
      const x = env.context.sandbox.captchaAnswer(puzzle.token) as number
      return app.services.eiam.verifyCaptcha(puzzle, x > 155 ? x - 40 : x + 40, zhangsan.mobile)
    },
  },
  {
    what: 'an expired puzzle',
    code: 'SDK.CAPTCHA.0003',
    kind: 'captcha',
    status: 400,
    message: { zh: 'CAPTCHA token 已过期', en: 'CAPTCHA token expired' },
    provoke: async (app, env) => {
      const puzzle = await app.services.eiam.fetchCaptcha()
      const x = env.context.sandbox.captchaAnswer(puzzle.token) as number
      env.context.clock.advanceS(121)
      return app.services.eiam.verifyCaptcha(puzzle, x, zhangsan.mobile)
    },
  },
  {
    what: 'a captcha token the tenant never issued',
    code: 'SDK.CAPTCHA.0004',
    kind: 'captcha',
    status: 400,
    message: { zh: 'CAPTCHA token 无效', en: 'CAPTCHA token invalid' },
    provoke: (app) =>
      app.services.eiam.sendCode('mobile', zhangsan.mobile, 'BIND_MOBILE_SMS', 'no-such-captcha-token'),
  },
  {
    what: 'a second code asked for too soon',
    code: 'SDK.CAPTCHA.0006',
    kind: 'rejected',
    status: 400,
    message: { zh: '验证码发送失败：请 60 秒后重试', en: 'Failed to send verification code: retry in 60 s' },
    provoke: async (app, env) => {
      env.context.clock.freeze()
      await app.sendCode('bind', 'mobile', zhangsan.mobile)
      return app.sendCode('bind', 'mobile', zhangsan.mobile)
    },
  },
  {
    what: 'an invalid session token',
    code: 'SDK.PARAM.0023',
    kind: 'session',
    status: 400,
    message: { zh: 'session token 无效或已过期', en: 'Invalid or expired session token' },
    provoke: (app) => app.services.eiam.refreshIdToken('no-such-session-token'),
  },
  {
    what: 'an unknown path (a tenant base URL with a wrong path)',
    code: 'SDK.HTTP.404',
    kind: 'rejected',
    status: 404,
    message: 'ours',
    app: (env) => ({ rewriteOrigin: { from: DEVELOP_ORIGIN, to: `${env.context.sandbox.url}/wrong-base` } }),
    provoke: (app) => app.services.eiam.fetchCaptcha(),
  },
  {
    what: 'a method the path does not allow',
    code: 'SDK.HTTP.405',
    kind: 'rejected',
    status: 405,
    message: 'ours',
    provoke: (app, env) => {
      env.context.sandbox.fault({
        path: EIAM_PATHS.captcha,
        status: 405,
        body: envelope(env, 'SDK.HTTP.405', {
          zh: '/api/v2/sdk/captcha 不支持 GET 方法',
          en: 'Method GET is not allowed on /api/v2/sdk/captcha',
        }),
      })
      return app.services.eiam.fetchCaptcha()
    },
  },
  {
    what: 'a body over 1 MiB',
    code: 'SDK.HTTP.413',
    kind: 'rejected',
    status: 413,
    message: 'ours',
    provoke: (app) =>
      app.services.eiam.sendCode(
        'email',
        `${'a'.repeat(1100 * 1024)}@example.com`,
        'BIND_EMAIL_EMS',
        'some-captcha-token',
      ),
  },
  {
    what: 'a content type the server refuses',
    code: 'SDK.HTTP.415',
    kind: 'rejected',
    status: 415,
    message: 'ours',
    provoke: (app, env) => {
      env.context.sandbox.fault({
        path: EIAM_PATHS.smsSend,
        status: 415,
        body: envelope(env, 'SDK.HTTP.415', {
          zh: 'content-type 必须为 application/json',
          en: 'content-type must be application/json',
        }),
      })
      return app.services.eiam.sendCode('mobile', zhangsan.mobile, 'BIND_MOBILE_SMS', 'some-captcha-token')
    },
  },
]

describe.each([
  ['with the IDAAS. prefix', true],
  ['without a prefix', false],
])('every documented sandbox error, codes %s', (_label, withPrefix) => {
  describe.each<Lang>(['zh', 'en'])('in %s', (lang) => {
    test.each(table.map((row) => [row.what, row] as const))(
      '%s reaches the caller with its kind, code and message',
      async (_what, row) => {
        const context = withPrefix ? prefixed : unprefixed
        const env: Env = { context, withPrefix, lang }
        const app = startApp(context.sandbox, { language: wxLanguage(lang), ...row.app?.(env) })

        const error = await app.failure(row.provoke(app, env))

        const expectedMessage =
          row.message === 'ours'
            ? app.services.i18n.t('error.http', { status: row.status })
            : row.message[lang]
        expect({ kind: error.kind, code: error.code, status: error.status, message: error.message }).toEqual({
          kind: row.kind,
          code: row.code,
          status: row.status,
          message: expectedMessage,
        })
        // the sandbox really answered what the row says (and the client read the language from X-L)
        const answered = context.sandbox.requests().filter((request) => request.status === row.status)
        expect(answered.length).toBeGreaterThan(0)
        expect(answered.every((request) => request.headers['x-l'] === lang)).toBe(true)
      },
    )
  })
})

test('the state-token errors are told apart from other 1005/1006 errors by the parameter they name', async () => {
  const app = startApp(prefixed.sandbox)
  const { eiam } = app.services
  const stateToken = await stateTokenOf(app)

  const wrongCode = await app.failure(eiam.socialBind(stateToken, { mobile: zhangsan.mobile }, '000000'))
  prefixed.clock.advanceS(601)
  const expiredToken = await app.failure(eiam.socialBind(stateToken, { mobile: zhangsan.mobile }, '000000'))

  expect([wrongCode.code, wrongCode.kind]).toEqual(['SDK.COMMON.1006', 'rejected'])
  expect([expiredToken.code, expiredToken.kind]).toEqual(['SDK.COMMON.1005', 'state-token'])
})

// ---- answers that are not the documented JSON, and the network -------------------------------------------------

async function closedPortUrl(): Promise<string> {
  const probe = http.createServer()
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve))
  const { port } = probe.address() as AddressInfo
  await new Promise<void>((resolve) => probe.close(() => resolve()))
  return `http://127.0.0.1:${port}`
}

describe.each<Lang>(['zh', 'en'])('transport failures and odd answers, in %s', (lang) => {
  const appFor = (options: AppOptions = {}) =>
    startApp(prefixed.sandbox, { language: wxLanguage(lang), ...options })
  const ours = (app: App, key: StringKey, status?: number) =>
    app.services.i18n.t(key, status === undefined ? undefined : { status })

  test('a send-code answer of 200 with an empty body is a success', async () => {
    const app = appFor()
    const captchaToken = await app.solveCaptcha(zhangsan.mobile)

    await expect(
      app.services.eiam.sendCode('mobile', zhangsan.mobile, 'BIND_MOBILE_SMS', captchaToken),
    ).resolves.toBeUndefined()
    const send = app.state.requestsTo(EIAM_PATHS.smsSend)[0]
    expect([send?.statusCode, send?.responseText]).toEqual([200, ''])
    expect(prefixed.sandbox.lastCode(zhangsan.mobile)).toMatch(/^\d{6}$/)
  })

  test.each<[string, Fault, (app: App) => Promise<unknown>]>([
    [
      'a 200 with an empty body where JSON is due is an unexpected answer from the server',
      { path: EIAM_PATHS.captcha, status: 200 },
      (app) => app.services.eiam.fetchCaptcha(),
    ],
    [
      'a JSON answer that is not an object is an unexpected answer from the server',
      { path: EIAM_PATHS.login, status: 200, body: ['SUCCESS'] },
      (app) => app.services.flow.login(),
    ],
    [
      'a SUCCESS without usable tokens is an unexpected answer',
      {
        path: EIAM_PATHS.login,
        status: 200,
        body: { status: 'SUCCESS', session_token: 'fault-session-token', expire: 'soon', id_token: 'x.y.z' },
      },
      (app) => app.services.flow.login(),
    ],
  ])('%s', async (_title, fault, call) => {
    const app = appFor()
    prefixed.sandbox.fault(fault)

    const error = await app.failure(call(app))

    expect([error.kind, error.message]).toEqual(['server', ours(app, 'error.unexpected')])
  })

  test('a malformed body is an unexpected answer from the server', async () => {
    const app = appFor()
    prefixed.sandbox.fault({ path: EIAM_PATHS.countryCodes, malformed: true })

    const error = await app.failure(app.services.eiam.fetchCountryCodes())

    expect([error.kind, error.message, error.status]).toEqual(['server', ours(app, 'error.unexpected'), 200])
  })

  test('an error envelope inside a 200 is that error', async () => {
    const app = appFor()
    prefixed.sandbox.fault(
      errorFault(EIAM_PATHS.countryCodes, 'IDAAS.SDK.COMMON.1013', ' Corresponding user not found ', {
        status: 200,
      }),
    )

    const error = await app.failure(app.services.eiam.fetchCountryCodes())

    expect([error.kind, error.code, error.message]).toEqual([
      'rejected',
      'SDK.COMMON.1013',
      'Corresponding user not found',
    ])
  })

  test('a 5xx without an envelope is "server busy" in our words', async () => {
    const app = appFor()
    prefixed.sandbox.fault({ path: EIAM_PATHS.countryCodes, status: 502, body: '<html>Bad Gateway</html>' })
    prefixed.sandbox.fault({ path: EIAM_PATHS.captcha, status: 503 })

    const gateway = await app.failure(app.services.eiam.fetchCountryCodes())
    const unavailable = await app.failure(app.services.eiam.fetchCaptcha())

    expect([gateway.kind, gateway.status, gateway.message]).toEqual([
      'server',
      502,
      ours(app, 'error.server'),
    ])
    expect([unavailable.kind, unavailable.status, unavailable.message]).toEqual([
      'server',
      503,
      ours(app, 'error.server'),
    ])
  })

  test('a 5xx envelope is "server" whatever its code, with the server\'s words', async () => {
    const app = appFor()
    prefixed.sandbox.fault(
      errorFault(EIAM_PATHS.countryCodes, 'IDAAS.SDK.COMMON.1001', 'upstream unavailable', { status: 503 }),
    )

    const error = await app.failure(app.services.eiam.fetchCountryCodes())

    expect([error.kind, error.code, error.message]).toEqual([
      'server',
      'SDK.COMMON.1001',
      'upstream unavailable',
    ])
  })

  test.each([404, 405, 413, 415])(
    'a %i from a gateway, without an envelope, is a refusal in our words',
    async (status) => {
      const app = appFor()
      prefixed.sandbox.fault({ path: EIAM_PATHS.captcha, status, body: 'Not here' })

      const error = await app.failure(app.services.eiam.fetchCaptcha())

      expect([error.kind, error.code, error.status, error.message]).toEqual([
        'rejected',
        undefined,
        status,
        ours(app, 'error.http', status),
      ])
    },
  )

  test('a dropped connection is a network error', async () => {
    const app = appFor()
    prefixed.sandbox.fault({ path: EIAM_PATHS.captcha, drop: true })

    const error = await app.failure(app.services.eiam.fetchCaptcha())

    expect([error.kind, error.message]).toEqual(['network', ours(app, 'error.network')])
    expect(prefixed.sandbox.requests().map((request) => [request.path, request.status])).toEqual([
      [EIAM_PATHS.captcha, 0],
    ])
  })

  test('a closed port is a network error', async () => {
    const app = appFor({ rewriteOrigin: { from: DEVELOP_ORIGIN, to: await closedPortUrl() } })

    const error = await app.failure(app.services.eiam.fetchCountryCodes())

    expect([error.kind, error.message]).toEqual(['network', ours(app, 'error.network')])
  })

  test('no network at all is a network error', async () => {
    const app = appFor({ offline: true })

    const error = await app.failure(app.services.flow.login())

    expect([error.kind, error.message]).toEqual(['network', ours(app, 'error.network')])
    expect(prefixed.sandbox.requests()).toEqual([])
  })

  test('an answer slower than the request timeout is a timeout', async () => {
    const app = appFor({ timeoutMs: 100 })
    prefixed.sandbox.fault({ path: EIAM_PATHS.captcha, delayMs: 1500 })

    const error = await app.failure(app.services.eiam.fetchCaptcha())

    expect([error.kind, error.message]).toEqual(['timeout', ours(app, 'error.timeout')])
  })

  test('a failing wx.login is a network error before any request', async () => {
    const app = appFor({ loginFails: true })

    const error = await app.failure(app.services.flow.login())

    expect([error.kind, error.message]).toEqual(['network', ours(app, 'error.login')])
    expect(app.state.requests).toEqual([])
  })

  test('a status this app does not know is reported, never guessed', async () => {
    const app = appFor()
    prefixed.sandbox.fault({ path: EIAM_PATHS.login, status: 200, body: { status: 'ACCOUNT_FROZEN' } })

    const error = await app.failure(app.services.flow.login())

    expect([error.kind, error.message]).toEqual([
      'server',
      app.services.i18n.t('error.unknownStatus', { status: 'ACCOUNT_FROZEN' }),
    ])
  })
})
