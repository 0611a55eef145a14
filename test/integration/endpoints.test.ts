/**
 * Every endpoint function of services/eiam.ts against the sandbox: what it sends, and how it shapes what comes back.
 */
import { createDecipheriv } from 'node:crypto'
import { EIAM_PATHS, type StatusAnswer } from '../../miniprogram/services/eiam'
import { appOn, startApp, type App } from '../support/client'
import { claimsOf, SEEDED, useSandbox, type SandboxContext, type SeededName } from '../support/sandbox'

const bindMode = useSandbox()
const registerMode = useSandbox({ mode: 'register' })
const autoMode = useSandbox({ mode: 'auto' })
const aesCaptcha = useSandbox({ captchaAes: true })
const emailOnly = useSandbox({ flows: ['VERIFY_EMAIL'] })
const noFlows = useSandbox({ flows: [] })

function stateTokenOf(answer: StatusAnswer): string {
  if (answer.status === 'SUCCESS' || answer.status === 'ACCESS_DENIED' || !answer.stateToken) {
    throw new Error(`expected a state token, got ${answer.status}`)
  }
  return answer.stateToken
}

/** An app on `context` (its identity linked to `linkedTo` if named) and the state token its login answered. */
async function loggedInOn(
  context: SandboxContext,
  linkedTo?: SeededName,
): Promise<{ app: App; stateToken: string }> {
  const app = appOn(context, linkedTo)
  return { app, stateToken: stateTokenOf(await app.services.flow.login()) }
}

/** The request the sandbox received last on `path`. */
function lastRequest(context: SandboxContext, path: string) {
  const requests = context.sandbox.requests().filter((request) => request.path === path)
  return requests[requests.length - 1]
}

describe('loginWithWechatCode (through flow.login)', () => {
  test('sends a fresh wx.login code and answers SOCIAL_BIND with a state token for an unlinked identity', async () => {
    const app = appOn(bindMode)

    const answer = await app.services.flow.login()

    expect(answer).toEqual({
      status: 'SOCIAL_BIND',
      stateToken: expect.any(String),
      channels: ['mobile', 'email'],
    })
    expect(lastRequest(bindMode, EIAM_PATHS.login)?.body).toEqual({ code: app.state.loginCodes[0] })
    expect(app.state.loginCodes).toHaveLength(1)
  })

  test('every login asks wx.login for a new code', async () => {
    const app = appOn(bindMode)
    await app.services.flow.login()
    await app.services.flow.login()

    const codes = bindMode.sandbox
      .requests()
      .filter((request) => request.path === EIAM_PATHS.login)
      .map((request) => (request.body as { code: string }).code)
    expect(codes).toEqual(app.state.loginCodes)
    expect(new Set(codes).size).toBe(2)
  })

  test('answers USER_REGISTER in register mode', async () => {
    const answer = await appOn(registerMode).services.flow.login()

    expect(answer).toEqual({
      status: 'USER_REGISTER',
      stateToken: expect.any(String),
      channels: ['mobile', 'email'],
    })
  })

  test('answers SUCCESS with the tokens for an identity linked to zhangsan', async () => {
    const answer = await appOn(bindMode, 'zhangsan').services.flow.login()

    expect(answer).toEqual({
      status: 'SUCCESS',
      tokens: {
        sessionToken: expect.any(String),
        expire: 432000,
        idToken: expect.stringMatching(/^[\w-]+\.[\w-]+\.[\w-]+$/),
      },
    })
    if (answer.status === 'SUCCESS')
      expect(claimsOf(answer.tokens.idToken)).toMatchObject({ userName: 'zhangsan' })
  })

  test('answers MFA_AUTH with a state token for an identity linked to lisi', async () => {
    const answer = await appOn(bindMode, 'lisi').services.flow.login()

    expect(answer).toMatchObject({ status: 'MFA_AUTH', stateToken: expect.any(String) })
  })

  test('answers ACCESS_DENIED for an identity linked to wangwu', async () => {
    const answer = await appOn(bindMode, 'wangwu').services.flow.login()

    expect(answer).toEqual({ status: 'ACCESS_DENIED' })
  })

  test('reads the allowed channels from the data string', async () => {
    await expect(appOn(emailOnly).services.flow.login()).resolves.toMatchObject({ channels: ['email'] })
  })

  test('allows both channels when data is null', async () => {
    const app = appOn(noFlows)
    const answer = await app.services.flow.login()

    expect(JSON.parse(app.state.requestsTo(EIAM_PATHS.login)[0]?.responseText ?? '{}')).toMatchObject({
      data: null,
    })
    expect(answer).toMatchObject({ channels: ['mobile', 'email'] })
  })

  test('trims the status and allows both channels when data is unreadable', async () => {
    bindMode.sandbox.fault({
      path: EIAM_PATHS.login,
      status: 200,
      body: { status: ' SOCIAL_BIND', state_token: 'fault-state-token', data: '{not json' },
    })

    const answer = await appOn(bindMode).services.flow.login()

    expect(answer).toEqual({
      status: 'SOCIAL_BIND',
      stateToken: 'fault-state-token',
      channels: ['mobile', 'email'],
    })
  })

  test('reads data given as an object, trimming the flow names', async () => {
    bindMode.sandbox.fault({
      path: EIAM_PATHS.login,
      status: 200,
      body: {
        status: 'user_register ',
        state_token: 'fault-state-token',
        data: { socialBindOrRegisterFlow: [' VERIFY_PHONE '] },
      },
    })

    const answer = await appOn(bindMode).services.flow.login()

    expect(answer).toEqual({ status: 'USER_REGISTER', stateToken: 'fault-state-token', channels: ['mobile'] })
  })

  test('a SOCIAL_BIND without a state token is an unexpected answer', async () => {
    bindMode.sandbox.fault({ path: EIAM_PATHS.login, status: 200, body: { status: 'SOCIAL_BIND' } })
    const app = appOn(bindMode)

    const error = await app.failure(app.services.flow.login())

    expect([error.kind, error.message]).toEqual(['server', app.services.i18n.t('error.unexpected')])
  })
})

