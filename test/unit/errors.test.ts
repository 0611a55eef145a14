import {
  EiamError,
  type EiamErrorKind,
  fieldOf,
  isEiamError,
  kindOf,
  lockoutSecondsOf,
  normaliseCode,
} from '../../miniprogram/services/errors'

/** As http.ts does it: the envelope's code without its prefix, then the kind. */
const kindOfEnvelope = (errorCode: string, errorMsg: string, status = 400) =>
  kindOf(normaliseCode(errorCode), errorMsg, status)

type Row = [code: string, message: string, status: number, kind: EiamErrorKind]

/** docs/eiam-api.md §1 "Error codes", with the messages the vendor documents. */
const vendorTable: Row[] = [
  ['SDK.COMMON.1001', 'Parameter mobile cannot be blank', 400, 'rejected'],
  ['SDK.COMMON.1002', 'Parameter mobile format incorrect', 400, 'rejected'],
  ['SDK.COMMON.1003', 'Device information is incomplete', 400, 'rejected'],
  ['SDK.PARAM.0001', 'Device information is incomplete', 400, 'rejected'],
  ['SDK.COMMON.1005', 'state_token has expired', 400, 'state-token'],
  ['SDK.COMMON.1006', 'state_token parameter error', 400, 'state-token'],
  ['SDK.COMMON.1007', 'state_token parameter error', 400, 'state-token'],
  ['SDK.COMMON.1007', 'state_token parameter type error', 400, 'state-token'],
  ['SDK.COMMON.1008', 'System busy', 500, 'server'],
  ['SDK.COMMON.1012', 'X-client-id incorrect, application not found', 400, 'rejected'],
  ['SDK.COMMON.1013', 'User not found', 400, 'rejected'],
  ['SDK.LOGIN.1002', 'User not bound', 400, 'rejected'],
  ['SDK.LOGIN.1003', 'User locked, unlocks in 4 min 59 s', 400, 'rejected'],
  ['SDK.CAPTCHA.0002', 'Graphic captcha verification failed', 400, 'captcha'],
  ['SDK.CAPTCHA.0003', 'Captcha token expired', 400, 'captcha'],
  ['SDK.CAPTCHA.0004', 'Captcha token invalid', 400, 'captcha'],
  ['SDK.CAPTCHA.0006', 'Failed to send verification code', 400, 'rejected'],
  ['SDK.PARAM.0023', 'Invalid or expired session token', 400, 'session'],
]

/** docs/design.md "Error codes": the sandbox's cases and messages. */
const sandboxTable: Row[] = [
  ['SDK.COMMON.1003', 'Device information is incomplete', 400, 'rejected'],
  ['SDK.COMMON.1001', 'Parameter verify_code cannot be left blank', 400, 'rejected'],
  ['SDK.COMMON.1007', 'state_token parameter error', 400, 'state-token'],
  ['SDK.COMMON.1005', 'state_token has expired', 400, 'state-token'],
  ['SDK.COMMON.1005', 'state_token 已过期', 400, 'state-token'],
  ['SDK.COMMON.1006', 'verify_code parameter error', 400, 'rejected'],
  ['SDK.COMMON.1006', 'verify_code 参数错误', 400, 'rejected'],
  ['SDK.COMMON.1006', 'code parameter error', 400, 'rejected'],
  ['SDK.COMMON.1005', 'verify_code has expired', 400, 'rejected'],
  ['SDK.COMMON.1013', 'Corresponding user not found', 400, 'rejected'],
  ['SDK.CAPTCHA.0002', 'Graphic verification code verification failed', 400, 'captcha'],
  ['SDK.CAPTCHA.0003', 'CAPTCHA token expired', 400, 'captcha'],
  ['SDK.CAPTCHA.0004', 'CAPTCHA token invalid', 400, 'captcha'],
  ['SDK.CAPTCHA.0006', 'Failed to send verification code: retry in 42 s', 400, 'rejected'],
  ['SDK.PARAM.0023', 'Invalid or expired session token', 400, 'session'],
]

