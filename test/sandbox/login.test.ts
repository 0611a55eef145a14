import { SEEDED_USERS } from '../../sandbox'
import { withSandbox } from '../support/sandbox'
import { EIAM_PATHS } from '../../miniprogram/services/eiam'
import { Device, claimsOf, errorOf, refusal, SIGNED_IN, stringField, useContractSandbox } from './support'

const BOTH_FLOWS = JSON.stringify({ socialBindOrRegisterFlow: ['VERIFY_PHONE', 'VERIFY_EMAIL'] })

describe('the seeded directory', () => {
  test('holds 张三 (SUCCESS), 李四 (MFA_AUTH), 王五 (ACCESS_DENIED), 赵六 and 孙七 with their phones, emails and passwords', () => {
    expect(
      SEEDED_USERS.map(({ name, userName, mobile, email, policy, password, passwordState }) => ({
        name,
        userName,
        mobile,
        email,
        policy,
        password,
        passwordState,
      })),
    ).toEqual([
      {
        name: '张三',
        userName: 'zhangsan',
        mobile: '13800138000',
        email: 'zhangsan@example.com',
        policy: 'SUCCESS',
        password: 'Zhangsan@2026',
        passwordState: undefined,
      },
      {
        name: '李四',
        userName: 'lisi',
        mobile: '13900139000',
        email: 'lisi@example.com',
        policy: 'MFA_AUTH',
        password: 'Lisi@2026',
        passwordState: undefined,
      },
      {
        name: '王五',
        userName: 'wangwu',
        mobile: '13700137000',
        email: 'wangwu@example.com',
        policy: 'ACCESS_DENIED',
        password: 'Wangwu@2026',
        passwordState: undefined,
      },
      {
        name: '赵六',
        userName: 'zhaoliu',
        mobile: '13611110000',
        email: 'zhaoliu@example.com',
        policy: 'SUCCESS',
        password: 'Zhaoliu@2026',
        passwordState: 'expired',
      },
      {
        name: '孙七',
        userName: 'sunqi',
        mobile: '13522220000',
        email: 'sunqi@example.com',
        policy: 'SUCCESS',
        password: 'Sunqi@2026',
        passwordState: 'expiring',
      },
    ])
  })
})

describe('mini program login', () => {
  const context = useContractSandbox()

  test('an unlinked identity gets SOCIAL_BIND with a state token and both flows as a JSON string', async () => {
    const reply = await new Device(context.sandbox).login()
    expect(reply.status).toBe(200)
    expect(reply.json).toEqual({ status: 'SOCIAL_BIND', state_token: expect.any(String), data: BOTH_FLOWS })
  })

  test('every login gives a new state token', async () => {
    const device = new Device(context.sandbox)
    expect(await device.stateToken()).not.toBe(await device.stateToken())
  })

  test('a wx.login code works once: reusing it answers COMMON.1006 "code parameter error"', async () => {
    const device = new Device(context.sandbox)
    expect((await device.post(EIAM_PATHS.login, { code: 'once' })).status).toBe(200)
    const again = await new Device(context.sandbox).post(EIAM_PATHS.login, { code: 'once' })
    expect(errorOf(again)).toEqual(refusal('IDAAS.SDK.COMMON.1006', 'code parameter error'))
  })

  test('a missing or blank code answers COMMON.1001, a non-string code COMMON.1002', async () => {
    const device = new Device(context.sandbox)
    expect((await device.post(EIAM_PATHS.login, {})).json.error_msg).toBe(
      'Parameter code cannot be left blank',
    )
    expect((await device.post(EIAM_PATHS.login, { code: ' ' })).json.error_code).toBe('IDAAS.SDK.COMMON.1001')
    expect((await device.post(EIAM_PATHS.login, { code: 42 })).json).toEqual({
      error_code: 'IDAAS.SDK.COMMON.1002',
      error_msg: 'Parameter code format is incorrect',
    })
  })

  test('an identity linked to 张三 signs in with a session token, a 432000 s expiry and an id_token', async () => {
    const device = new Device(context.sandbox)
    context.sandbox.linkIdentity(device.fingerprint, 'zhangsan')
    const reply = await device.login()
    expect(reply.json).toEqual(SIGNED_IN)
    expect(claimsOf(stringField(reply, 'id_token'))).toMatchObject({ name: '张三', userName: 'zhangsan' })
  })

  test('an identity linked to 李四 gets MFA_AUTH with a fresh state token at every login', async () => {
    const device = new Device(context.sandbox)
    context.sandbox.linkIdentity(device.fingerprint, 'lisi')
    const first = await device.login()
    const second = await device.login()
    expect(first.json).toEqual({ status: 'MFA_AUTH', state_token: expect.any(String) })
    expect(second.json.status).toBe('MFA_AUTH')
    expect(second.json.state_token).not.toBe(first.json.state_token)
  })

  test('an identity linked to 王五 is refused with ACCESS_DENIED and nothing else', async () => {
    const device = new Device(context.sandbox)
    context.sandbox.linkIdentity(device.fingerprint, '王五')
    expect((await device.login()).json).toEqual({ status: 'ACCESS_DENIED' })
  })

  test('the identity is the device fingerprint: another device stays unlinked', async () => {
    const linked = new Device(context.sandbox)
    context.sandbox.linkIdentity(linked.fingerprint, 'zhangsan')
    expect((await linked.login()).json.status).toBe('SUCCESS')
    expect((await new Device(context.sandbox).login()).json.status).toBe('SOCIAL_BIND')
  })

  test('linking an unknown user name is a test mistake and throws', () => {
    expect(() => context.sandbox.linkIdentity('fp', 'nobody')).toThrow('no user named "nobody"')
  })
})

describe('login in each mode', () => {
  test('register mode answers USER_REGISTER to an unlinked identity', async () => {
    await withSandbox({ mode: 'register' }, async (sandbox) => {
      const reply = await new Device(sandbox).login()
      expect(reply.json).toEqual({
        status: 'USER_REGISTER',
        state_token: expect.any(String),
        data: BOTH_FLOWS,
      })
    })
  })

  test('auto mode answers SOCIAL_BIND to an unlinked identity', async () => {
    await withSandbox({ mode: 'auto' }, async (sandbox) => {
      expect((await new Device(sandbox).login()).json.status).toBe('SOCIAL_BIND')
    })
  })

  test('a linked identity answers its user policy in register mode too', async () => {
    await withSandbox({ mode: 'register' }, async (sandbox) => {
      const device = new Device(sandbox)
      sandbox.linkIdentity(device.fingerprint, 'zhangsan')
      expect((await device.login()).json.status).toBe('SUCCESS')
    })
  })

  test('the flows option sets socialBindOrRegisterFlow, and no flows send data null', async () => {
    await withSandbox({ flows: ['VERIFY_PHONE'] }, async (sandbox) => {
      const reply = await new Device(sandbox).login()
      expect(reply.json.data).toBe('{"socialBindOrRegisterFlow":["VERIFY_PHONE"]}')
    })
    await withSandbox({ flows: [] }, async (sandbox) => {
      const reply = await new Device(sandbox).login()
      expect(reply.json).toEqual({ status: 'SOCIAL_BIND', state_token: expect.any(String), data: null })
    })
  })
})