describe('fetchCaptcha and verifyCaptcha', () => {
  /** An app on `context` (its tenant's captcha encryption set when given) with a puzzle fetched, and where it fits. */
  async function puzzleOn(context: SandboxContext, captchaEncryption?: 'aes' | 'plain') {
    const app = captchaEncryption
      ? startApp(context.sandbox, { tenant: { captchaEncryption } })
      : appOn(context)
    const puzzle = await app.services.eiam.fetchCaptcha()
    return { app, eiam: app.services.eiam, puzzle, x: context.sandbox.captchaAnswer(puzzle.token) as number }
  }

  /** The point_json the app sent to captcha/verify on `context`. */
  const pointJsonSent = (context: SandboxContext) =>
    (lastRequest(context, EIAM_PATHS.captchaVerify)?.body as { point_json: string }).point_json

  test('a plain puzzle: no secretKey, PNG images, and a verified point_json in plain JSON', async () => {
    const { eiam, puzzle, x } = await puzzleOn(bindMode)
    const captchaToken = await eiam.verifyCaptcha(puzzle, x + 0.46, SEEDED.zhangsan.mobile)

    expect(puzzle).toEqual({
      token: expect.any(String),
      secretKey: null,
      backgroundImage: expect.stringMatching(/^iVBORw0KGgo/),
      pieceImage: expect.stringMatching(/^iVBORw0KGgo/),
    })
    const pointJson = `{"x":${(x + 0.5).toFixed(1)},"y":5.0}`
    expect(lastRequest(bindMode, EIAM_PATHS.captchaVerify)?.body).toEqual({
      point_json: pointJson,
      token: puzzle.token,
      sender: SEEDED.zhangsan.mobile,
    })
    expect(captchaToken).toBe(`${puzzle.token}---${pointJson}`)
  })

  test('the captcha token works once, for the sender it was solved for', async () => {
    const app = appOn(bindMode)
    const { eiam } = app.services
    const forZhangsan = await app.solveCaptcha(SEEDED.zhangsan.mobile)

    const otherTarget = await app.failure(
      eiam.sendCode('mobile', SEEDED.lisi.mobile, 'BIND_MOBILE_SMS', forZhangsan),
    )
    const again = await app.failure(
      eiam.sendCode('mobile', SEEDED.zhangsan.mobile, 'BIND_MOBILE_SMS', forZhangsan),
    )

    expect([otherTarget.kind, otherTarget.code]).toEqual(['captcha', 'SDK.CAPTCHA.0004'])
    expect([again.kind, again.code]).toEqual(['captcha', 'SDK.CAPTCHA.0004'])
  })

  test('with a tenant configured for AES and a sandbox issuing keys, point_json goes out AES-ECB encrypted', async () => {
    const { eiam, puzzle, x } = await puzzleOn(aesCaptcha, 'aes')
    const captchaToken = await eiam.verifyCaptcha(puzzle, x, SEEDED.lisi.email)

    expect(puzzle.secretKey).toMatch(/^[A-Za-z0-9]{16}$/)
    const sent = pointJsonSent(aesCaptcha)
    expect(sent).toMatch(/^[A-Za-z0-9+/]+=*$/)
    const decipher = createDecipheriv('aes-128-ecb', Buffer.from(puzzle.secretKey as string, 'utf8'), null)
    const plain = Buffer.concat([decipher.update(Buffer.from(sent, 'base64')), decipher.final()]).toString(
      'utf8',
    )
    expect(plain).toBe(`{"x":${x.toFixed(1)},"y":5.0}`)
    expect(captchaToken).toBe(`${puzzle.token}---${sent}`)
  })

  test('a sandbox issuing keys refuses the plain point_json of a tenant config forced to plain', async () => {
    const { app, eiam, puzzle, x } = await puzzleOn(aesCaptcha, 'plain')

    const error = await app.failure(eiam.verifyCaptcha(puzzle, x, SEEDED.lisi.email))

    expect(pointJsonSent(aesCaptcha)).toBe(`{"x":${x.toFixed(1)},"y":5.0}`)
    expect([error.kind, error.code]).toEqual(['captcha', 'SDK.CAPTCHA.0002'])
  })

  test('a tenant config with AES sends plain JSON for a puzzle without a key', async () => {
    const { eiam, puzzle, x } = await puzzleOn(bindMode, 'aes')

    await expect(eiam.verifyCaptcha(puzzle, x, SEEDED.lisi.email)).resolves.toEqual(expect.any(String))
    expect(pointJsonSent(bindMode)).toBe(`{"x":${x.toFixed(1)},"y":5.0}`)
  })

  test('a secretKey that is no AES key is an unexpected answer, not a crash', async () => {
    bindMode.sandbox.fault({
      path: EIAM_PATHS.captcha,
      status: 200,
      body: {
        token: 'fault-puzzle',
        secretKey: 'short',
        originalImageBase64: 'AAAA',
        jigsawImageBase64: 'AAAA',
      },
    })
    const app = startApp(bindMode.sandbox, { tenant: { captchaEncryption: 'aes' } })
    const puzzle = await app.services.eiam.fetchCaptcha()

    const error = await app.failure(app.services.eiam.verifyCaptcha(puzzle, 100, SEEDED.zhangsan.mobile))

    expect([error.kind, error.message]).toEqual(['server', app.services.i18n.t('error.unexpected')])
    expect(app.state.requestsTo(EIAM_PATHS.captchaVerify)).toEqual([])
  })

  test('a puzzle answer missing its images is an unexpected answer', async () => {
    bindMode.sandbox.fault({
      path: EIAM_PATHS.captcha,
      status: 200,
      body: { token: 'fault-puzzle', secretKey: '' },
    })
    const app = appOn(bindMode)

    const error = await app.failure(app.services.eiam.fetchCaptcha())

    expect(error.kind).toBe('server')
  })
})

