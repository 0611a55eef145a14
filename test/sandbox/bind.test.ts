import { EIAM_PATHS } from '../../miniprogram/services/eiam'
import { withSandbox } from '../support/sandbox'
import {
  claimsOf,
  CONTRACT_EPOCH,
  Device,
  errorOf,
  IN_CHINESE,
  loggedIn,
  postBind,
  postOneTapBind,
  postOneTapRegisterBind,
  postRegisterBind,
  refusal,
  sentCode,
  SIGNED_IN,
  STATE_TOKEN_ERROR,
  stringField,
  submitSentCode,
  useContractSandbox,
  type Json,
  type SentCode,
} from './support'

describe('binding in bind mode (the default)', () => {
  const context = useContractSandbox()

  async function bindBySms(device: Device, mobile: string, stateToken?: string) {
    const token = stateToken ?? (await device.stateToken())
    const code = await device.sendCode('sms', mobile, 'BIND_MOBILE_SMS')
    return { token, reply: await postBind(device, token, { mobile, verify_code: code }) }
  }

  test('binding 张三 by SMS signs in, and from then on the identity signs in as 张三', async () => {
    const device = new Device(context.sandbox)
    const { reply } = await bindBySms(device, '13800138000')
    expect(reply.json).toEqual(SIGNED_IN)
    expect(claimsOf(stringField(reply, 'id_token')).userName).toBe('zhangsan')
    const login = await device.login()
    expect(login.json.status).toBe('SUCCESS')
    expect(claimsOf(stringField(login, 'id_token')).name).toBe('张三')
  })

  test('binding 李四 answers MFA_AUTH with a new state token, and every later login asks the second factor', async () => {
    const device = new Device(context.sandbox)
    const { token, reply } = await bindBySms(device, '+86-13900139000')
    expect(reply.json).toEqual({ status: 'MFA_AUTH', state_token: expect.any(String) })
    expect(reply.json.state_token).not.toBe(token)
    expect((await device.login()).json.status).toBe('MFA_AUTH')
  })

  test('binding 王五 answers ACCESS_DENIED and still links the identity', async () => {
    const device = new Device(context.sandbox)
    const { reply } = await bindBySms(device, '13700137000')
    expect(reply.json).toEqual({ status: 'ACCESS_DENIED' })
    expect((await device.login()).json).toEqual({ status: 'ACCESS_DENIED' })
  })

  test('a status answer spends the state token', async () => {
    const device = new Device(context.sandbox)
    const { token } = await bindBySms(device, '13800138000')
    context.clock.advanceS(60)
    const { reply } = await bindBySms(device, '13800138000', token)
    expect(errorOf(reply)).toEqual(STATE_TOKEN_ERROR)
  })

  test('a wrong code answers COMMON.1006 and keeps the state token for the right one', async () => {
    const { device, token } = await loggedIn(context.sandbox)
    const code = await device.sendCode('sms', '13800138000', 'BIND_MOBILE_SMS')
    const wrong = code === '000000' ? '111111' : '000000'
    const reply = await postBind(device, token, { mobile: '13800138000', verify_code: wrong })
    expect(errorOf(reply)).toEqual(refusal('IDAAS.SDK.COMMON.1006', 'verify_code parameter error'))
    const right = await postBind(device, token, { mobile: '13800138000', verify_code: code })
    expect(right.json.status).toBe('SUCCESS')
  })

  test.each([
    [
      'a code is dead after five wrong tries, even the right one',
      5,
      { error_msg: 'verify_code parameter error' },
    ],
    ['four wrong tries still leave the right code usable', 4, { status: 'SUCCESS' }],
  ])('%s', async (_title, wrongTries, answer) => {
    const { device, token } = await loggedIn(context.sandbox)
    const code = await device.sendCode('sms', '13800138000', 'BIND_MOBILE_SMS')
    const wrong = code === '000000' ? '111111' : '000000'
    for (let attempt = 0; attempt < wrongTries; attempt++) {
      await postBind(device, token, { mobile: '13800138000', verify_code: wrong })
    }
    const reply = await postBind(device, token, { mobile: '13800138000', verify_code: code })
    expect(reply.json).toMatchObject(answer)
  })

  test('a code is single-use', async () => {
    const first = new Device(context.sandbox)
    const code = await first.sendCode('sms', '13800138000', 'BIND_MOBILE_SMS')
    const body = { mobile: '13800138000', verify_code: code }
    expect((await postBind(first, await first.stateToken(), body)).status).toBe(200)
    const { device: second, token } = await loggedIn(context.sandbox)
    const reply = await postBind(second, token, body)
    expect(reply.json.error_msg).toBe('verify_code parameter error')
  })

  test('a code older than 5 minutes answers COMMON.1005 "verify_code has expired"', async () => {
    const device = new Device(context.sandbox)
    const code = await device.sendCode('sms', '13800138000', 'BIND_MOBILE_SMS')
    context.clock.advanceS(300)
    const token = await device.stateToken()
    const reply = await postBind(device, token, { mobile: '13800138000', verify_code: code })
    expect(errorOf(reply)).toEqual(refusal('IDAAS.SDK.COMMON.1005', 'verify_code has expired'))
  })

  test('a code never sent answers COMMON.1006', async () => {
    const { device, token } = await loggedIn(context.sandbox)
    const reply = await postBind(device, token, {
      mobile: '13800138000',
      verify_code: '123456',
    })
    expect(reply.json.error_code).toBe('IDAAS.SDK.COMMON.1006')
  })

  test('a code in full-width digits or with spaces is read as its ASCII digits', async () => {
    const { device, token } = await loggedIn(context.sandbox)
    const code = await device.sendCode('sms', '13800138000', 'BIND_MOBILE_SMS')
    const fullWidth = [...code].map((digit) => String.fromCharCode(digit.charCodeAt(0) + 0xfee0)).join('')
    const spaced = `${fullWidth.slice(0, 3)} ${fullWidth.slice(3)}`
    const reply = await postBind(device, token, { mobile: '13800138000', verify_code: spaced })
    expect(reply.json.status).toBe('SUCCESS')
  })

  test.each([
    ['three digits (codes have 4 to 8)', '123'],
    ['nine digits', '123456789'],
    ['letters', '12a456'],
  ])('a code of %s answers COMMON.1002 naming verify_code', async (_case, verifyCode) => {
    const { device, token } = await loggedIn(context.sandbox)
    const reply = await postBind(device, token, {
      mobile: '13800138000',
      verify_code: verifyCode,
    })
    expect(reply.json.error_msg).toBe('Parameter verify_code format is incorrect')
  })

  test('a bind without mobile or email answers COMMON.1001 naming mobile; without a code, naming verify_code', async () => {
    const { device, token } = await loggedIn(context.sandbox)
    expect((await postBind(device, token, { verify_code: '123456' })).json.error_msg).toBe(
      'Parameter mobile cannot be left blank',
    )
    expect((await postBind(device, token, { email: 'a@example.com' })).json.error_msg).toBe(
      'Parameter verify_code cannot be left blank',
    )
  })

  test('a right code for an unknown phone answers COMMON.1013 and keeps the state token', async () => {
    const device = new Device(context.sandbox)
    const { token, reply } = await bindBySms(device, '13600136000')
    expect(errorOf(reply)).toEqual(refusal('IDAAS.SDK.COMMON.1013', 'Corresponding user not found'))
    const { reply: retry } = await bindBySms(device, '13800138000', token)
    expect(retry.json.status).toBe('SUCCESS')
  })

  test.each<[string, SentCode, Json]>([
    [
      'binding by email compares the address case-insensitively',
      sentCode('BIND_EMAIL_EMS', 'ZhangSan@Example.COM', 'zhangsan@example.com'),
      { status: 'SUCCESS' },
    ],
    [
      'a code sent for registering does not bind (the type must match the endpoint)',
      sentCode('REGISTER_SMS', '13800138000'),
      { error_msg: 'verify_code parameter error' },
    ],
    [
      'a right code for an unknown phone says 未找到对应的用户 in Chinese',
      sentCode('BIND_MOBILE_SMS', '13600136000', '13600136000', IN_CHINESE),
      { error_msg: '未找到对应的用户' },
    ],
  ])('%s', async (_what, sent, answer) => {
    const { device, token } = await loggedIn(context.sandbox)
    const reply = await submitSentCode(postBind, device, token, sent)
    expect(reply.json).toMatchObject(answer)
  })
})

