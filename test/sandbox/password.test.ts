import { PASSWORD_LOCK_S, PASSWORD_MAX_WRONG_TRIES } from '../../sandbox'
import { EIAM_PATHS } from '../../miniprogram/services/eiam'
import { SEEDED } from '../support/sandbox'
import {
  claimsOf,
  Device,
  errorOf,
  IN_CHINESE,
  loggedIn,
  postPasswordBind,
  postPasswordUpdate,
  refusal,
  SIGNED_IN,
  STATE_TOKEN_ERROR,
  stringField,
  useContractSandbox,
  type Reply,
} from './support'

const getSkip = (device: Device, stateToken: string) => device.get(EIAM_PATHS.passwordSkip, { stateToken })

const WRONG_PASSWORD = refusal('IDAAS.SDK.COMMON.1006', 'password parameter error')
const locked = (min: number, s: number) =>
  refusal(
    'IDAAS.SDK.LOGIN.1003',
    `The user is locked after too many failed sign-ins and unlocks in ${min} min ${s} s`,
  )
/** pwd/update of a seeded user's own password to `newPassword`. */
const changeOwnPassword = (
  device: Device,
  stateToken: string,
  user: 'zhaoliu' | 'sunqi',
  newPassword: string,
) =>
  postPasswordUpdate(device, stateToken, { old_password: SEEDED[user].password, new_password: newPassword })
/** A password bind of a seeded user with that user's own password. */
const withOwnPassword = (device: Device, stateToken: string, user: 'zhangsan' | 'lisi' | 'wangwu') =>
  postPasswordBind(device, stateToken, { user_name: user, password: SEEDED[user].password })

describe('binding by user name and password', () => {
  const context = useContractSandbox()

  async function bindByPassword(device: Device, userName: string, password: string): Promise<Reply> {
    return postPasswordBind(device, await device.stateToken(), { user_name: userName, password })
  }

  test('张三 with the right password signs in, and from then on the identity signs in as 张三', async () => {
    const device = new Device(context.sandbox)
    const reply = await bindByPassword(device, 'zhangsan', SEEDED.zhangsan.password)
    expect(reply.json).toEqual(SIGNED_IN)
    expect(claimsOf(stringField(reply, 'id_token')).userName).toBe('zhangsan')
    expect((await device.login()).json.status).toBe('SUCCESS')
  })

  test('李四 answers MFA_AUTH with a new state token; 王五 answers ACCESS_DENIED and is linked too', async () => {
    const lisi = new Device(context.sandbox)
    const token = await lisi.stateToken()
    const mfa = await withOwnPassword(lisi, token, 'lisi')
    expect(mfa.json).toEqual({ status: 'MFA_AUTH', state_token: expect.any(String) })
    expect(mfa.json.state_token).not.toBe(token)
    const wangwu = new Device(context.sandbox)
    expect((await bindByPassword(wangwu, 'wangwu', SEEDED.wangwu.password)).json).toEqual({
      status: 'ACCESS_DENIED',
    })
    expect((await wangwu.login()).json).toEqual({ status: 'ACCESS_DENIED' })
  })

  test('the user name is matched in any case; the password is not', async () => {
    const device = new Device(context.sandbox)
    expect((await bindByPassword(device, 'ZhangSan', SEEDED.zhangsan.password)).json.status).toBe('SUCCESS')
    const other = new Device(context.sandbox)
    const reply = await bindByPassword(other, 'zhangsan', SEEDED.zhangsan.password.toLowerCase())
    expect(errorOf(reply)).toEqual(WRONG_PASSWORD)
  })

  test('a wrong password or an unknown user name answers COMMON.1006 naming password and keeps the state token', async () => {
    const { device, token } = await loggedIn(context.sandbox)
    const wrong = await postPasswordBind(device, token, { user_name: 'zhangsan', password: 'Zhangsan@2025' })
    expect(errorOf(wrong)).toEqual(WRONG_PASSWORD)
    const unknown = await postPasswordBind(device, token, { user_name: 'nobody', password: 'Nobody@2026' })
    expect(errorOf(unknown)).toEqual(WRONG_PASSWORD)
    const zh = await postPasswordBind(device, token, { user_name: 'zhangsan', password: 'x' }, IN_CHINESE)
    expect(zh.json.error_msg).toBe('password 参数错误')
    const right = await withOwnPassword(device, token, 'zhangsan')
    expect(right.json.status).toBe('SUCCESS')
  })

  test('missing fields answer COMMON.1001 naming them; a password that is no string, COMMON.1002', async () => {
    const { device, token } = await loggedIn(context.sandbox)
    expect(errorOf(await postPasswordBind(device, token, { password: 'p' })).message).toBe(
      'Parameter user_name cannot be left blank',
    )
    expect(errorOf(await postPasswordBind(device, token, { user_name: 'lisi' })).message).toBe(
      'Parameter password cannot be left blank',
    )
    const number = await postPasswordBind(device, token, { user_name: 'lisi', password: 20260101 })
    expect(errorOf(number)).toEqual(
      refusal('IDAAS.SDK.COMMON.1002', 'Parameter password format is incorrect'),
    )
  })

  test('the state token rules of the other bind calls hold: missing, spent, another device, another flow', async () => {
    const body = { user_name: 'zhangsan', password: SEEDED.zhangsan.password }
    const device = new Device(context.sandbox)
    expect(errorOf(await device.post(EIAM_PATHS.passwordBind, body))).toEqual(STATE_TOKEN_ERROR)
    const token = await device.stateToken()
    expect(errorOf(await postPasswordBind(new Device(context.sandbox), token, body))).toEqual(
      STATE_TOKEN_ERROR,
    )
    expect((await postPasswordBind(device, token, body)).json.status).toBe('SUCCESS')
    expect(errorOf(await postPasswordBind(device, token, body))).toEqual(STATE_TOKEN_ERROR)
    const lisi = new Device(context.sandbox)
    context.sandbox.linkIdentity(lisi.fingerprint, 'lisi')
    const mfaToken = await lisi.stateToken()
    expect(errorOf(await postPasswordBind(lisi, mfaToken, body))).toEqual(STATE_TOKEN_ERROR)
  })

  test('the common headers are required, as on every call', async () => {
    const { device, token } = await loggedIn(context.sandbox)
    const reply = await device.post(
      EIAM_PATHS.passwordBind,
      { user_name: 'zhangsan', password: SEEDED.zhangsan.password },
      { stateToken: token, omit: ['X-agent'] },
    )
    expect(errorOf(reply).code).toBe('IDAAS.SDK.COMMON.1003')
  })
})