describe('sendCode', () => {
  const cases = [
    ['bind', 'mobile', SEEDED.zhangsan.mobile, 'BIND_MOBILE_SMS'],
    ['bind', 'email', SEEDED.zhangsan.email, 'BIND_EMAIL_EMS'],
    ['register', 'mobile', '13600136000', 'REGISTER_SMS'],
    ['register', 'email', 'new.person@example.com', 'REGISTER_EMS'],
    ['mfa', 'mobile', SEEDED.lisi.mobile, 'MFA_AUTH_SMS'],
    ['mfa', 'email', SEEDED.lisi.email, 'MFA_AUTH_EMS'],
  ] as const

  test.each(cases)('the %s code by %s goes to %s with type %s', async (purpose, channel, target, type) => {
    const app = appOn(bindMode)
    const { eiam } = app.services
    expect(eiam.CODE_TYPES[purpose][channel]).toBe(type)
    const captchaToken = await app.solveCaptcha(target)

    await expect(
      eiam.sendCode(channel, target, eiam.CODE_TYPES[purpose][channel], captchaToken),
    ).resolves.toBeUndefined()

    const field = channel === 'mobile' ? 'mobile' : 'email'
    expect(
      lastRequest(bindMode, channel === 'mobile' ? EIAM_PATHS.smsSend : EIAM_PATHS.emailSend),
    ).toMatchObject({
      status: 200,
      body: { [field]: target, type, captcha_token: captchaToken },
    })
    expect(bindMode.sandbox.outbox()).toEqual([
      expect.objectContaining({ channel: channel === 'mobile' ? 'sms' : 'email', target, type }),
    ])
  })

  test('a +852 number goes out as +852-number', async () => {
    const app = appOn(bindMode)
    const target = '+852-51234567'
    const captchaToken = await app.solveCaptcha(target)

    await app.services.eiam.sendCode('mobile', target, 'BIND_MOBILE_SMS', captchaToken)

    expect(bindMode.sandbox.outbox()[0]).toMatchObject({ target: '+852-51234567', type: 'BIND_MOBILE_SMS' })
  })
})