describe('state token rules', () => {
  const context = useContractSandbox({ mode: 'auto' })
  const bindBody = { mobile: '13800138000', verify_code: '123456' }

  test('a missing state token answers COMMON.1007', async () => {
    expect(errorOf(await new Device(context.sandbox).post(EIAM_PATHS.bind, bindBody))).toEqual(
      STATE_TOKEN_ERROR,
    )
  })

  test('an unknown state token answers COMMON.1007', async () => {
    const reply = await postBind(new Device(context.sandbox), 'made-up', bindBody)
    expect(errorOf(reply)).toEqual(STATE_TOKEN_ERROR)
  })

  test("another device's state token answers COMMON.1007", async () => {
    const token = await new Device(context.sandbox).stateToken()
    const reply = await postBind(new Device(context.sandbox), token, bindBody)
    expect(errorOf(reply)).toEqual(STATE_TOKEN_ERROR)
  })

  test('a state token older than 10 minutes answers COMMON.1005 "state_token has expired"', async () => {
    const { device, token } = await loggedIn(context.sandbox)
    context.clock.advanceS(600)
    const reply = await postBind(device, token, bindBody, IN_CHINESE)
    expect(reply.json).toEqual({ error_code: 'IDAAS.SDK.COMMON.1005', error_msg: 'state_token 已过期' })
  })

  test('a bind-flow state token is refused by register-bind and the one-tap register endpoint', async () => {
    const { device, token } = await loggedIn(context.sandbox)
    expect(errorOf(await postRegisterBind(device, token, bindBody))).toEqual(STATE_TOKEN_ERROR)
    const oneTap = await postOneTapRegisterBind(device, token, { wechat_code: 'x' })
    expect(errorOf(oneTap)).toEqual(STATE_TOKEN_ERROR)
  })

  test('a second-factor state token is refused by bind', async () => {
    const device = new Device(context.sandbox)
    context.sandbox.linkIdentity(device.fingerprint, 'lisi')
    const token = await device.stateToken()
    expect(errorOf(await postBind(device, token, bindBody))).toEqual(STATE_TOKEN_ERROR)
  })

  test('the state token is checked before the body', async () => {
    const reply = await postBind(new Device(context.sandbox), 'made-up', {})
    expect(errorOf(reply)).toEqual(STATE_TOKEN_ERROR)
  })
})