describe('the kind of an error envelope', () => {
  test.each(vendorTable)('vendor code %s ("%s", HTTP %i) is a %s error', (code, message, status, kind) => {
    expect(kindOfEnvelope(code, message, status)).toBe(kind)
  })

  test.each(vendorTable)(
    'vendor code IDAAS.%s ("%s", HTTP %i) is the same %s error',
    (code, message, status, kind) => {
      expect(kindOfEnvelope(`IDAAS.${code}`, message, status)).toBe(kind)
    },
  )

  test.each(sandboxTable)('sandbox code IDAAS.%s ("%s") is a %s error', (code, message, status, kind) => {
    expect(kindOfEnvelope(`IDAAS.${code}`, message, status)).toBe(kind)
    expect(kindOfEnvelope(code, message, status)).toBe(kind)
  })

  test('1005 and 1006 restart login only when their message names the state token', () => {
    for (const code of ['SDK.COMMON.1005', 'SDK.COMMON.1006']) {
      expect(kindOfEnvelope(code, 'state_token parameter error')).toBe('state-token')
      expect(kindOfEnvelope(code, 'State token has expired')).toBe('state-token')
      expect(kindOfEnvelope(code, 'state-token has expired')).toBe('state-token')
      expect(kindOfEnvelope(code, 'verify_code parameter error')).toBe('rejected')
      expect(kindOfEnvelope(code, '')).toBe('rejected')
    }
  })

  test('1007 ("{0} parameter type error") restarts login only when its message names the state token', () => {
    expect(kindOfEnvelope('IDAAS.SDK.COMMON.1007', 'state_token parameter error')).toBe('state-token')
    expect(kindOfEnvelope('SDK.COMMON.1007', 'mobile parameter type error')).toBe('rejected')
    expect(kindOfEnvelope('IDAAS.SDK.COMMON.1007', '')).toBe('rejected')
    expect(kindOfEnvelope('SDK.COMMON.1007', 'Parameter type error')).toBe('rejected')
  })

  test('system busy is a server error even when it comes with HTTP 400', () => {
    expect(kindOfEnvelope('IDAAS.SDK.COMMON.1008', 'System busy', 400)).toBe('server')
  })

  test('any status of 500 or more is a server error, whatever the code', () => {
    for (const status of [500, 502, 503, 504]) {
      expect(kindOfEnvelope('IDAAS.SDK.COMMON.1007', 'state_token parameter error', status)).toBe('server')
      expect(kindOfEnvelope('IDAAS.SDK.CAPTCHA.0002', 'failed', status)).toBe('server')
      expect(kindOfEnvelope('', '', status)).toBe('server')
    }
  })

  test('a status just below 500 is judged on its code', () => {
    expect(kindOfEnvelope('SDK.COMMON.1013', 'User not found', 499)).toBe('rejected')
  })

  test('an undocumented code is a refusal whose message is shown', () => {
    expect(kindOfEnvelope('IDAAS.SDK.BIND.9999', 'Identity already bound')).toBe('rejected')
    expect(kindOfEnvelope('', '')).toBe('rejected')
  })
})

describe('normalising an error code', () => {
  test('the IDAAS. prefix is dropped, whatever its case, and nothing else', () => {
    expect(normaliseCode('IDAAS.SDK.COMMON.1007')).toBe('SDK.COMMON.1007')
    expect(normaliseCode('idaas.SDK.COMMON.1007')).toBe('SDK.COMMON.1007')
    expect(normaliseCode('SDK.COMMON.1007')).toBe('SDK.COMMON.1007')
    expect(normaliseCode('SDK.IDAAS.1007')).toBe('SDK.IDAAS.1007')
  })

  test('a code written without SDK. (OneAccess: CAPTCHA.0003) reads as the SDK. one', () => {
    expect(normaliseCode('CAPTCHA.0003')).toBe('SDK.CAPTCHA.0003')
    expect(normaliseCode('IDAAS.CAPTCHA.0004')).toBe('SDK.CAPTCHA.0004')
    expect(normaliseCode('SMS.1005')).toBe('SDK.SMS.1005')
    expect(normaliseCode('BIND.9999')).toBe('BIND.9999')
  })

  test('spaces around the code are ignored', () => {
    expect(normaliseCode('  IDAAS.SDK.PARAM.0023 ')).toBe('SDK.PARAM.0023')
  })
})