describe('socialBind and socialRegisterBind', () => {
  test.each([
    ['mobile', { mobile: SEEDED.zhangsan.mobile }],
    ['email', { email: SEEDED.zhangsan.email }],
  ] as const)('social/bind by %s signs zhangsan in and links the identity', async (channel, identity) => {
    const { app, stateToken } = await loggedInOn(bindMode)
    const { eiam } = app.services
    const target = 'mobile' in identity ? identity.mobile : identity.email
    const code = await app.sendCode('bind', channel, target)

    const answer = await eiam.socialBind(stateToken, identity, code)

    expect(answer).toMatchObject({ status: 'SUCCESS', tokens: { expire: 432000 } })
    expect(lastRequest(bindMode, EIAM_PATHS.bind)).toMatchObject({
      headers: { 'x-state-token': stateToken },
      body: { ...identity, verify_code: code },
    })
    await expect(app.restart().services.flow.login()).resolves.toMatchObject({ status: 'SUCCESS' })
  })

  test('social/register-bind in register mode creates the user named after the phone', async () => {
    const { app, stateToken } = await loggedInOn(registerMode)
    const { eiam } = app.services
    const code = await app.sendCode('register', 'mobile', '13600136000')

    const answer = await eiam.socialRegisterBind(stateToken, { mobile: '13600136000' }, code)

    expect(answer.status).toBe('SUCCESS')
    if (answer.status === 'SUCCESS') {
      expect(claimsOf(answer.tokens.idToken)).toMatchObject({
        name: '13600136000',
        mobile: '+86-13600136000',
      })
    }
    expect(lastRequest(registerMode, EIAM_PATHS.registerBind)?.body).toEqual({
      mobile: '13600136000',
      verify_code: code,
    })
  })

  test('social/register-bind with a known email links that user and answers their policy', async () => {
    const { app, stateToken } = await loggedInOn(registerMode)
    const code = await app.sendCode('register', 'email', SEEDED.lisi.email)

    const answer = await app.services.eiam.socialRegisterBind(stateToken, { email: SEEDED.lisi.email }, code)

    expect(answer).toMatchObject({ status: 'MFA_AUTH', stateToken: expect.any(String) })
  })

  test('in auto mode a bind with an unknown phone answers USER_REGISTER, and register-bind completes it', async () => {
    const app = appOn(autoMode)
    const { eiam, flow } = app.services
    const bindToken = stateTokenOf(await flow.login())
    const bindCode = await app.sendCode('bind', 'mobile', '13600136000')

    const registerAnswer = await eiam.socialBind(bindToken, { mobile: '13600136000' }, bindCode)
    const registerToken = stateTokenOf(registerAnswer)
    const registerCode = await app.sendCode('register', 'mobile', '13600136000')
    const answer = await eiam.socialRegisterBind(registerToken, { mobile: '13600136000' }, registerCode)

    expect(registerAnswer).toMatchObject({ status: 'USER_REGISTER', channels: ['mobile', 'email'] })
    expect(registerToken).not.toBe(bindToken)
    expect(answer.status).toBe('SUCCESS')
  })

  test('register-bind refuses the state token of the bind flow', async () => {
    const { app, stateToken } = await loggedInOn(bindMode)

    const error = await app.failure(
      app.services.eiam.socialRegisterBind(stateToken, { mobile: '13600136000' }, '123456'),
    )

    expect([error.kind, error.code]).toEqual(['state-token', 'SDK.COMMON.1007'])
  })
})