describe('binding in auto mode', () => {
  const context = useContractSandbox({ mode: 'auto' })

  test('a right code for an unknown phone answers USER_REGISTER, and register-bind creates the user', async () => {
    const device = new Device(context.sandbox)
    const bindToken = await device.stateToken()
    const bindCode = await device.sendCode('sms', '13600136000', 'BIND_MOBILE_SMS')
    const bind = await postBind(device, bindToken, { mobile: '13600136000', verify_code: bindCode })
    expect(bind.json).toEqual({
      status: 'USER_REGISTER',
      state_token: expect.any(String),
      data: '{"socialBindOrRegisterFlow":["VERIFY_PHONE","VERIFY_EMAIL"]}',
    })
    const registerToken = stringField(bind, 'state_token')
    expect((await postBind(device, bindToken, {})).json.error_code).toBe('IDAAS.SDK.COMMON.1007')

    const code = await device.sendCode('sms', '13600136000', 'REGISTER_SMS')
    const register = await postRegisterBind(device, registerToken, {
      mobile: '13600136000',
      verify_code: code,
    })
    expect(register.json.status).toBe('SUCCESS')
    expect(claimsOf(stringField(register, 'id_token'))).toMatchObject({
      name: '13600136000',
      userName: '13600136000',
      mobile: '+86-13600136000',
    })
    expect((await device.login()).json.status).toBe('SUCCESS')
  })

  test('a bind code does not register (register-bind needs a REGISTER_* code)', async () => {
    const device = new Device(context.sandbox)
    const bindToken = await device.stateToken()
    const bindCode = await device.sendCode('sms', '13600136000', 'BIND_MOBILE_SMS')
    const bind = await postBind(device, bindToken, { mobile: '13600136000', verify_code: bindCode })
    const reply = await postRegisterBind(device, stringField(bind, 'state_token'), {
      mobile: '13600136000',
      verify_code: bindCode,
    })
    expect(reply.json.error_msg).toBe('verify_code parameter error')
  })

  test('one-tap with an unknown phone answers USER_REGISTER, and one-tap register-bind completes it', async () => {
    const device = new Device(context.sandbox)
    const oneTap = await postOneTapBind(device, await device.stateToken(), {
      wechat_code: 'phone:13500135000',
    })
    expect(oneTap.json.status).toBe('USER_REGISTER')
    const register = await postOneTapRegisterBind(device, stringField(oneTap, 'state_token'), {
      wechat_code: 'phone:13500135000',
    })
    expect(claimsOf(stringField(register, 'id_token')).userName).toBe('13500135000')
  })
})

