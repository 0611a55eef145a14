import { EIAM_PATHS } from '../../miniprogram/services/eiam'
import {
  claimsOf,
  Device,
  errorOf,
  postMfaEmail,
  postMfaSms,
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

describe('the second factor of 李四', () => {
  const context = useContractSandbox()

  /** A device linked to 李四, logged in: the MFA state token. */
  async function lisi(): Promise<{ device: Device; token: string }> {
    const device = new Device(context.sandbox)
    context.sandbox.linkIdentity(device.fingerprint, 'lisi')
    const login = await device.login()
    expect(login.json.status).toBe('MFA_AUTH')
    return { device, token: stringField(login, 'state_token') }
  }

  test('mobile-by-token shows the phone as +86-13900139000 and keeps the state token', async () => {
    const { device, token } = await lisi()
    const first = await device.get(EIAM_PATHS.mobileByToken, { stateToken: token })
    expect(first.status).toBe(200)
    expect(first.json).toEqual({ mobile: '+86-13900139000' })
    expect((await device.get(EIAM_PATHS.mobileByToken, { stateToken: token })).json).toEqual({
      mobile: '+86-13900139000',
    })
  })

  test('an SMS code of type MFA_AUTH_SMS to the own phone signs in and spends the state token', async () => {
    const { device, token } = await lisi()
    const code = await device.sendCode('sms', '13900139000', 'MFA_AUTH_SMS')
    const reply = await postMfaSms(device, token, { mobile: '+86-13900139000', verify_code: code })
    expect(reply.json).toEqual(SIGNED_IN)
    expect(claimsOf(stringField(reply, 'id_token'))).toMatchObject({
      userName: 'lisi',
      mobile: '+86-13900139000',
    })
    expect(errorOf(await device.get(EIAM_PATHS.mobileByToken, { stateToken: token }))).toEqual(
      STATE_TOKEN_ERROR,
    )
  })

  test.each<[string, typeof postMfaSms, SentCode, Json]>([
    [
      'an email code of type MFA_AUTH_EMS to the own address, in any case, signs in',
      postMfaEmail,
      sentCode('MFA_AUTH_EMS', 'LiSi@Example.com', 'lisi@EXAMPLE.com'),
      { status: 'SUCCESS' },
    ],
    [
      "another person's email answers COMMON.1006 naming email",
      postMfaEmail,
      sentCode('MFA_AUTH_EMS', 'zhangsan@example.com'),
      { error_msg: 'email parameter error' },
    ],
    [
      'a bind code does not pass the second factor',
      postMfaSms,
      sentCode('BIND_MOBILE_SMS', '13900139000'),
      { error_msg: 'verify_code parameter error' },
    ],
  ])('%s', async (_what, call, sent, answer) => {
    const { device, token } = await lisi()
    expect((await submitSentCode(call, device, token, sent)).json).toMatchObject(answer)
  })

  test("another person's phone answers COMMON.1006 naming mobile, and the state token survives", async () => {
    const { device, token } = await lisi()
    const code = await device.sendCode('sms', '13800138000', 'MFA_AUTH_SMS')
    const reply = await postMfaSms(device, token, { mobile: '13800138000', verify_code: code })
    expect(errorOf(reply)).toEqual(refusal('IDAAS.SDK.COMMON.1006', 'mobile parameter error'))
    expect((await device.get(EIAM_PATHS.mobileByToken, { stateToken: token })).status).toBe(200)
  })

  test('a wrong code answers COMMON.1006 and the right one still works', async () => {
    const { device, token } = await lisi()
    const code = await device.sendCode('sms', '13900139000', 'MFA_AUTH_SMS')
    const wrong = code === '000000' ? '111111' : '000000'
    const first = await postMfaSms(device, token, { mobile: '13900139000', verify_code: wrong })
    expect(first.json.error_msg).toBe('verify_code parameter error')
    const second = await postMfaSms(device, token, { mobile: '13900139000', verify_code: code })
    expect(second.json.status).toBe('SUCCESS')
  })

  test('the second factor needs the second-factor state token: a bind token answers COMMON.1007', async () => {
    const device = new Device(context.sandbox)
    const bindToken = await device.stateToken()
    expect(errorOf(await device.get(EIAM_PATHS.mobileByToken, { stateToken: bindToken }))).toEqual(
      STATE_TOKEN_ERROR,
    )
    const reply = await postMfaSms(device, bindToken, { mobile: '13900139000', verify_code: '123456' })
    expect(errorOf(reply)).toEqual(STATE_TOKEN_ERROR)
  })

  test('mobile-by-token without a state token answers COMMON.1007', async () => {
    expect(errorOf(await new Device(context.sandbox).get(EIAM_PATHS.mobileByToken))).toEqual(
      STATE_TOKEN_ERROR,
    )
  })

  test('the second-factor state token expires after 10 minutes', async () => {
    const { device, token } = await lisi()
    context.clock.advanceS(600)
    expect(errorOf(await device.get(EIAM_PATHS.mobileByToken, { stateToken: token }))).toEqual(
      refusal('IDAAS.SDK.COMMON.1005', 'state_token has expired'),
    )
  })

  test('missing fields answer COMMON.1001 naming them', async () => {
    const { device, token } = await lisi()
    expect((await postMfaSms(device, token, { verify_code: '123456' })).json.error_msg).toBe(
      'Parameter mobile cannot be left blank',
    )
    expect((await postMfaEmail(device, token, { email: 'lisi@example.com' })).json.error_msg).toBe(
      'Parameter verify_code cannot be left blank',
    )
  })
})