describe('wechatMobileBind and wechatMobileRegisterBind', () => {
  test.each([
    ['phone:13800138000', 'SUCCESS'],
    ['phone:13900139000', 'MFA_AUTH'],
    ['phone:13700137000', 'ACCESS_DENIED'],
    ['a-real-getPhoneNumber-code', 'SUCCESS'],
  ])('one-tap bind with %s answers %s', async (wechatCode, status) => {
    const { app, stateToken } = await loggedInOn(bindMode)

    const answer = await app.services.eiam.wechatMobileBind(stateToken, wechatCode)

    expect(answer.status).toBe(status)
    expect(lastRequest(bindMode, EIAM_PATHS.oneTapBind)).toMatchObject({
      headers: { 'x-state-token': stateToken },
      body: { wechat_code: wechatCode },
    })
  })

  test('one-tap bind with a phone no user has is "user not found" in bind mode', async () => {
    const { app, stateToken } = await loggedInOn(bindMode)

    const error = await app.failure(app.services.eiam.wechatMobileBind(stateToken, 'phone:13600136000'))

    expect([error.kind, error.code]).toEqual(['rejected', 'SDK.COMMON.1013'])
  })

  test('one-tap register-bind in register mode creates the user', async () => {
    const { app, stateToken } = await loggedInOn(registerMode)

    const answer = await app.services.eiam.wechatMobileRegisterBind(stateToken, 'phone:13600136000')

    expect(answer.status).toBe('SUCCESS')
    expect(lastRequest(registerMode, EIAM_PATHS.oneTapRegisterBind)?.body).toEqual({
      wechat_code: 'phone:13600136000',
    })
  })

  test('in auto mode one-tap bind with a new phone answers USER_REGISTER, and one-tap register-bind completes it', async () => {
    const app = appOn(autoMode)
    const { eiam, flow } = app.services
    const bindToken = stateTokenOf(await flow.login())

    const registerAnswer = await eiam.wechatMobileBind(bindToken, 'phone:13600136000')
    const answer = await eiam.wechatMobileRegisterBind(stateTokenOf(registerAnswer), 'phone:13600136000')

    expect(registerAnswer.status).toBe('USER_REGISTER')
    expect(answer.status).toBe('SUCCESS')
  })
})

describe('the second factor', () => {
  test('mobileByToken answers the phone behind the MFA state token as send-code takes it (+86-… → 11 digits)', async () => {
    const { app, stateToken } = await loggedInOn(bindMode, 'lisi')

    await expect(app.services.eiam.mobileByToken(stateToken)).resolves.toBe('13900139000')
    expect(lastRequest(bindMode, EIAM_PATHS.mobileByToken)).toMatchObject({
      method: 'GET',
      headers: { 'x-state-token': stateToken },
    })
  })

  test('mobileByToken refuses a state token of the bind flow', async () => {
    const { app, stateToken } = await loggedInOn(bindMode)

    const error = await app.failure(app.services.eiam.mobileByToken(stateToken))

    expect(error.kind).toBe('state-token')
  })

  test.each([
    ['mfaBySms', 'mobile', EIAM_PATHS.mfaSms],
    ['mfaByEmail', 'email', EIAM_PATHS.mfaEmail],
  ] as const)('%s with the MFA code signs lisi in', async (method, channel, path) => {
    const { app, stateToken } = await loggedInOn(bindMode, 'lisi')
    const target = SEEDED.lisi[channel]
    const code = await app.sendCode('mfa', channel, target)

    const answer = await app.services.eiam[method](stateToken, target, code)

    expect(answer.status).toBe('SUCCESS')
    if (answer.status === 'SUCCESS') expect(claimsOf(answer.tokens.idToken)).toMatchObject({ name: '李四' })
    expect(lastRequest(bindMode, path)?.body).toEqual({ [channel]: target, verify_code: code })
  })

  test.each([
    [
      "a second factor by someone else's email is refused, naming the field",
      'mfa',
      SEEDED.zhangsan.email,
      'email',
    ],
    ['a bind code does not pass as a second factor', 'bind', SEEDED.lisi.mobile, 'code'],
  ] as const)('%s', async (_what, purpose, target, field) => {
    const { app, stateToken } = await loggedInOn(bindMode, 'lisi')
    const { eiam, errors } = app.services
    const byEmail = target.includes('@')
    const code = await app.sendCode(purpose, byEmail ? 'email' : 'mobile', target)

    const error = await app.failure((byEmail ? eiam.mfaByEmail : eiam.mfaBySms)(stateToken, target, code))

    expect([error.kind, error.code]).toEqual(['rejected', 'SDK.COMMON.1006'])
    expect(errors.fieldOf(error)).toBe(field)
  })
})

