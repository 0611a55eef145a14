import { EiamError } from '../../miniprogram/services/errors'
import { failurePatch, messageOf, problemOf } from '../../miniprogram/services/feedback'
import { t } from '../../miniprogram/i18n/index'

const original = (global as { wx?: unknown }).wx
beforeAll(() => {
  ;(global as { wx?: unknown }).wx = { getAppBaseInfo: () => ({ language: 'en' }) }
})
afterAll(() => {
  ;(global as { wx?: unknown }).wx = original
})

const keys = { target: 'errors.mobile', code: 'errors.mobileCode' }

describe('where a failure is shown', () => {
  test('a refusal naming the code stands under the code field', () => {
    const error = new EiamError('rejected', 'verify_code parameter error', 'SDK.COMMON.1006', 400)
    expect(failurePatch(error, keys)).toEqual({ 'errors.mobileCode': 'verify_code parameter error' })
  })

  test('a refusal naming the mobile stands under the mobile field', () => {
    const error = new EiamError('rejected', 'Parameter mobile format is incorrect', 'SDK.COMMON.1002', 400)
    expect(failurePatch(error, keys)).toEqual({ 'errors.mobile': 'Parameter mobile format is incorrect' })
  })

  test('a refusal naming no field goes to the notice, or where the caller says such refusals go', () => {
    const error = new EiamError('rejected', 'Corresponding user not found', 'SDK.COMMON.1013', 400)
    expect(failurePatch(error, keys)).toEqual({ notice: error.message })
    expect(failurePatch(error, { ...keys, refusal: 'errors.mobileCode' })).toEqual({
      'errors.mobileCode': error.message,
    })
  })

  test('a refusal naming a field the page does not have goes to its notice, at the path the page names', () => {
    const error = new EiamError('rejected', 'Parameter mobile format is incorrect', 'SDK.COMMON.1002', 400)
    expect(failurePatch(error, { code: 'errors.code' })).toEqual({ notice: error.message })
    expect(failurePatch(error, { code: 'errors.code', notice: 'banner' })).toEqual({ banner: error.message })
  })

  test('a transport failure always goes to the notice, never next to a field', () => {
    const error = new EiamError('network', 'Cannot reach the sign-in service.')
    expect(failurePatch(error, { ...keys, refusal: 'errors.mobileCode' })).toEqual({ notice: error.message })
  })

  test('a field problem reads in the user language, and a valid field has none', () => {
    expect(problemOf({ ok: true, value: '123456' })).toBe('')
    expect(problemOf({ ok: false, error: 'validation.codeLength', params: { length: 4 } })).toBe(
      'The verification code has 4 digits',
    )
    expect(problemOf({ ok: false, error: 'validation.mobilePattern' }, { area: '+852' })).toBe(
      'This is not a valid mobile number for +852',
    )
  })
})

describe('the message of a failure', () => {
  test.each([
    [
      'a state token the server refused',
      new EiamError('state-token', 'state_token has expired', 'SDK.COMMON.1005'),
      'error.stateToken',
    ],
    [
      'a session that ended',
      new EiamError('session', 'session_token has expired', 'SDK.COMMON.1005'),
      'error.session',
    ],
    [
      'a client id the tenant does not know',
      new EiamError('rejected', 'client_id parameter error', 'SDK.COMMON.1012'),
      'error.configuration',
    ],
    ['something that is not an EiamError', new TypeError('x is undefined'), 'error.unexpected'],
  ] as const)('%s reads as our own words, never the server text', (_what, error, key) => {
    expect(messageOf(error)).toBe(t(key))
    expect(messageOf(error)).not.toBe(error.message)
  })

  test('any other refusal reads as the server wrote it', () => {
    const error = new EiamError('rejected', 'Corresponding user not found', 'SDK.COMMON.1013', 400)
    expect(messageOf(error)).toBe('Corresponding user not found')
  })
})

describe('where a refusal about another field is shown', () => {
  test('a refusal about the password stands under the field the page names for it, before any other slot', () => {
    const error = new EiamError('rejected', 'password parameter error', 'SDK.COMMON.1006', 400)
    const slots = { ...keys, refusal: 'errors.send', fields: { password: 'errors.password' } }
    expect(failurePatch(error, slots)).toEqual({ 'errors.password': error.message })
  })

  test('without a slot for that field it goes to the notice, not next to the code', () => {
    const error = new EiamError('rejected', 'password parameter error', 'SDK.COMMON.1006', 400)
    expect(failurePatch(error, { ...keys, fields: { userName: 'errors.userName' } })).toEqual({
      notice: error.message,
    })
  })

  test('a refusal about the email stands under the target field of an email form', () => {
    const error = new EiamError('rejected', 'Parameter email format is incorrect', 'SDK.COMMON.1002', 400)
    expect(failurePatch(error, { target: 'errors.email', code: 'errors.emailCode' })).toEqual({
      'errors.email': error.message,
    })
  })

  test('a refusal naming the code on a page without a code slot goes to the notice', () => {
    const error = new EiamError('rejected', 'verify_code parameter error', 'SDK.COMMON.1006', 400)
    expect(failurePatch(error, { target: 'errors.mobile', refusal: 'errors.send' })).toEqual({
      notice: error.message,
    })
  })

  test('a server or busy failure naming no field goes to the notice even when refusals have a slot', () => {
    const error = new EiamError('server', 'Internal error', 'SDK.COMMON.1000', 500)
    expect(failurePatch(error, { ...keys, refusal: 'errors.send' })).toEqual({ notice: error.message })
  })
})