describe('the field a refusal is about', () => {
  const rejected = (message: string) => new EiamError('rejected', message, 'SDK.COMMON.1002', 400)

  test('a message naming the verification code points at the code field', () => {
    expect(fieldOf(rejected('verify_code parameter error'))).toBe('code')
    expect(fieldOf(rejected('verify_code has expired'))).toBe('code')
    expect(fieldOf(rejected('Wrong verification code'))).toBe('code')
    expect(fieldOf(rejected('验证码错误'))).toBe('code')
  })

  test('a message naming the mobile points at the mobile field', () => {
    expect(fieldOf(rejected('Parameter mobile format incorrect'))).toBe('mobile')
    expect(fieldOf(rejected('Parameter Mobile cannot be left blank'))).toBe('mobile')
    expect(fieldOf(rejected('手机号格式不正确'))).toBe('mobile')
  })

  test('a message naming the email points at the email field', () => {
    expect(fieldOf(rejected('Parameter email format incorrect'))).toBe('email')
    expect(fieldOf(rejected('邮箱格式不正确'))).toBe('email')
  })

  test('a message naming a password parameter points at that field, the most specific name first', () => {
    expect(fieldOf(rejected('password parameter error'))).toBe('password')
    expect(fieldOf(rejected('old_password parameter error'))).toBe('oldPassword')
    expect(fieldOf(rejected('Parameter new_password format is incorrect'))).toBe('newPassword')
    expect(fieldOf(rejected('Parameter user_name cannot be left blank'))).toBe('userName')
    expect(fieldOf(rejected('Parameter username cannot be left blank'))).toBe('userName')
    expect(fieldOf(rejected('oldpassword parameter error'))).toBe('oldPassword')
    expect(fieldOf(rejected('newpassword parameter error'))).toBe('newPassword')
    expect(fieldOf(rejected('用户名或密码错误'))).toBe('password')
    expect(fieldOf(rejected('Incorrect user name or password'))).toBe('password')
    expect(fieldOf(rejected('密码错误'))).toBe('password')
    expect(fieldOf(rejected('新密码不符合密码策略'))).toBe('newPassword')
    expect(fieldOf(rejected('The user is locked after too many failed sign-ins'))).toBeUndefined()
  })

  test('a message naming no field stands on its own', () => {
    expect(fieldOf(rejected('Corresponding user not found'))).toBeUndefined()
    expect(fieldOf(rejected('Parameter captcha_token cannot be left blank'))).toBeUndefined()
    expect(fieldOf(rejected('Parameter mobile_area cannot be left blank'))).toBeUndefined()
  })

  test('only refusals are placed under a field', () => {
    for (const kind of ['network', 'timeout', 'server', 'state-token', 'captcha', 'session'] as const) {
      expect(fieldOf(new EiamError(kind, 'verify_code parameter error'))).toBeUndefined()
    }
  })

  test('errors that are not EIAM errors have no field', () => {
    expect(fieldOf(new Error('verify_code parameter error'))).toBeUndefined()
    expect(fieldOf('verify_code parameter error')).toBeUndefined()
    expect(fieldOf(undefined)).toBeUndefined()
  })
})

describe('an EIAM error', () => {
  test('carries its kind, message, code and status', () => {
    const error = new EiamError('captcha', 'Captcha token expired', 'SDK.CAPTCHA.0003', 400)
    expect(error).toBeInstanceOf(Error)
    expect(error).toMatchObject({
      name: 'EiamError',
      kind: 'captcha',
      message: 'Captcha token expired',
      code: 'SDK.CAPTCHA.0003',
      status: 400,
    })
  })

  test('is recognised by kind', () => {
    const error = new EiamError('session', 'Invalid or expired session token', 'SDK.PARAM.0023', 400)
    expect(isEiamError(error)).toBe(true)
    expect(isEiamError(error, 'session')).toBe(true)
    expect(isEiamError(error, 'server')).toBe(false)
    expect(isEiamError(new Error('x'))).toBe(false)
  })
})

describe('the end of a password lockout (SDK.LOGIN.1003 "unlocks in {0} min {1} s")', () => {
  const locked = (message: string, code = 'SDK.LOGIN.1003') => new EiamError('rejected', message, code, 400)

  test('minutes and seconds are the last two numbers of the message, in any language', () => {
    expect(lockoutSecondsOf(locked('User locked, unlocks in 14 min 59 s'))).toBe(899)
    expect(lockoutSecondsOf(locked('登录失败次数过多，用户已锁定，0 分 1 秒后解锁'))).toBe(1)
    expect(lockoutSecondsOf(locked('user zhang3 is locked, unlocks in 2 min 5 s'))).toBe(125)
  })

  test('a lone number is minutes; none means the end is not known', () => {
    expect(lockoutSecondsOf(locked('Locked for 15 minutes'))).toBe(900)
    expect(lockoutSecondsOf(locked('User locked'))).toBeUndefined()
  })

  test('only LOGIN.1003 is a lockout', () => {
    expect(lockoutSecondsOf(locked('retry in 60 s', 'SDK.CAPTCHA.0006'))).toBeUndefined()
    expect(lockoutSecondsOf(new Error('unlocks in 1 min 0 s'))).toBeUndefined()
  })
})

/**
 * The rules of docs/eiam-api.md §10 on the envelopes as the vendor pages print them (and as http.ts reads them: the
 * code normalised, then its kind, then for a refusal the field it belongs to).
 */
