/**
 * The support code and the real-time log line of one step (services/support.ts), the funnel (services/funnel.ts),
 * the versioned agreement (services/agreement.ts) and the WeCom check (services/host.ts), on a wx-node `wx`.
 */
import { createWx, installWx, type WxNode } from '../support/wx-node'

type Modules = {
  support: typeof import('../../miniprogram/services/support')
  funnel: typeof import('../../miniprogram/services/funnel')
  agreement: typeof import('../../miniprogram/services/agreement')
  host: typeof import('../../miniprogram/services/host')
  errors: typeof import('../../miniprogram/services/errors')
  tenants: typeof import('../../miniprogram/config/tenant')
}

let device: WxNode
let modules: Modules
let uninstall: () => void

/** A fresh app on `storage` (kept from the previous one when given). */
function start(options: Parameters<typeof createWx>[0] = {}, storage?: WxNode['state']['storage']): void {
  uninstall?.()
  device = createWx(options)
  if (storage) for (const [key, item] of storage) device.state.storage.set(key, item)
  uninstall = installWx(device.wx)
  jest.isolateModules(() => {
    /* eslint-disable @typescript-eslint/no-require-imports -- a fresh module copy per app */
    modules = {
      support: require('../../miniprogram/services/support'),
      funnel: require('../../miniprogram/services/funnel'),
      agreement: require('../../miniprogram/services/agreement'),
      host: require('../../miniprogram/services/host'),
      errors: require('../../miniprogram/services/errors'),
      tenants: require('../../miniprogram/config/tenant'),
    }
    /* eslint-enable @typescript-eslint/no-require-imports */
  })
}

beforeEach(() => start())
afterAll(() => uninstall?.())

describe('the support code', () => {
  test('has the documented form XXXX-XXXX in Crockford base 32, and a new attempt gets a new one', () => {
    const { support } = modules
    const codes = new Set<string>()
    for (let index = 0; index < 200; index += 1) codes.add(support.startAttempt())
    expect(codes.size).toBe(200)
    for (const code of codes) expect(code).toMatch(/^[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}$/)
    expect([...codes].join('')).not.toMatch(/[ILOU]/)
  })

  test('stays the same for the whole attempt, across an app restart, until the next attempt', () => {
    const first = modules.support.startAttempt()
    expect(modules.support.supportCode()).toBe(first)
    start({}, device.state.storage)
    expect(modules.support.supportCode()).toBe(first)
    const second = modules.support.startAttempt()
    expect(second).not.toBe(first)
    expect(modules.support.supportCode()).toBe(second)
  })

  test('exists before any attempt, so an error on the first screen has one too', () => {
    expect(modules.support.supportCode()).toMatch(modules.support.SUPPORT_CODE_FORM)
  })
})

describe('a real-time log line', () => {
  test('is filtered by the support code and says step, outcome, base library and platform', () => {
    const code = modules.support.startAttempt()
    modules.support.logStep('login/wechat-miniprogram', { ok: true, status: 200, answer: 'SOCIAL_BIND' })
    expect(device.state.realtimeLog).toEqual([
      {
        level: 'info',
        filters: [code],
        args: [
          'eiam-step',
          {
            support: code,
            step: 'login/wechat-miniprogram',
            outcome: 'ok',
            status: 200,
            answer: 'SOCIAL_BIND',
            baseLibrary: '3.6.6',
            platform: 'ios',
          },
        ],
      },
    ])
  })

  test('of a failure carries the error kind, code and HTTP status, and not the message', () => {
    const { support, errors } = modules
    const code = support.startAttempt()
    const error = new errors.EiamError(
      'rejected',
      'wrong code 123456 for 13800138000',
      'SDK.COMMON.1006',
      400,
    )
    support.logStep('social/bind', support.failureOf(error))
    support.logStep('wx.login', support.failureOf(new Error('boom')))
    expect(device.state.realtimeLog.map((line) => [line.level, line.args[1]])).toEqual([
      [
        'warn',
        expect.objectContaining({
          support: code,
          step: 'social/bind',
          outcome: 'error',
          kind: 'rejected',
          errorCode: 'SDK.COMMON.1006',
          status: 400,
        }),
      ],
      ['warn', expect.objectContaining({ step: 'wx.login', outcome: 'error', kind: 'unexpected' })],
    ])
    expect(JSON.stringify(device.state.realtimeLog)).not.toMatch(/123456|13800138000|boom/)
  })

  test('names a step by its endpoint path without the API prefix', () => {
    expect(modules.support.stepOfPath('/api/v2/sdk/social/register-bind')).toBe('social/register-bind')
  })

  test('never breaks the step when the platform has no real-time log', () => {
    ;(device.wx as unknown as Record<string, unknown>).getRealtimeLogManager = () => {
      throw new Error('getRealtimeLogManager:fail')
    }
    expect(() => modules.support.logStep('captcha', { ok: true, status: 200 })).not.toThrow()
  })
})