describe('the lockout after wrong passwords', () => {
  const context = useContractSandbox()

  async function tryPassword(device: Device, token: string, userName: string, password: string) {
    return errorOf(await postPasswordBind(device, token, { user_name: userName, password }))
  }

  test(`the ${PASSWORD_MAX_WRONG_TRIES}th wrong try in a row locks the user name for 15 minutes, even to the right password`, async () => {
    const { device, token } = await loggedIn(context.sandbox)
    for (let attempt = 1; attempt < PASSWORD_MAX_WRONG_TRIES; attempt++) {
      expect(await tryPassword(device, token, 'lisi', `wrong-${attempt}`)).toEqual(WRONG_PASSWORD)
    }
    expect(await tryPassword(device, token, 'LiSi', 'wrong-5')).toEqual(locked(15, 0))
    context.clock.advanceS(61.5)
    expect(await tryPassword(device, token, 'lisi', SEEDED.lisi.password)).toEqual(locked(13, 59))
    const zh = await postPasswordBind(device, token, { user_name: 'lisi', password: 'wrong' }, IN_CHINESE)
    expect(zh.json.error_msg).toBe('登录失败次数过多，用户已锁定，13 分 59 秒后解锁')
    // another device is locked out too: the lock belongs to the user name
    const other = new Device(context.sandbox)
    expect(await tryPassword(other, await other.stateToken(), 'lisi', SEEDED.lisi.password)).toEqual(
      locked(13, 59),
    )
  })

  test('when the lock ends the right password works and the count starts over', async () => {
    const { device, token } = await loggedIn(context.sandbox)
    for (let attempt = 1; attempt <= PASSWORD_MAX_WRONG_TRIES; attempt++) {
      await tryPassword(device, token, 'zhangsan', 'wrong')
    }
    context.clock.advanceS(PASSWORD_LOCK_S - 1)
    const later = await device.stateToken()
    expect(await tryPassword(device, later, 'zhangsan', SEEDED.zhangsan.password)).toEqual(locked(0, 1))
    context.clock.advanceS(1)
    expect(await tryPassword(device, later, 'zhangsan', 'wrong')).toEqual(WRONG_PASSWORD)
    const reply = await withOwnPassword(device, later, 'zhangsan')
    expect(reply.json.status).toBe('SUCCESS')
  })

  test('a right password breaks the row; an unknown user name is counted and locked like a real one', async () => {
    const { device, token } = await loggedIn(context.sandbox)
    for (let attempt = 1; attempt < PASSWORD_MAX_WRONG_TRIES; attempt++) {
      await tryPassword(device, token, 'wangwu', 'wrong')
    }
    const right = await withOwnPassword(device, token, 'wangwu')
    expect(right.json).toEqual({ status: 'ACCESS_DENIED' })
    const next = new Device(context.sandbox)
    const nextToken = await next.stateToken()
    expect(await tryPassword(next, nextToken, 'wangwu', 'wrong')).toEqual(WRONG_PASSWORD)
    for (let attempt = 1; attempt < PASSWORD_MAX_WRONG_TRIES; attempt++) {
      expect(await tryPassword(next, nextToken, 'nobody', 'wrong')).toEqual(WRONG_PASSWORD)
    }
    expect(await tryPassword(next, nextToken, 'nobody', 'wrong')).toEqual(locked(15, 0))
  })

  test('reset forgets the locks', async () => {
    const { device, token } = await loggedIn(context.sandbox)
    for (let attempt = 1; attempt <= PASSWORD_MAX_WRONG_TRIES; attempt++) {
      await tryPassword(device, token, 'zhangsan', 'wrong')
    }
    context.sandbox.reset()
    const fresh = await loggedIn(context.sandbox)
    const reply = await withOwnPassword(fresh.device, fresh.token, 'zhangsan')
    expect(reply.json.status).toBe('SUCCESS')
  })
})

