import { SandboxConfigError, optionsFromEnv, resolveOptions } from '../../sandbox'

describe('reading the EIAM_SANDBOX_* environment', () => {
  test('an empty environment leaves every option to its default', () => {
    expect(optionsFromEnv({})).toEqual({})
  })

  test('every variable maps to its option', () => {
    expect(
      optionsFromEnv({
        EIAM_SANDBOX_PORT: '9000',
        EIAM_SANDBOX_HOST: '0.0.0.0',
        EIAM_SANDBOX_CLIENT_ID: 'tenant-app',
        EIAM_SANDBOX_MODE: 'auto',
        EIAM_SANDBOX_FLOWS: 'VERIFY_PHONE',
        EIAM_SANDBOX_HOOKS: '1',
        EIAM_SANDBOX_CAPTCHA_AES: 'true',
        EIAM_SANDBOX_ERROR_PREFIX: '0',
        EIAM_SANDBOX_CODE_TTL_S: '120',
        EIAM_SANDBOX_RESEND_S: '0',
        EIAM_SANDBOX_STATE_TTL_S: '30',
        EIAM_SANDBOX_CAPTCHA_TTL_S: '45',
        EIAM_SANDBOX_CODE_LENGTH: '4',
        EIAM_SANDBOX_WRONG_CODE: 'vendor',
        EIAM_SANDBOX_ROTATE: '0',
        EIAM_SANDBOX_MFA_MOBILE: 'bare',
      }),
    ).toEqual({
      port: 9000,
      host: '0.0.0.0',
      clientId: 'tenant-app',
      mode: 'auto',
      flows: ['VERIFY_PHONE'],
      hooks: true,
      captchaAes: true,
      errorPrefix: false,
      codeTtlS: 120,
      resendS: 0,
      stateTtlS: 30,
      captchaTtlS: 45,
      codeLength: 4,
      wrongCode: 'vendor',
      rotate: false,
      mfaMobile: 'bare',
    })
  })

  test('EIAM_SANDBOX_CAPTCHA_AES=key-plain issues keys but checks plain point_json; the choices read case-insensitively', () => {
    expect(optionsFromEnv({ EIAM_SANDBOX_CAPTCHA_AES: 'key-plain' }).captchaAes).toBe('key-plain')
    expect(optionsFromEnv({ EIAM_SANDBOX_CAPTCHA_AES: 'Key-Plain' }).captchaAes).toBe('key-plain')
    expect(optionsFromEnv({ EIAM_SANDBOX_WRONG_CODE: 'VENDOR' }).wrongCode).toBe('vendor')
    expect(optionsFromEnv({ EIAM_SANDBOX_MFA_MOBILE: 'Dash' }).mfaMobile).toBe('dash')
  })

  test('an empty EIAM_SANDBOX_FLOWS means no flows (data: null); spaces around names are ignored', () => {
    expect(optionsFromEnv({ EIAM_SANDBOX_FLOWS: '' }).flows).toEqual([])
    expect(optionsFromEnv({ EIAM_SANDBOX_FLOWS: ' VERIFY_PHONE , VERIFY_EMAIL ' }).flows).toEqual([
      'VERIFY_PHONE',
      'VERIFY_EMAIL',
    ])
  })

  test('blank variables other than the flows fall back to the defaults', () => {
    expect(optionsFromEnv({ EIAM_SANDBOX_PORT: '', EIAM_SANDBOX_MODE: ' ', EIAM_SANDBOX_HOOKS: '' })).toEqual(
      {},
    )
  })

  test('the mode is read case-insensitively', () => {
    expect(optionsFromEnv({ EIAM_SANDBOX_MODE: 'Register' }).mode).toBe('register')
  })

  test.each([
    ['EIAM_SANDBOX_PORT', 'http', 'EIAM_SANDBOX_PORT must be a whole number from 0 to 65535, not "http".'],
    ['EIAM_SANDBOX_PORT', '65536', 'EIAM_SANDBOX_PORT must be a whole number from 0 to 65535, not "65536".'],
    ['EIAM_SANDBOX_MODE', 'open', 'EIAM_SANDBOX_MODE must be bind, register or auto, not "open".'],
    ['EIAM_SANDBOX_HOOKS', 'maybe', 'EIAM_SANDBOX_HOOKS must be 1 or 0, not "maybe".'],
    ['EIAM_SANDBOX_CAPTCHA_AES', '2', 'EIAM_SANDBOX_CAPTCHA_AES must be 1, 0 or key-plain, not "2".'],
    [
      'EIAM_SANDBOX_CODE_LENGTH',
      '3',
      'EIAM_SANDBOX_CODE_LENGTH must be a whole number from 4 to 8, not "3".',
    ],
    [
      'EIAM_SANDBOX_CODE_LENGTH',
      '9',
      'EIAM_SANDBOX_CODE_LENGTH must be a whole number from 4 to 8, not "9".',
    ],
    ['EIAM_SANDBOX_WRONG_CODE', 'sms', 'EIAM_SANDBOX_WRONG_CODE must be common or vendor, not "sms".'],
    ['EIAM_SANDBOX_ROTATE', 'sometimes', 'EIAM_SANDBOX_ROTATE must be 1 or 0, not "sometimes".'],
    ['EIAM_SANDBOX_MFA_MOBILE', 'plus', 'EIAM_SANDBOX_MFA_MOBILE must be dash or bare, not "plus".'],
    ['EIAM_SANDBOX_ERROR_PREFIX', 'idaas', 'EIAM_SANDBOX_ERROR_PREFIX must be 1 or 0, not "idaas".'],
    ['EIAM_SANDBOX_CODE_TTL_S', '0', 'EIAM_SANDBOX_CODE_TTL_S must be a whole number from 1 to'],
    ['EIAM_SANDBOX_RESEND_S', '-1', 'EIAM_SANDBOX_RESEND_S must be a whole number from 0 to'],
    ['EIAM_SANDBOX_STATE_TTL_S', '1.5', 'EIAM_SANDBOX_STATE_TTL_S must be a whole number from 1 to'],
    ['EIAM_SANDBOX_CAPTCHA_TTL_S', '2m', 'EIAM_SANDBOX_CAPTCHA_TTL_S must be a whole number from 1 to'],
    ['EIAM_SANDBOX_FLOWS', 'verify phone', 'EIAM_SANDBOX_FLOWS must be a comma-separated list'],
  ])('%s=%s is refused with a sentence naming the variable', (name, value, sentence) => {
    expect(() => optionsFromEnv({ [name]: value })).toThrow(SandboxConfigError)
    expect(() => optionsFromEnv({ [name]: value })).toThrow(sentence)
  })
})

describe('the programmatic options of the tenant variants', () => {
  test('default to the sandbox as it always was: 6 digits, common wrong-code errors, rotation, +86- phones', () => {
    expect(resolveOptions({})).toMatchObject({
      captchaAes: false,
      codeLength: 6,
      wrongCode: 'common',
      rotate: true,
      mfaMobile: 'dash',
    })
  })

  test.each([
    [{ codeLength: 3 }, 'codeLength must be a whole number from 4 to 8, not 3.'],
    [{ codeLength: 6.5 }, 'codeLength must be a whole number from 4 to 8, not 6.5.'],
    [{ wrongCode: 'sms' as never }, 'wrongCode must be common or vendor, not "sms".'],
    [{ mfaMobile: 'plus' as never }, 'mfaMobile must be dash or bare, not "plus".'],
    [{ captchaAes: 'yes' as never }, 'captchaAes must be true, false or "key-plain", not "yes".'],
  ])('%o is refused in one sentence', (options, sentence) => {
    expect(() => resolveOptions(options)).toThrow(SandboxConfigError)
    expect(() => resolveOptions(options)).toThrow(sentence)
  })
})