describe('refreshIdToken', () => {
  test('answers a new id_token and a rotated session token; the old one then fails as a session error', async () => {
    const app = appOn(bindMode, 'zhangsan')
    const { eiam, flow } = app.services
    const signedIn = await flow.login()
    if (signedIn.status !== 'SUCCESS') throw new Error(`expected SUCCESS, got ${signedIn.status}`)
    const old = signedIn.tokens

    const refreshed = await eiam.refreshIdToken(old.sessionToken)
    const error = await app.failure(eiam.refreshIdToken(old.sessionToken))

    expect(refreshed).toEqual({
      sessionToken: expect.any(String),
      expire: 432000,
      idToken: expect.any(String),
    })
    expect(refreshed.sessionToken).not.toBe(old.sessionToken)
    expect(claimsOf(refreshed.idToken)).toMatchObject({ userName: 'zhangsan', name: '张三' })
    expect(lastRequest(bindMode, EIAM_PATHS.refresh)?.method).toBe('POST')
    expect([error.kind, error.code, error.message]).toEqual([
      'session',
      'SDK.PARAM.0023',
      'session token 无效或已过期',
    ])
    await expect(eiam.refreshIdToken(refreshed.sessionToken)).resolves.toMatchObject({ expire: 432000 })
  })

  test('sends no body, only the session token header', async () => {
    const app = appOn(bindMode)

    await app.failure(app.services.eiam.refreshIdToken('no-such-session'))

    expect(lastRequest(bindMode, EIAM_PATHS.refresh)).toMatchObject({
      body: undefined,
      headers: { 'x-session-token': 'no-such-session' },
    })
  })
})

describe('fetchCountryCodes', () => {
  test('answers the regions with both names, their patterns and the preferred area code', async () => {
    const app = appOn(bindMode)

    const { areas, preferred } = await app.services.eiam.fetchCountryCodes()

    expect(preferred).toBe('+86')
    expect(areas.map((area) => area.areaCode)).toEqual(['+86', '+852', '+853', '+886', '+65', '+1'])
    expect(areas[1]).toEqual({
      areaCode: '+852',
      countryCode: 'HK',
      name: { zh: '中国香港', en: 'Hong Kong, China' },
      mobileRegex: '^(\\+852){0,1}\\-?[4-9]\\d{7}$',
    })
  })

  test('skips entries that are not regions and fills missing names and patterns', async () => {
    bindMode.sandbox.fault({
      path: EIAM_PATHS.countryCodes,
      status: 200,
      body: {
        phoneAreaCodeDefinitions: [
          null,
          { areaCode: 'not-an-area' },
          { areaCode: ' +65 ', countryCode: 'SG', displayMapping: { zh_CN: '新加坡', en_US: 'Singapore' } },
          { areaCode: '+1' },
        ],
      },
    })
    const app = appOn(bindMode)

    const { areas, preferred } = await app.services.eiam.fetchCountryCodes()

    expect(preferred).toBe('+65')
    expect(areas).toEqual([
      {
        areaCode: '+65',
        countryCode: 'SG',
        name: { zh: '新加坡', en: 'Singapore' },
        mobileRegex: expect.any(String),
      },
      { areaCode: '+1', countryCode: '', name: { zh: '+1', en: '+1' }, mobileRegex: expect.any(String) },
    ])
  })

  test('an answer without any region is an unexpected answer', async () => {
    bindMode.sandbox.fault({
      path: EIAM_PATHS.countryCodes,
      status: 200,
      body: { phoneAreaCodeDefinitions: [] },
    })
    const app = appOn(bindMode)

    const error = await app.failure(app.services.eiam.fetchCountryCodes())

    expect(error.kind).toBe('server')
  })
})
