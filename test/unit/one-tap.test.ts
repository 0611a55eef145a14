/**
 * WeChat's phone-number button (services/one-tap.ts): which button the tenant's `oneTap` shows, what each answer
 * WeChat gives means, the message the user reads and the real-time log line each refusal writes.
 */
import { freshApp, type FreshApp } from '../support/fresh-app'
import type { WxNodeOptions } from '../support/wx-node'

type Modules = {
  oneTap: typeof import('../../miniprogram/services/one-tap')
  tenants: typeof import('../../miniprogram/config/tenant')
  support: typeof import('../../miniprogram/services/support')
}

let app: FreshApp<Modules>

function start(options: WxNodeOptions = {}): void {
  app?.uninstall()
  app = freshApp(
    () => ({
      /* eslint-disable @typescript-eslint/no-require-imports -- a fresh module copy per app */
      oneTap: require('../../miniprogram/services/one-tap'),
      tenants: require('../../miniprogram/config/tenant'),
      support: require('../../miniprogram/services/support'),
      /* eslint-enable @typescript-eslint/no-require-imports */
    }),
    options,
  )
}

beforeEach(() => start())
afterAll(() => app.uninstall())

describe("the button's open-type", () => {
  test.each([
    ['quick', 'getPhoneNumber'],
    ['realtime', 'getRealtimePhoneNumber'],
    ['off', ''],
  ] as const)("follows the tenant's oneTap %s: %j", (oneTap, openType) => {
    Object.assign(app.modules.tenants.TENANTS.develop, { oneTap })
    expect(app.modules.oneTap.oneTapOpenType()).toBe(openType)
  })

  test('is read from the tenant of the running envVersion', () => {
    start({ envVersion: 'release' })
    expect(app.modules.oneTap.oneTapOpenType()).toBe('')
    Object.assign(app.modules.tenants.TENANTS.release, { oneTap: 'realtime' })
    expect(app.modules.oneTap.oneTapOpenType()).toBe('getRealtimePhoneNumber')
  })
})

describe('a refusal', () => {
  const refusalOf = (detail: Parameters<Modules['oneTap']['refusalOf']>[0]) =>
    app.modules.oneTap.refusalOf(detail)

  test('is none when WeChat hands over a code', () => {
    expect(refusalOf({ errMsg: 'getPhoneNumber:ok', code: 'phone-code-1' })).toBeUndefined()
    expect(refusalOf({ errMsg: 'getRealtimePhoneNumber:ok', code: ' c ' })).toBeUndefined()
    expect(refusalOf({ code: 'phone-code-1' })).toBeUndefined()
  })

  test('is the quota when WeChat says errno 1400001, whatever else the event carries', () => {
    expect(app.modules.oneTap.QUOTA_ERRNO).toBe(1400001)
    expect(refusalOf({ errMsg: 'getPhoneNumber:fail no permission', errno: 1400001 })).toBe('quota')
    expect(refusalOf({ errMsg: 'getPhoneNumber:fail user deny', errno: 1400001 })).toBe('quota')
    expect(refusalOf({ errMsg: 'getPhoneNumber:ok', errno: 1400001, code: 'phone-code-1' })).toBe('quota')
    expect(refusalOf({ errMsg: 'getPhoneNumber:fail', errno: 1400002 })).toBe('unavailable')
  })

  test.each([
    ['getPhoneNumber:fail user deny', 'denied'],
    ['getPhoneNumber:fail:user cancel', 'denied'],
    ['getRealtimePhoneNumber:fail auth DENY', 'denied'],
    ['getPhoneNumber:fail Cancelled by user', 'denied'],
    ['getPhoneNumber:fail no permission', 'account'],
    ['getRealtimePhoneNumber:fail api not support', 'account'],
    ['getPhoneNumber:fail unauthorized', 'account'],
    ['getPhoneNumber:fail Unauthorised account', 'account'],
    ['getPhoneNumber:fail NO PERMISSION', 'account'],
  ] as const)(
    'when WeChat says %s is %s (the user declined, or the account type), even with a code',
    (errMsg, refusal) => {
      expect(refusalOf({ errMsg })).toBe(refusal)
      expect(refusalOf({ errMsg, code: 'phone-code-1' })).toBe(refusal)
    },
  )

  test('is a missing code when WeChat says ok but hands over none, or a blank one', () => {
    expect(refusalOf({ errMsg: 'getPhoneNumber:ok' })).toBe('no-code')
    expect(refusalOf({ errMsg: 'getRealtimePhoneNumber:OK', code: '' })).toBe('no-code')
    expect(refusalOf({ errMsg: 'getPhoneNumber:ok', code: '   ' })).toBe('no-code')
  })

  test('is unavailable for any other answer, or none', () => {
    expect(refusalOf({ errMsg: 'getPhoneNumber:fail' })).toBe('unavailable')
    expect(refusalOf({ errMsg: 'getPhoneNumber:fail system error', errno: 102 })).toBe('unavailable')
    expect(refusalOf({ errMsg: 'getPhoneNumber:okay' })).toBe('unavailable')
    expect(refusalOf({})).toBe('unavailable')
  })
})

