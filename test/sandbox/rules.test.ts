/**
 * Sandbox rules at their edges, as a client (or a direct caller of an exported rule) observes them: which faults
 * the test hooks take, which code types each dialect sends and accepts, and which code the outbox hook answers.
 */
import { EIAM_PATHS } from '../../miniprogram/services/eiam'
import { ONEACCESS_ENDPOINT_PATHS, SandboxError, type SandboxOptions } from '../../sandbox'
import { signingKey, type SigningKey } from '../../sandbox/jwt'
import { resolveOptions } from '../../sandbox/options'
import { Tenant } from '../../sandbox/tenant'
import { parseFault } from '../../sandbox/faults'
import {
  CONTRACT_EPOCH,
  Device,
  SIGNED_IN,
  claimsOf,
  errorOf,
  loggedIn,
  postBind,
  postMfaEmail,
  postPasswordBind,
  postRegisterBind,
  refusal,
  sentCode,
  stringField,
  submitSentCode,
  useContractSandbox,
} from './support'
import { oneAccessSigner } from './signing'

describe('parseFault: the faults POST /__sandbox/faults takes', () => {
  /** The fault as the sandbox keeps it, or the refusal (code and words) it throws. */
  function parsed(input: unknown): unknown {
    try {
      return parseFault(input)
    } catch (error) {
      if (error instanceof SandboxError) return `${error.code} ${error.message}`
      throw error
    }
  }
  const formatOf = (name: string) => `SDK.COMMON.1002 Parameter ${name} format is incorrect`
  const path = '/api/v2/sdk/country-codes'

  test.each([
    ['times, delayMs and status at their least', { times: 1, delayMs: 0, status: 100 }],
    ['times, delayMs and status at their most', { times: 1_000_000, delayMs: 120_000, status: 599 }],
    ['the flags as given', { malformed: false, drop: true }],
    ['a null body, sent as such', { body: null }],
  ])('%s are kept', (_case, fields) => {
    expect(parsed({ path, ...fields })).toStrictEqual({ path, times: 1, ...fields })
  })

  test('null numbers and flags count as absent: once, no delay, no status, no flags', () => {
    expect(
      parsed({ path, times: null, delayMs: null, status: null, malformed: null, drop: null }),
    ).toStrictEqual({
      path,
      times: 1,
    })
  })

  test.each([
    ['times', 0],
    ['times', 1_000_001],
    ['times', 1.5],
    ['times', '2'],
    ['delayMs', -1],
    ['delayMs', 120_001],
    ['status', 99],
    ['status', 600],
    ['malformed', 'yes'],
    ['drop', 1],
  ])('%s = %p is refused naming that field', (name, value) => {
    expect(parsed({ path, [name]: value })).toBe(formatOf(name))
  })

  test.each([[null], [[{ path }]], ['/api/v2/sdk/country-codes'], [7]])(
    'a body that is not an object (%p) is refused naming body',
    (input) => {
      expect(parsed(input)).toBe(formatOf('body'))
    },
  )

  test.each([[undefined], [null], ['']])('a path of %p is refused as blank', (value) => {
    expect(parsed({ path: value })).toBe('SDK.COMMON.1001 Parameter path cannot be left blank')
  })

  test.each([[42], ['api/v2/sdk/country-codes']])('a path of %p is refused as malformed', (value) => {
    expect(parsed({ path: value })).toBe(formatOf('path'))
  })
})

describe('the oneaccess dialect: every code type but the second-factor SMS is the bamboo one', () => {
  const context = useContractSandbox({ dialect: 'oneaccess' })

  test.each([
    ['bind', 'BIND_MOBILE_SMS', '13800138000'],
    ['bind', 'BIND_EMAIL_EMS', 'zhangsan@example.com'],
    ['second factor', 'MFA_AUTH_EMS', 'lisi@example.com'],
  ])('a %s with a %s code to %s signs in', async (use, type, target) => {
    const { device, token } = use === 'bind' ? await loggedIn(context.sandbox) : await mfaOf('lisi')
    const reply = await submitSentCode(
      use === 'bind' ? postBind : postMfaEmail,
      device,
      token,
      sentCode(type, target),
    )
    expect(reply.json).toEqual(SIGNED_IN)
  })

  test('unbinding a link removes that one only, whoever was linked before it', async () => {
    const colleague = linkedTo('lisi')
    const device = linkedTo('zhangsan')
    const sessionToken = stringField(await device.login(), 'session_token')
    const headers = (await oneAccessSigner(device))(sessionToken, context.clock.now())
    const listed = await device.get(ONEACCESS_ENDPOINT_PATHS.social, { headers })
    const [own] = listed.json.social_accounts as { id: string }[]
    expect((await device.post(ONEACCESS_ENDPOINT_PATHS.unbind, { id: own?.id }, { headers })).status).toBe(
      200,
    )
    expect((await device.login()).json.status).toBe('SOCIAL_BIND')
    expect((await colleague.login()).json.status).toBe('MFA_AUTH')
  })

  /** A device whose WeChat identity is linked to `user`. */
  function linkedTo(user: string): Device {
    const device = new Device(context.sandbox)
    context.sandbox.linkIdentity(device.fingerprint, user)
    return device
  }

  async function mfaOf(user: string): Promise<{ device: Device; token: string }> {
    const device = linkedTo(user)
    return { device, token: await device.stateToken() }
  }
})

