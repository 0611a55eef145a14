import { EiamError } from '../../miniprogram/services/errors'
import { failurePatch, problemOf } from '../../miniprogram/services/feedback'

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