describe('the message for a refusal', () => {
  const lines = () => app.state.realtimeLog.map((line) => [line.level, line.args[0], line.args[1]])

  test.each([
    ['denied', '你未授权微信手机号，可改用短信验证。'],
    ['quota', '本单位的微信手机号快捷登录次数暂时已用完，请改用短信或邮箱验证码验证。'],
    ['account', '本小程序的账号类型不能使用微信手机号快捷登录，请改用短信或邮箱验证码验证。'],
    ['no-code', '微信这次没有提供你的手机号，请改用短信或邮箱验证码验证。'],
    ['unavailable', '微信手机号快捷登录暂不可用，请改用短信验证。'],
  ] as const)('%s says: %s', (refusal, message) => {
    expect(app.modules.oneTap.refusalMessage(refusal, {})).toBe(message)
  })

  test('follows the WeChat language', () => {
    start({ language: 'en' })
    expect(app.modules.oneTap.refusalMessage('denied', {})).toBe(
      'You did not share your WeChat phone number. You can verify by SMS instead.',
    )
    expect(app.modules.oneTap.refusalMessage('no-code', {})).toBe(
      'WeChat did not hand over your phone number this time. Please verify with an SMS or email code instead.',
    )
  })

  test("logs a failed one-tap step with the refusal and WeChat's errno, never the event's code or message", () => {
    const support = app.modules.support.startAttempt()
    app.modules.oneTap.refusalMessage('quota', {
      errMsg: 'getPhoneNumber:fail 13800138000',
      errno: 1400001,
      code: 'secret-phone-code',
    })
    app.modules.oneTap.refusalMessage('unavailable', { errno: 0 })
    expect(lines()).toEqual([
      [
        'warn',
        'eiam-step',
        expect.objectContaining({
          support,
          step: 'one-tap',
          outcome: 'error',
          kind: 'one-tap-quota',
          errorCode: '1400001',
        }),
      ],
      [
        'warn',
        'eiam-step',
        expect.objectContaining({ step: 'one-tap', kind: 'one-tap-unavailable', errorCode: '0' }),
      ],
    ])
    expect(JSON.stringify(app.state.realtimeLog)).not.toMatch(/secret-phone-code|13800138000/)
  })

  test('logs no error code when the event has no numeric errno', () => {
    app.modules.oneTap.refusalMessage('denied', { errMsg: 'getPhoneNumber:fail user deny' })
    app.modules.oneTap.refusalMessage('account', { errno: '1400001' as unknown as number })
    expect(lines()).toEqual([
      ['warn', 'eiam-step', expect.objectContaining({ step: 'one-tap', kind: 'one-tap-denied' })],
      ['warn', 'eiam-step', expect.objectContaining({ step: 'one-tap', kind: 'one-tap-account' })],
    ])
    for (const line of app.state.realtimeLog) expect(line.args[1]).not.toHaveProperty('errorCode')
  })
})