describe('users created by register-bind (register mode)', () => {
  const context = useContractSandbox({ mode: 'register' })

  test('are numbered from 20001 up, after every reset again', async () => {
    const register = async (mobile: string) => {
      const { device, token } = await loggedIn(context.sandbox)
      const reply = await submitSentCode(postRegisterBind, device, token, sentCode('REGISTER_SMS', mobile))
      return claimsOf(stringField(reply, 'id_token'))
    }
    expect(await register('13511112222')).toMatchObject({ id: '20001', userName: '13511112222' })
    expect(await register('13511113333')).toMatchObject({ id: '20002', userName: '13511113333' })
    context.sandbox.reset()
    expect(await register('13511114444')).toMatchObject({ id: '20001', userName: '13511114444' })
  })
})

describe('the newest code of a target (Sandbox.lastCode)', () => {
  const context = useContractSandbox()

  test('is the last one sent there, however many went elsewhere since; none for a target never sent to', async () => {
    const device = new Device(context.sandbox)
    await device.sendCode('sms', '13800138000', 'BIND_MOBILE_SMS')
    await device.sendCode('sms', '+86 138 0013 8000', 'REGISTER_SMS')
    await device.sendCode('email', 'lisi@example.com', 'BIND_EMAIL_EMS')
    await device.sendCode('sms', '13900139000', 'BIND_MOBILE_SMS')
    const outbox = context.sandbox.outbox()
    expect(outbox.map((entry) => entry.target)).toEqual([
      '13800138000',
      '+86 138 0013 8000',
      'lisi@example.com',
      '13900139000',
    ])
    expect(context.sandbox.lastCode('+8613800138000')).toBe(outbox[1]?.code)
    expect(context.sandbox.lastCode('LISI@example.com')).toBe(outbox[2]?.code)
    expect(context.sandbox.lastCode('13700137000')).toBeUndefined()
  })
})

describe('identifiers as the sandbox compares them', () => {
  const context = useContractSandbox()

  test('a user name is forgiven its case only: lısı (dotless ı) and ſunqi (long s) are nobody', async () => {
    const { device, token } = await loggedIn(context.sandbox)
    for (const [userName, password] of [
      ['lısı', 'Lisi@2026'],
      ['ſunqi', 'Sunqi@2026'],
    ]) {
      const reply = await postPasswordBind(device, token, { user_name: userName, password })
      expect(errorOf(reply)).toEqual(refusal('IDAAS.SDK.COMMON.1006', 'password parameter error'))
    }
    const reply = await postPasswordBind(device, token, { user_name: 'LiSi', password: 'Lisi@2026' })
    expect(reply.json.status).toBe('MFA_AUTH')
  })

  test.each([[null], ['']])('a bind whose mobile is %p goes by the email it names', async (mobile) => {
    const { device, token } = await loggedIn(context.sandbox)
    const reply = await postBind(device, token, {
      mobile,
      email: 'zhangsan@example.com',
      verify_code: '000000',
    })
    // the email channel: no BIND_EMAIL_EMS code was sent there
    expect(errorOf(reply)).toEqual(refusal('IDAAS.SDK.COMMON.1006', 'verify_code parameter error'))
  })

  test('a number that repeats its area code after the + is no mobile', async () => {
    const reply = await new Device(context.sandbox).post(EIAM_PATHS.captchaVerify, {
      point_json: '{"x":100,"y":5}',
      token: 'puzzle',
      sender: '+852+85251234567',
    })
    expect(errorOf(reply)).toEqual(refusal('IDAAS.SDK.COMMON.1002', 'Parameter sender format is incorrect'))
  })

  test('two numbers of one region outside the mainland are two targets: each has its code and its resend interval', async () => {
    const device = new Device(context.sandbox)
    const first = await device.sendCode('sms', '+852 5123 4567', 'BIND_MOBILE_SMS')
    const second = await device.sendCode('sms', '+852 6123 4567', 'BIND_MOBILE_SMS')
    expect(context.sandbox.lastCode('+852-51234567')).toBe(first)
    expect(context.sandbox.lastCode('+85261234567')).toBe(second)
  })
})

describe('the tenant, called directly', () => {
  let key: SigningKey
  beforeAll(async () => {
    key = await signingKey()
  })
  const tenantOf = (options: SandboxOptions) =>
    new Tenant(resolveOptions({ now: () => CONTRACT_EPOCH, log: () => undefined, ...options }), key, () => '')

  test('remembers the newest 100 000 wx.login codes: an older one works again', () => {
    const tenant = tenantOf({})
    const wangwu = tenant.directory.byUserName('wangwu')
    if (!wangwu) throw new Error('wangwu is seeded')
    tenant.directory.link('fingerprint', wangwu) // ACCESS_DENIED: a login issues no token
    const login = tenant.endpoints.find((endpoint) => endpoint.path === EIAM_PATHS.login)
    const logIn = (code: string) => {
      try {
        return login?.handle({ headers: {}, body: { code }, fingerprint: 'fingerprint' })
      } catch (error) {
        return error instanceof SandboxError ? error.message : error
      }
    }
    for (let index = 0; index <= 100_000; index++) logIn(`code-${index}`)
    expect(logIn('code-100000')).toBe('code parameter error')
    expect(logIn('code-1')).toBe('code parameter error')
    expect(logIn('code-0')).toEqual({ status: 'ACCESS_DENIED' })
  })

  test('of the oneaccess dialect refuses to serve without its signature key', () => {
    expect(() => tenantOf({ dialect: 'oneaccess' }).routes()).toThrow(
      'the oneaccess dialect needs its signature key',
    )
  })
})
