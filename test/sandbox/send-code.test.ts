import { SEND_TYPES } from '../../sandbox'
import { EIAM_PATHS } from '../../miniprogram/services/eiam'
import { Device, errorOf, refusal, useContractSandbox } from './support'

/** sms/send of a BIND_MOBILE_SMS code to `mobile` with a captcha token. */
const sendBindSms = (from: Device, mobile: string, captchaToken: string) =>
  from.post(EIAM_PATHS.smsSend, { mobile, type: 'BIND_MOBILE_SMS', captcha_token: captchaToken })

describe('sending verification codes', () => {
  const context = useContractSandbox()
  const device = () => new Device(context.sandbox)

  async function send(channel: 'sms' | 'email', target: string, type: string, sender = target) {
    const phone = device()
    const captchaToken = await phone.solveCaptcha(sender)
    return channel === 'sms'
      ? phone.post(EIAM_PATHS.smsSend, { mobile: target, type, captcha_token: captchaToken })
      : phone.post(EIAM_PATHS.emailSend, { email: target, type, captcha_token: captchaToken })
  }

  test('an SMS send answers 200 with an empty body and prints the code line on stdout', async () => {
    const reply = await send('sms', '13800138000', 'BIND_MOBILE_SMS')
    expect(reply.status).toBe(200)
    expect(reply.text).toBe('')
    expect(reply.headers.get('content-length')).toBe('0')
    const code = context.sandbox.lastCode('13800138000')
    expect(code).toMatch(/^\d{6}$/)
    expect(context.lines).toEqual([`[eiam-sandbox] SMS to 13800138000 type=BIND_MOBILE_SMS code=${code}`])
    expect(context.sandbox.outbox()).toEqual([
      { channel: 'sms', target: '13800138000', type: 'BIND_MOBILE_SMS', code, at: context.clock.now() },
    ])
  })

  test('an email send prints an EMAIL line with the address as the request sent it', async () => {
    const reply = await send('email', 'ZhangSan@Example.com', 'REGISTER_EMS')
    expect(reply.status).toBe(200)
    const code = context.sandbox.lastCode('zhangsan@example.com')
    expect(context.lines).toEqual([
      `[eiam-sandbox] EMAIL to ZhangSan@Example.com type=REGISTER_EMS code=${code}`,
    ])
  })

  test('the code line carries the mobile as sent; lastCode finds it under any spelling of the number', async () => {
    await send('sms', '+86 139-0013-9000', 'MFA_AUTH_SMS', '13900139000')
    const code = context.sandbox.lastCode('+8613900139000')
    expect(code).toMatch(/^\d{6}$/)
    expect(context.sandbox.lastCode('13900139000')).toBe(code)
    expect(context.lines).toEqual([`[eiam-sandbox] SMS to +86 139-0013-9000 type=MFA_AUTH_SMS code=${code}`])
  })

  test('a mobile carrying a newline still prints exactly one line', async () => {
    expect((await send('sms', '138\n0013\t8000', 'BIND_MOBILE_SMS', '13800138000')).status).toBe(200)
    const code = context.sandbox.lastCode('13800138000')
    expect(context.lines).toEqual([`[eiam-sandbox] SMS to 138 0013 8000 type=BIND_MOBILE_SMS code=${code}`])
  })

  test.each([
    ['full-width digits', '１３８００１３８０００'],
    ['a +86 prefix', '+8613800138000'],
    ['a +86- prefix', '+86-13800138000'],
    ['spaces and dashes', '138 0013-8000'],
    ['a Hong Kong number', '+852-51234567'],
    ['a Singapore number', '+65-81234567'],
    ['a US number', '+1-4155552671'],
  ])('a mobile with %s is accepted', async (_case, mobile) => {
    expect((await send('sms', mobile, 'BIND_MOBILE_SMS')).status).toBe(200)
  })

  test.each([
    ['10 digits', '1380013800'],
    ['12 digits', '138001380001'],
    ['a second digit below 3', '12800138000'],
    ['letters', '1380013800a'],
    ['an unknown area code', '+999-12345678'],
    ['a Hong Kong number of the wrong length', '+852-5123456'],
    ['a Macao number not starting with 6', '+853-51234567'],
  ])('a mobile with %s answers COMMON.1002 naming mobile', async (_case, mobile) => {
    const reply = await device().post(EIAM_PATHS.smsSend, {
      mobile,
      type: 'BIND_MOBILE_SMS',
      captcha_token: 'any',
    })
    expect(errorOf(reply)).toEqual(refusal('IDAAS.SDK.COMMON.1002', 'Parameter mobile format is incorrect'))
  })

  test.each([
    ['no dot in the domain', 'zhangsan@example'],
    ['two @', 'a@b@example.com'],
    ['non-ASCII', '张三@example.com'],
    ['over 254 characters', `${'a'.repeat(243)}@example.com`],
  ])('an email with %s answers COMMON.1002 naming email', async (_case, email) => {
    const reply = await device().post(EIAM_PATHS.emailSend, {
      email,
      type: 'BIND_EMAIL_EMS',
      captcha_token: 'any',
    })
    expect(reply.json.error_msg).toBe('Parameter email format is incorrect')
  })

  test('the target format is checked first, then the type, then the captcha token', async () => {
    const badMobile = await device().post(EIAM_PATHS.smsSend, { mobile: '123', type: 'NOPE' })
    expect(badMobile.json.error_msg).toBe('Parameter mobile format is incorrect')
    const badType = await device().post(EIAM_PATHS.smsSend, { mobile: '13800138000', type: 'NOPE' })
    expect(badType.json.error_msg).toBe('Parameter type format is incorrect')
    const noCaptcha = await device().post(EIAM_PATHS.smsSend, {
      mobile: '13800138000',
      type: 'BIND_MOBILE_SMS',
    })
    expect(noCaptcha.json.error_msg).toBe('Parameter captcha_token cannot be left blank')
  })

  test.each([
    ['sms', 'BIND_EMAIL_EMS'],
    ['sms', 'LOGIN_SMS'],
    ['email', 'REGISTER_SMS'],
    ['email', 'FORGET_PWD_EMS'],
  ] as const)('the %s channel refuses type %s with COMMON.1002 naming type', async (channel, type) => {
    const target = channel === 'sms' ? '13800138000' : 'zhangsan@example.com'
    const reply = await send(channel, target, type)
    expect(reply.json.error_msg).toBe('Parameter type format is incorrect')
    expect(context.lines).toEqual([])
  })

  test('each channel accepts exactly its bind, register and second-factor types', () => {
    expect(SEND_TYPES).toEqual({
      sms: ['BIND_MOBILE_SMS', 'REGISTER_SMS', 'MFA_AUTH_SMS'],
      email: ['BIND_EMAIL_EMS', 'REGISTER_EMS', 'MFA_AUTH_EMS'],
    })
  })

  test.each(['mobile', 'type', 'captcha_token'])(
    'an SMS send without %s answers COMMON.1001',
    async (field) => {
      const body: Record<string, string> = {
        mobile: '13800138000',
        type: 'BIND_MOBILE_SMS',
        captcha_token: 't',
      }
      delete body[field]
      const reply = await device().post(EIAM_PATHS.smsSend, body)
      expect(reply.json.error_msg).toBe(`Parameter ${field} cannot be left blank`)
    },
  )

  test('a second send within 60 s answers CAPTCHA.0006 with the seconds left, without spending the captcha token', async () => {
    const phone = device()
    await phone.sendCode('sms', '13800138000', 'BIND_MOBILE_SMS')
    context.clock.advanceS(20.5)
    const captchaToken = await phone.solveCaptcha('13800138000')
    const body = { mobile: '13800138000', type: 'BIND_MOBILE_SMS', captcha_token: captchaToken }
    const tooSoon = await phone.post(EIAM_PATHS.smsSend, body, { headers: { 'X-L': 'zh' } })
    expect(tooSoon.json).toEqual({
      error_code: 'IDAAS.SDK.CAPTCHA.0006',
      error_msg: '验证码发送失败：请 40 秒后重试',
    })
    const english = await phone.post(EIAM_PATHS.smsSend, body)
    expect(english.json.error_msg).toBe('Failed to send verification code: retry in 40 s')
    context.clock.advanceS(39.5)
    expect((await phone.post(EIAM_PATHS.smsSend, body)).status).toBe(200)
    expect(context.sandbox.outbox()).toHaveLength(2)
  })

  test('the resend interval is per type and target', async () => {
    const phone = device()
    await phone.sendCode('sms', '13800138000', 'BIND_MOBILE_SMS')
    await expect(phone.sendCode('sms', '13800138000', 'REGISTER_SMS')).resolves.toMatch(/^\d{6}$/)
    await expect(phone.sendCode('sms', '13900139000', 'BIND_MOBILE_SMS')).resolves.toMatch(/^\d{6}$/)
  })

  test('the resend interval counts the number, however it is spelled', async () => {
    const phone = device()
    await phone.sendCode('sms', '13800138000', 'BIND_MOBILE_SMS')
    const reply = await send('sms', '+86-13800138000', 'BIND_MOBILE_SMS')
    expect(reply.json.error_code).toBe('IDAAS.SDK.CAPTCHA.0006')
  })

  test('a captcha token solved for one spelling of a number works for another', async () => {
    expect((await send('sms', '13800138000', 'BIND_MOBILE_SMS', '+86 138 0013 8000')).status).toBe(200)
  })

  test('a captcha token solved for another sender answers CAPTCHA.0004, and is spent by that attempt', async () => {
    const phone = device()
    const captchaToken = await phone.solveCaptcha('13900139000')
    const wrongSender = await sendBindSms(phone, '13800138000', captchaToken)
    expect(errorOf(wrongSender)).toEqual(refusal('IDAAS.SDK.CAPTCHA.0004', 'CAPTCHA token invalid'))
    const rightSender = await sendBindSms(phone, '13900139000', captchaToken)
    expect(rightSender.json.error_code).toBe('IDAAS.SDK.CAPTCHA.0004')
    expect(context.lines).toEqual([])
  })

  test('a captcha token works once', async () => {
    const phone = device()
    const captchaToken = await phone.solveCaptcha('zhangsan@example.com')
    const body = { email: 'zhangsan@example.com', type: 'BIND_EMAIL_EMS', captcha_token: captchaToken }
    expect((await phone.post(EIAM_PATHS.emailSend, body)).status).toBe(200)
    context.clock.advanceS(60)
    expect((await phone.post(EIAM_PATHS.emailSend, body)).json.error_code).toBe('IDAAS.SDK.CAPTCHA.0004')
  })

  test('an unknown captcha token answers CAPTCHA.0004', async () => {
    const reply = await device().post(EIAM_PATHS.smsSend, {
      mobile: '13800138000',
      type: 'BIND_MOBILE_SMS',
      captcha_token: 'made-up---{"x":1,"y":5}',
    })
    expect(reply.json.error_code).toBe('IDAAS.SDK.CAPTCHA.0004')
  })

  test('a captcha token older than 2 minutes answers CAPTCHA.0003', async () => {
    const phone = device()
    const captchaToken = await phone.solveCaptcha('13800138000')
    context.clock.advanceS(121)
    const reply = await sendBindSms(phone, '13800138000', captchaToken)
    expect(errorOf(reply)).toEqual(refusal('IDAAS.SDK.CAPTCHA.0003', 'CAPTCHA token expired'))
  })
})