describe("the documented variants, on the vendor's literal envelopes", () => {
  type Outcome = { kind: EiamErrorKind; field?: string }
  const read = (text: string, status = 400): Outcome => {
    const body = JSON.parse(text) as { error_code: string; error_msg: string }
    const code = normaliseCode(body.error_code)
    const kind = kindOf(code, body.error_msg, status)
    const field = fieldOf(new EiamError(kind, body.error_msg, code, status))
    return field ? { kind, field } : { kind }
  }

  test.each<[string, Outcome]>([
    [
      '{"error_code":"IDAAS.SDK.COMMON.1007","error_msg":"state_token parameter error"}',
      { kind: 'state-token' },
    ],
    ['{"error_code":"SDK.COMMON.1005","error_msg":"state_token has expired"}', { kind: 'state-token' }],
    ['{"error_code":"SDK.COMMON.1006","error_msg":"state_token parameter error"}', { kind: 'state-token' }],
    ['{"error_code":"IDAAS.SDK.PARAM.0014","error_msg":"Invalid state token"}', { kind: 'state-token' }],
    ['{"error_code":"IDAAS.SDK.PARAM.0014","error_msg":"无效的令牌"}', { kind: 'state-token' }],
  ])('state token: %s restarts login', (text, outcome) => {
    expect(read(text)).toEqual(outcome)
  })

  test.each<[string, Outcome]>([
    [
      '{"error_code":"IDAAS.SDK.COMMON.1007","error_msg":"mobile parameter type error"}',
      { kind: 'rejected', field: 'mobile' },
    ],
    [
      '{"error_code":"SDK.COMMON.1007","error_msg":"email parameter type error"}',
      { kind: 'rejected', field: 'email' },
    ],
    ['{"error_code":"IDAAS.SDK.COMMON.1007","error_msg":"type parameter type error"}', { kind: 'rejected' }],
    [
      '{"error_code":"IDAAS.SDK.COMMON.1007","error_msg":"verify_code parameter type error"}',
      { kind: 'rejected', field: 'code' },
    ],
  ])('another parameter: %s is a refusal at its own field, no restart', (text, outcome) => {
    expect(read(text)).toEqual(outcome)
  })

  test.each<[string, Outcome]>([
    [
      '{"error_code":"IDAAS.SDK.PARAM.0023","error_msg":"Invalid or expired session token"}',
      { kind: 'session' },
    ],
    [
      '{"error_code":"IDAAS.SDK.PARAM.0016","error_msg":"id_token is invalid or expired"}',
      { kind: 'session' },
    ],
    ['{"error_code":"SDK.PARAM.0016","error_msg":"id_token无效或已过期"}', { kind: 'session' }],
    ['{"error_code":"IDAAS.SDK.COMMON.1005","error_msg":"session_token has expired"}', { kind: 'session' }],
    [
      '{"error_code":"IDAAS.SDK.COMMON.1006","error_msg":"session_token parameter error"}',
      { kind: 'session' },
    ],
    [
      '{"error_code":"IDAAS.SDK.COMMON.1007","error_msg":"session_token parameter type error"}',
      { kind: 'session' },
    ],
  ])('session: %s means sign in again', (text, outcome) => {
    expect(read(text)).toEqual(outcome)
  })

  test.each<[string, Outcome]>([
    [
      '{"error_code":"IDAAS.SDK.SMS.1005","error_msg":"SMS verification code error"}',
      { kind: 'rejected', field: 'code' },
    ],
    [
      '{"error_code":"IDAAS.SDK.SMS.1006","error_msg":"Email verification code error"}',
      { kind: 'rejected', field: 'code' },
    ],
    [
      '{"error_code":"IDAAS.SDK.CAPTCHA.0007","error_msg":"Incorrect verification code"}',
      { kind: 'rejected', field: 'code' },
    ],
    // decided by the code, whatever the words
    ['{"error_code":"SDK.SMS.1005","error_msg":"Incorrect SMS code"}', { kind: 'rejected', field: 'code' }],
    ['{"error_code":"SDK.SMS.1006","error_msg":"邮件码错误"}', { kind: 'rejected', field: 'code' }],
    ['{"error_code":"CAPTCHA.0007","error_msg":"wrong"}', { kind: 'rejected', field: 'code' }],
  ])('wrong code: %s lands under the code field', (text, outcome) => {
    expect(read(text)).toEqual(outcome)
  })

  test.each<[string, Outcome]>([
    ['{"error_code":"CAPTCHA.0003","error_msg":"captcha token expired"}', { kind: 'captcha' }],
    ['{"error_code":"CAPTCHA.0004","error_msg":"captcha token invalid"}', { kind: 'captcha' }],
    [
      '{"error_code":"IDAAS.SDK.CAPTCHA.0002","error_msg":"Graphic captcha verification failed"}',
      { kind: 'captcha' },
    ],
  ])('captcha, with or without SDK.: %s brings a new puzzle', (text, outcome) => {
    expect(read(text)).toEqual(outcome)
  })
})