describe('binding in register mode', () => {
  const context = useContractSandbox({ mode: 'register' })

  test('register-bind with a known phone links that user and answers their policy', async () => {
    const { device, token } = await loggedIn(context.sandbox)
    const code = await device.sendCode('sms', '13900139000', 'REGISTER_SMS')
    const reply = await postRegisterBind(device, token, { mobile: '13900139000', verify_code: code })
    expect(reply.json).toEqual({ status: 'MFA_AUTH', state_token: expect.any(String) })
    expect((await device.login()).json.status).toBe('MFA_AUTH')
  })

  test('register-bind with a new email creates a user named after it, signed in at once', async () => {
    const { device, token } = await loggedIn(context.sandbox)
    const code = await device.sendCode('email', 'New.Person@Example.com', 'REGISTER_EMS')
    const reply = await postRegisterBind(device, token, {
      email: 'New.Person@Example.com',
      verify_code: code,
    })
    const claims = claimsOf(stringField(reply, 'id_token'))
    expect(claims).toMatchObject({ name: 'new.person@example.com', email: 'new.person@example.com' })
    expect(claims).not.toHaveProperty('mobile')
  })

  test('a bind-flow endpoint refuses the register-flow state token', async () => {
    const { device, token } = await loggedIn(context.sandbox)
    const reply = await postBind(device, token, {
      mobile: '13800138000',
      verify_code: '123456',
    })
    expect(errorOf(reply)).toEqual(STATE_TOKEN_ERROR)
  })

  test('reset forgets links and created users, and numbering starts over', async () => {
    const { device, token } = await loggedIn(context.sandbox)
    const code = await device.sendCode('email', 'temp@example.com', 'REGISTER_EMS')
    const first = await postRegisterBind(device, token, { email: 'temp@example.com', verify_code: code })
    const firstId = claimsOf(stringField(first, 'id_token')).id
    context.sandbox.reset()
    expect((await device.login()).json.status).toBe('USER_REGISTER')
    const again = new Device(context.sandbox)
    const againToken = await again.stateToken()
    const againCode = await again.sendCode('email', 'temp@example.com', 'REGISTER_EMS')
    const second = await postRegisterBind(again, againToken, {
      email: 'temp@example.com',
      verify_code: againCode,
    })
    expect(claimsOf(stringField(second, 'id_token')).id).toBe(firstId)
  })
})