describe('the funnel', () => {
  test('reports nothing while the tenant leaves analytics off (the default)', () => {
    expect(modules.tenants.TENANTS.release.analytics).toBe(false)
    modules.funnel.reportFunnel('bind_page_shown')
    modules.funnel.funnelAfterCall('/api/v2/sdk/sms/send', { mobile: '13800138000' }, undefined)
    expect(device.state.reportedEvents).toEqual([])
  })

  test('with analytics on, reports each step as an event with enumerations only', () => {
    Object.assign(modules.tenants.TENANTS.develop, { analytics: true })
    const { funnel } = modules
    funnel.reportFunnel('bind_page_shown', { flow: 'bind' })
    funnel.funnelAfterCall('/api/v2/sdk/sms/send', { mobile: '13800138000', captcha_token: 'x' }, undefined)
    funnel.funnelAfterCall('/api/v2/sdk/social/bind', { mobile: '13800138000' }, 'SOCIAL_BIND')
    funnel.funnelAfterCall('/api/v2/sdk/social/bind', { email: 'a@example.com' }, 'MFA_AUTH')
    funnel.funnelAfterCall('/api/v2/sdk/social/wechat-mobile-register-bind', { wechat_code: 'c' }, 'SUCCESS')
    funnel.funnelAfterCall('/api/v2/sdk/mfa/sms', { mobile: '13900139000' }, 'SUCCESS')
    funnel.funnelAfterCall('/api/v2/sdk/login/wechat-miniprogram', { code: 'c' }, 'ACCESS_DENIED')
    expect(device.state.reportedEvents).toEqual([
      { eventId: 'bind_page_shown', data: { flow: 'bind' } },
      { eventId: 'code_sent', data: { channel: 'mobile' } },
      { eventId: 'bound', data: { channel: 'email', flow: 'bind' } },
      { eventId: 'bound', data: { channel: 'wechat_phone', flow: 'register' } },
      { eventId: 'second_factor_done', data: { channel: 'mobile' } },
      { eventId: 'denied', data: {} },
    ])
  })
})

describe('the agreement version', () => {
  test('an accepted version stands across restarts, and a raised one asks again', () => {
    const { agreement } = modules
    expect(agreement.agreementState()).toBe('never')
    agreement.acceptAgreement()
    expect(agreement.agreementState()).toBe('accepted')
    start({}, device.state.storage)
    expect(modules.agreement.agreementState()).toBe('accepted')
    Object.assign(modules.tenants.TENANTS.develop, { agreementVersion: 2 })
    expect(modules.agreement.agreementState()).toBe('raised')
    modules.agreement.acceptAgreement()
    expect(modules.agreement.agreementState()).toBe('accepted')
    expect(device.state.storage.get('eiam.agreement')).toEqual({ value: { version: 2 }, encrypted: false })
    modules.agreement.withdrawAgreement()
    expect(modules.agreement.agreementState()).toBe('never')
  })

  test('a stored acceptance without a numeric version counts as never accepted', () => {
    device.state.storage.set('eiam.agreement', { value: { version: '2' }, encrypted: false })
    expect(modules.agreement.agreementState()).toBe('never')
  })
})

describe('inside WeCom', () => {
  test('is recognised by its wx.qy namespace, and WeChat is not taken for it', () => {
    expect(modules.host.insideWeCom()).toBe(false)
    start({ environment: 'wxwork' })
    expect(modules.host.insideWeCom()).toBe(true)
  })
})
