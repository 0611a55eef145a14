/**
 * The sandbox playing each tenant variant of docs/eiam-api.md §10 (options `codeLength`, `captchaAes: 'key-plain'`,
 * `wrongCode`, `rotate`, `mfaMobile`), over HTTP as a client sees it.
 */
import { EIAM_PATHS } from '../../miniprogram/services/eiam'
import {
  claimsOf,
  Device,
  errorOf,
  loggedIn,
  postBind,
  postMfaSms,
  refusal,
  stringField,
  useContractSandbox,
  type Reply,
} from './support'

describe('EIAM_SANDBOX_CODE_LENGTH', () => {
  const four = useContractSandbox({ codeLength: 4 })
  const eight = useContractSandbox({ codeLength: 8 })

  test.each([
    ['4', four, /^\d{4}$/],
    ['8', eight, /^\d{8}$/],
  ])('codes are %s digits, and such a code binds', async (_, context, pattern) => {
    const { device, token } = await loggedIn(context.sandbox)
    const code = await device.sendCode('sms', '13800138000', 'BIND_MOBILE_SMS')
    expect(code).toMatch(pattern)
    const reply = await postBind(device, token, { mobile: '13800138000', verify_code: code })
    expect(reply.json.status).toBe('SUCCESS')
  })

  test('a code of another length (within 4–8) is a wrong code, not a format error', async () => {
    const device = new Device(four.sandbox)
    const token = await device.stateToken()
    await device.sendCode('sms', '13800138000', 'BIND_MOBILE_SMS')
    const reply = await postBind(device, token, { mobile: '13800138000', verify_code: '123456' })
    expect(errorOf(reply)).toEqual(refusal('IDAAS.SDK.COMMON.1006', 'verify_code parameter error'))
  })
})

describe('EIAM_SANDBOX_WRONG_CODE=vendor', () => {
  const vendor = useContractSandbox({ wrongCode: 'vendor' })

  async function wrongCodeReply(channel: 'sms' | 'email', target: string): Promise<Reply> {
    const device = new Device(vendor.sandbox)
    const token = await device.stateToken()
    const code = await device.sendCode(
      channel,
      target,
      channel === 'sms' ? 'BIND_MOBILE_SMS' : 'BIND_EMAIL_EMS',
    )
    const wrong = code === '000000' ? '111111' : '000000'
    const field = channel === 'sms' ? 'mobile' : 'email'
    return postBind(device, token, { [field]: target, verify_code: wrong })
  }

  test('a wrong SMS code answers SDK.SMS.1005', async () => {
    expect(errorOf(await wrongCodeReply('sms', '13800138000'))).toEqual(
      refusal('IDAAS.SDK.SMS.1005', 'Incorrect SMS code'),
    )
  })

  test('a wrong email code answers SDK.SMS.1006', async () => {
    expect(errorOf(await wrongCodeReply('email', 'zhangsan@example.com'))).toEqual(
      refusal('IDAAS.SDK.SMS.1006', 'Incorrect email code'),
    )
  })

  test('a code never sent is refused the same way', async () => {
    const device = new Device(vendor.sandbox)
    const reply = await postBind(device, await device.stateToken(), {
      mobile: '13800138000',
      verify_code: '123456',
    })
    expect(errorOf(reply).code).toBe('IDAAS.SDK.SMS.1005')
  })
})

describe('EIAM_SANDBOX_CAPTCHA_AES=key-plain (the vendor example)', () => {
  const keyPlain = useContractSandbox({ captchaAes: 'key-plain' })

  test('a puzzle carries a 16-character secretKey, yet a plain point_json passes', async () => {
    const device = new Device(keyPlain.sandbox)
    const puzzle = await device.get(EIAM_PATHS.captcha)
    expect(stringField(puzzle, 'secretKey')).toMatch(/^[A-Za-z0-9]{16}$/)
    const token = stringField(puzzle, 'token')
    const pointJson = JSON.stringify({ x: keyPlain.sandbox.captchaAnswer(token), y: 5 })
    const reply = await device.post(EIAM_PATHS.captchaVerify, {
      point_json: pointJson,
      token,
      sender: '13800138000',
    })
    expect(reply.json).toEqual({ captcha_token: `${token}---${pointJson}` })
  })
})

describe('EIAM_SANDBOX_ROTATE', () => {
  const still = useContractSandbox({ rotate: false })
  const rotating = useContractSandbox()

  async function signedIn(context: typeof still): Promise<{ device: Device; session: string }> {
    const device = new Device(context.sandbox)
    context.sandbox.linkIdentity(device.fingerprint, 'zhangsan')
    return { device, session: stringField(await device.login(), 'session_token') }
  }

  const refresh = (device: Device, sessionToken: string) =>
    device.post(EIAM_PATHS.refresh, undefined, { headers: { 'X-session-token': sessionToken } })

  test('0: refresh answers the same session token with a new id_token, and it keeps working', async () => {
    const { device, session } = await signedIn(still)
    still.clock.advanceS(60)
    const first = await refresh(device, session)
    const second = await refresh(device, session)

    expect(first.json).toEqual({ session_token: session, expire: 432000, id_token: expect.any(String) })
    expect(second.json.session_token).toBe(session)
    expect(claimsOf(stringField(first, 'id_token')).iat).toBeGreaterThan(0)
  })

  test('0: the session still ends when it did, whatever refresh answered as expire', async () => {
    const { device, session } = await signedIn(still)
    await refresh(device, session)
    still.clock.advanceS(432000)
    expect(errorOf(await refresh(device, session)).code).toBe('IDAAS.SDK.PARAM.0023')
  })

  test('1 (default): refresh rotates', async () => {
    const { device, session } = await signedIn(rotating)
    const reply = await refresh(device, session)
    expect(stringField(reply, 'session_token')).not.toBe(session)
  })
})

describe('EIAM_SANDBOX_MFA_MOBILE', () => {
  const dash = useContractSandbox()
  const bare = useContractSandbox({ mfaMobile: 'bare' })

  async function lisiPhone(
    context: typeof dash,
  ): Promise<{ device: Device; token: string; mobile: unknown }> {
    const device = new Device(context.sandbox)
    context.sandbox.linkIdentity(device.fingerprint, 'lisi')
    const token = await device.stateToken()
    const reply = await device.get(EIAM_PATHS.mobileByToken, { stateToken: token })
    return { device, token, mobile: reply.json.mobile }
  }

  test('dash (default): +86-139…', async () => {
    expect((await lisiPhone(dash)).mobile).toBe('+86-13900139000')
  })

  test('bare: 11 digits, which mfa/sms takes as they are', async () => {
    const { device, token, mobile } = await lisiPhone(bare)
    expect(mobile).toBe('13900139000')
    const code = await device.sendCode('sms', '13900139000', 'MFA_AUTH_SMS')
    const reply = await postMfaSms(device, token, { mobile, verify_code: code })
    expect(reply.json.status).toBe('SUCCESS')
  })
})