describe('one-tap binding with the getPhoneNumber code', () => {
  const context = useContractSandbox()

  const oneTap = async (device: Device, wechatCode: unknown) =>
    postOneTapBind(device, await device.stateToken(), { wechat_code: wechatCode })

  test('"phone:<mobile>" binds the user of that mobile', async () => {
    const reply = await oneTap(new Device(context.sandbox), 'phone:+86 139 0013 9000')
    expect(reply.json.status).toBe('MFA_AUTH')
  })

  test('any other code stands for 13800138000 (张三)', async () => {
    const device = new Device(context.sandbox)
    const reply = await oneTap(device, 'f3a9c1e0b7d2')
    expect(claimsOf(stringField(reply, 'id_token')).userName).toBe('zhangsan')
    expect((await device.login()).json.status).toBe('SUCCESS')
  })

  test('an unknown phone answers COMMON.1013 in bind mode', async () => {
    expect((await oneTap(new Device(context.sandbox), 'phone:13600136000')).json.error_code).toBe(
      'IDAAS.SDK.COMMON.1013',
    )
  })

  test('a "phone:" code with an invalid mobile answers COMMON.1002 naming wechat_code', async () => {
    expect((await oneTap(new Device(context.sandbox), 'phone:12345')).json.error_msg).toBe(
      'Parameter wechat_code format is incorrect',
    )
  })

  test('a missing wechat_code answers COMMON.1001', async () => {
    expect((await oneTap(new Device(context.sandbox), undefined)).json.error_msg).toBe(
      'Parameter wechat_code cannot be left blank',
    )
  })
})

describe('limits can be configured', () => {
  test('codeTtlS and stateTtlS shorten the code and state token lifetimes', async () => {
    await withSandbox({ clockAt: CONTRACT_EPOCH, codeTtlS: 30, stateTtlS: 40 }, async (sandbox, clock) => {
      const device = new Device(sandbox)
      const token = await device.stateToken()
      const code = await device.sendCode('sms', '13800138000', 'BIND_MOBILE_SMS')
      clock.advanceS(30)
      const body = { mobile: '13800138000', verify_code: code }
      expect((await postBind(device, token, body)).json.error_msg).toBe('verify_code has expired')
      clock.advanceS(10)
      expect((await postBind(device, token, body)).json.error_msg).toBe('state_token has expired')
    })
  })

  test('resendS and maxWrongTries change the resend interval and the tries a code survives', async () => {
    await withSandbox({ clockAt: CONTRACT_EPOCH, resendS: 5, maxWrongTries: 1 }, async (sandbox, clock) => {
      const device = new Device(sandbox)
      await device.sendCode('sms', '13800138000', 'BIND_MOBILE_SMS')
      clock.advanceS(5)
      const code = await device.sendCode('sms', '13800138000', 'BIND_MOBILE_SMS')
      const token = await device.stateToken()
      const wrong = code === '000000' ? '111111' : '000000'
      await postBind(device, token, { mobile: '13800138000', verify_code: wrong })
      const reply = await postBind(device, token, { mobile: '13800138000', verify_code: code })
      expect(reply.json.error_msg).toBe('verify_code parameter error')
    })
  })

  test('captchaTtlS changes the puzzle lifetime', async () => {
    await withSandbox({ clockAt: CONTRACT_EPOCH, captchaTtlS: 10 }, async (sandbox, clock) => {
      const device = new Device(sandbox)
      const token = stringField(await device.get(EIAM_PATHS.captcha), 'token')
      clock.advanceS(10)
      expect(sandbox.captchaAnswer(token)).toBeUndefined()
    })
  })
})