describe('password statuses: change and skip', () => {
  const context = useContractSandbox()

  async function passwordStatus(device: Device, user: 'zhaoliu' | 'sunqi', password = SEEDED[user].password) {
    const reply = await postPasswordBind(device, await device.stateToken(), { user_name: user, password })
    return { status: reply.json.status, token: stringField(reply, 'state_token') }
  }

  test('赵六 answers PASSWORD_EXPIRED with a state token; the WeChat identity is linked and later signs in with SUCCESS', async () => {
    const device = new Device(context.sandbox)
    const { status } = await passwordStatus(device, 'zhaoliu')
    expect(status).toBe('PASSWORD_EXPIRED')
    const login = await device.login()
    expect(login.json.status).toBe('SUCCESS')
    expect(claimsOf(stringField(login, 'id_token')).userName).toBe('zhaoliu')
  })

  test('an expired password cannot be skipped, and stays expired on every password bind until changed', async () => {
    const device = new Device(context.sandbox)
    const { token } = await passwordStatus(device, 'zhaoliu')
    expect(errorOf(await getSkip(device, token))).toEqual(STATE_TOKEN_ERROR)
    expect((await passwordStatus(new Device(context.sandbox), 'zhaoliu')).status).toBe('PASSWORD_EXPIRED')
  })

  test('changing the expired password answers the policy (SUCCESS) and binds with the new password from then on', async () => {
    const device = new Device(context.sandbox)
    const { token } = await passwordStatus(device, 'zhaoliu')
    const reply = await changeOwnPassword(device, token, 'zhaoliu', 'Zhaoliu@2027')
    expect(reply.json).toMatchObject({ status: 'SUCCESS', session_token: expect.any(String) })
    expect(claimsOf(stringField(reply, 'id_token')).name).toBe('赵六')
    expect(errorOf(await postPasswordUpdate(device, token, {}))).toEqual(STATE_TOKEN_ERROR)
    const again = new Device(context.sandbox)
    const stale = await postPasswordBind(again, await again.stateToken(), {
      user_name: 'zhaoliu',
      password: SEEDED.zhaoliu.password,
    })
    expect(errorOf(stale)).toEqual(WRONG_PASSWORD)
    const fresh = await postPasswordBind(again, await again.stateToken(), {
      user_name: 'zhaoliu',
      password: 'Zhaoliu@2027',
    })
    expect(fresh.json.status).toBe('SUCCESS')
  })

  test('pwd/update refuses a wrong old password, the old one again, or under 8 characters, and keeps the state token', async () => {
    const device = new Device(context.sandbox)
    const { token } = await passwordStatus(device, 'zhaoliu')
    const old = SEEDED.zhaoliu.password
    expect(
      errorOf(
        await postPasswordUpdate(device, token, { old_password: 'nope', new_password: 'Zhaoliu@2027' }),
      ),
    ).toEqual(refusal('IDAAS.SDK.COMMON.1006', 'old_password parameter error'))
    const newPasswordRefused = refusal('IDAAS.SDK.COMMON.1002', 'Parameter new_password format is incorrect')
    expect(
      errorOf(await postPasswordUpdate(device, token, { old_password: old, new_password: old })),
    ).toEqual(newPasswordRefused)
    expect(
      errorOf(await postPasswordUpdate(device, token, { old_password: old, new_password: 'Short@7' })),
    ).toEqual(newPasswordRefused)
    expect(errorOf(await postPasswordUpdate(device, token, { old_password: old })).message).toBe(
      'Parameter new_password cannot be left blank',
    )
    const changed = await postPasswordUpdate(device, token, { old_password: old, new_password: 'Eight@78' })
    expect(changed.json.status).toBe('SUCCESS')
  })

  test('孙七 answers PASSWORD_WARN on every password bind; skip lets this sign-in through (SUCCESS) and changes nothing', async () => {
    const device = new Device(context.sandbox)
    const first = await passwordStatus(device, 'sunqi')
    expect(first.status).toBe('PASSWORD_WARN')
    const skipped = await getSkip(device, first.token)
    expect(skipped.json).toMatchObject({ status: 'SUCCESS', id_token: expect.any(String) })
    expect(claimsOf(stringField(skipped, 'id_token')).userName).toBe('sunqi')
    expect(errorOf(await getSkip(device, first.token))).toEqual(STATE_TOKEN_ERROR)
    expect((await device.login()).json.status).toBe('SUCCESS')
    const second = await passwordStatus(new Device(context.sandbox), 'sunqi')
    expect(second.status).toBe('PASSWORD_WARN')
  })

  test('changing the password about to expire ends the warning', async () => {
    const device = new Device(context.sandbox)
    const { token } = await passwordStatus(device, 'sunqi')
    const changed = await changeOwnPassword(device, token, 'sunqi', 'Sunqi@2027!')
    expect(changed.json.status).toBe('SUCCESS')
    const next = await loggedIn(context.sandbox)
    const reply = await postPasswordBind(next.device, next.token, {
      user_name: 'SUNQI',
      password: 'Sunqi@2027!',
    })
    expect(reply.json.status).toBe('SUCCESS')
  })

  test("the change and skip calls need the password flow's state token, from the same device, and expire like others", async () => {
    const device = new Device(context.sandbox)
    const bindToken = await device.stateToken()
    expect(errorOf(await getSkip(device, bindToken))).toEqual(STATE_TOKEN_ERROR)
    expect(
      errorOf(await postPasswordUpdate(device, bindToken, { old_password: 'a', new_password: 'b' })),
    ).toEqual(STATE_TOKEN_ERROR)
    const { token } = await passwordStatus(device, 'sunqi')
    expect(errorOf(await getSkip(new Device(context.sandbox), token))).toEqual(STATE_TOKEN_ERROR)
    context.clock.advanceS(600)
    expect(errorOf(await getSkip(device, token))).toEqual(
      refusal('IDAAS.SDK.COMMON.1005', 'state_token has expired'),
    )
  })

  test('reset makes the seeded passwords and their statuses new again', async () => {
    const device = new Device(context.sandbox)
    const { token } = await passwordStatus(device, 'zhaoliu')
    await changeOwnPassword(device, token, 'zhaoliu', 'Changed@2027')
    context.sandbox.reset()
    expect((await passwordStatus(new Device(context.sandbox), 'zhaoliu')).status).toBe('PASSWORD_EXPIRED')
  })
})

describe('the password bind in the other modes and flows', () => {
  const context = useContractSandbox({ mode: 'register', flows: ['VERIFY_PASSWORD'] })

  test('VERIFY_PASSWORD may be named in socialBindOrRegisterFlow', async () => {
    const login = await new Device(context.sandbox).login()
    expect(login.json).toMatchObject({
      status: 'USER_REGISTER',
      data: JSON.stringify({ socialBindOrRegisterFlow: ['VERIFY_PASSWORD'] }),
    })
  })

  test('a bind-or-register state token accepts a password bind of an existing user', async () => {
    const { device, token } = await loggedIn(context.sandbox)
    const reply = await withOwnPassword(device, token, 'zhangsan')
    expect(reply.json.status).toBe('SUCCESS')
  })
})
