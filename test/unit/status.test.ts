import {
  type Channel,
  channelsFrom,
  CODE_TYPES,
  parseStatusAnswer,
  type StatusAnswer,
} from '../../miniprogram/services/eiam'
import { EiamError } from '../../miniprogram/services/errors'
import { t } from '../../miniprogram/i18n/index'

type JsonObject = Record<string, unknown>

const host = globalThis as unknown as { wx?: unknown }
let originalWx: unknown

beforeEach(() => {
  originalWx = host.wx
  // t() reads the WeChat language on every call
  host.wx = { getAppBaseInfo: () => ({ language: 'en' }) }
})

afterEach(() => {
  host.wx = originalWx
})

const bothTabs: Channel[] = ['mobile', 'email']
const tokens = { session_token: 'st-1', expire: 432000, id_token: 'header.payload.signature' }

/** The EiamError a call throws, so a test can say what the user would be told. */
function errorOf(run: () => unknown): EiamError {
  try {
    run()
  } catch (error) {
    if (error instanceof EiamError) return error
    throw error
  }
  throw new Error('expected an EiamError, but nothing was thrown')
}

const parse = (body: JsonObject | null, requireStateToken = true): StatusAnswer =>
  parseStatusAnswer(body, requireStateToken)

describe('a status answer', () => {
  test('SUCCESS brings the session tokens with their lifetime', () => {
    expect(parse({ status: 'SUCCESS', ...tokens })).toEqual({
      status: 'SUCCESS',
      tokens: { sessionToken: 'st-1', expire: 432000, idToken: 'header.payload.signature' },
    })
  })

  test('SUCCESS with its lifetime as a numeric string is read as a number', () => {
    const answer = parse({ status: 'SUCCESS', ...tokens, expire: '604800' })
    expect(answer).toMatchObject({ tokens: { expire: 604800 } })
  })

  test('SOCIAL_BIND brings the state token and the tabs the tenant allows', () => {
    const data = JSON.stringify({ socialBindOrRegisterFlow: ['VERIFY_PHONE', 'VERIFY_EMAIL'] })
    expect(parse({ status: 'SOCIAL_BIND', state_token: 'state-1', data })).toEqual({
      status: 'SOCIAL_BIND',
      stateToken: 'state-1',
      channels: bothTabs,
    })
  })

  test('USER_REGISTER brings the state token and the tabs', () => {
    expect(parse({ status: 'USER_REGISTER', state_token: 'state-2', data: null })).toEqual({
      status: 'USER_REGISTER',
      stateToken: 'state-2',
      channels: bothTabs,
    })
  })

  test('MFA_AUTH brings a new state token', () => {
    expect(parse({ status: 'MFA_AUTH', state_token: 'state-3' })).toEqual({
      status: 'MFA_AUTH',
      stateToken: 'state-3',
      channels: bothTabs,
    })
  })

  test('ACCESS_DENIED carries nothing else', () => {
    expect(parse({ status: 'ACCESS_DENIED', state_token: 'ignored' })).toEqual({ status: 'ACCESS_DENIED' })
  })

  test('a status with spaces around it, as in a vendor sample, is recognised', () => {
    expect(parse({ status: ' SOCIAL_BIND', state_token: 'state-1' }).status).toBe('SOCIAL_BIND')
    expect(parse({ status: 'SUCCESS \n', ...tokens }).status).toBe('SUCCESS')
  })

  test('leading spaces in state_token, session_token and id_token (as in vendor samples) are trimmed', () => {
    expect(parse({ status: ' SOCIAL_BIND', state_token: ' eyJstate', data: null })).toMatchObject({
      status: 'SOCIAL_BIND',
      stateToken: 'eyJstate',
    })
    expect(parse({ status: ' MFA_AUTH', state_token: ' eyJmfa ' })).toMatchObject({ stateToken: 'eyJmfa' })
    expect(
      parse({ status: ' SUCCESS', session_token: ' s1', expire: 432000, id_token: ' eyJhbGciOi.x.y' }),
    ).toEqual({
      status: 'SUCCESS',
      tokens: { sessionToken: 's1', expire: 432000, idToken: 'eyJhbGciOi.x.y' },
    })
  })

  test('a status in lower case is recognised', () => {
    expect(parse({ status: 'access_denied' })).toEqual({ status: 'ACCESS_DENIED' })
    expect(parse({ status: 'Mfa_Auth', state_token: 'state-3' }).status).toBe('MFA_AUTH')
  })
})

describe('a status answer the app cannot use', () => {
  test('SUCCESS without a session token is an unexpected answer from the server', () => {
    const error = errorOf(() => parse({ status: 'SUCCESS', expire: 432000, id_token: 'a.b.c' }))
    expect(error.kind).toBe('server')
    expect(error.message).toBe(t('error.unexpected'))
  })

  test('SUCCESS without an id_token is an unexpected answer', () => {
    expect(errorOf(() => parse({ status: 'SUCCESS', session_token: 'st-1', expire: 432000 })).kind).toBe(
      'server',
    )
    expect(errorOf(() => parse({ status: 'SUCCESS', ...tokens, id_token: '' })).kind).toBe('server')
  })

  test('SUCCESS without a usable lifetime is an unexpected answer', () => {
    for (const expire of [undefined, 0, -1, 'soon', null]) {
      const error = errorOf(() => parse({ status: 'SUCCESS', ...tokens, expire }))
      expect(error.kind).toBe('server')
      expect(error.message).toBe(t('error.unexpected'))
    }
  })

  test('SOCIAL_BIND or USER_REGISTER without a state token is an unexpected answer, wherever it comes from', () => {
    for (const status of ['SOCIAL_BIND', 'USER_REGISTER']) {
      for (const requireStateToken of [true, false]) {
        expect(errorOf(() => parse({ status }, requireStateToken)).kind).toBe('server')
        expect(errorOf(() => parse({ status, state_token: '' }, requireStateToken)).kind).toBe('server')
        expect(errorOf(() => parse({ status, state_token: 42 }, requireStateToken)).kind).toBe('server')
      }
    }
  })

  test('MFA_AUTH without a state token keeps the current one when a state token is not required', () => {
    expect(parse({ status: 'MFA_AUTH' }, false)).toEqual({
      status: 'MFA_AUTH',
      stateToken: undefined,
      channels: bothTabs,
    })
  })

  test('MFA_AUTH without a state token is an unexpected answer to login, which must start a flow', () => {
    const error = errorOf(() => parse({ status: 'MFA_AUTH' }, true))
    expect(error.kind).toBe('server')
    expect(error.message).toBe(t('error.unexpected'))
  })

  test('an unknown status is reported with the status in the message, never guessed', () => {
    const error = errorOf(() => parse({ status: 'PENDING_APPROVAL', state_token: 'state-1' }))
    expect(error.kind).toBe('server')
    expect(error.message).toContain('PENDING_APPROVAL')
    expect(error.message).toBe(t('error.unknownStatus', { status: 'PENDING_APPROVAL' }))
  })

  test('a missing or non-text status is reported as unknown', () => {
    for (const body of [{}, { status: '' }, { status: 42 }, { status: null }, { status: '   ' }]) {
      const error = errorOf(() => parse(body))
      expect(error.kind).toBe('server')
      expect(error.message).toBe(t('error.unknownStatus', { status: '—' }))
    }
  })

  test('an empty body is an unexpected answer', () => {
    const error = errorOf(() => parse(null))
    expect(error.kind).toBe('server')
    expect(error.message).toBe(t('error.unexpected'))
  })

  test('the message follows the WeChat language', () => {
    host.wx = { getAppBaseInfo: () => ({ language: 'zh_CN' }) }
    expect(errorOf(() => parse(null)).message).toBe(t('error.unexpected', {}, 'zh'))
    expect(errorOf(() => parse({ status: 'X' })).message).toBe('登录服务返回了本应用不认识的状态（X）。')
  })
})

describe('the verification tabs a flow offers', () => {
  const flow = (...names: string[]) => JSON.stringify({ socialBindOrRegisterFlow: names })

  test('VERIFY_PHONE alone shows only the mobile tab', () => {
    expect(channelsFrom(flow('VERIFY_PHONE'))).toEqual(['mobile'])
  })

  test('VERIFY_EMAIL alone shows only the email tab', () => {
    expect(channelsFrom(flow('VERIFY_EMAIL'))).toEqual(['email'])
  })

  test('both flows show both tabs, mobile first, in whatever order they come', () => {
    expect(channelsFrom(flow('VERIFY_EMAIL', 'VERIFY_PHONE'))).toEqual(bothTabs)
  })

  test('data given as an object rather than a JSON string is read the same way', () => {
    expect(channelsFrom({ socialBindOrRegisterFlow: ['VERIFY_EMAIL'] })).toEqual(['email'])
  })

  test('flow names with spaces around them are recognised', () => {
    expect(channelsFrom(flow(' VERIFY_PHONE '))).toEqual(['mobile'])
  })

  test('null, missing or empty data shows both tabs', () => {
    expect(channelsFrom(null)).toEqual(bothTabs)
    expect(channelsFrom(undefined)).toEqual(bothTabs)
    expect(channelsFrom('')).toEqual(bothTabs)
    expect(channelsFrom(flow())).toEqual(bothTabs)
  })

  test('data that cannot be read shows both tabs', () => {
    for (const data of ['{not json', 'VERIFY_PHONE', 42, true, '[]', '["VERIFY_PHONE"]', '"VERIFY_PHONE"']) {
      expect(channelsFrom(data)).toEqual(bothTabs)
    }
    expect(channelsFrom({ socialBindOrRegisterFlow: 'VERIFY_PHONE' })).toEqual(bothTabs)
  })

  test('a list of only methods this app cannot offer shows no tab (the page says so)', () => {
    expect(channelsFrom(flow('VERIFY_FACE', 'VERIFY_OTP'))).toEqual([])
    expect(channelsFrom(flow('VERIFY_USERNAME'))).toEqual([])
  })

  test('known methods beside unknown ones show as usual', () => {
    expect(channelsFrom(flow('VERIFY_FACE', 'VERIFY_EMAIL'))).toEqual(['email'])
    expect(channelsFrom(flow('VERIFY_OTP', 'VERIFY_PHONE', 'VERIFY_EMAIL'))).toEqual(bothTabs)
  })

  test('a status answer passes its data through to the tabs', () => {
    expect(parse({ status: 'SOCIAL_BIND', state_token: 's', data: flow('VERIFY_EMAIL') })).toMatchObject({
      channels: ['email'],
    })
    expect(parse({ status: 'USER_REGISTER', state_token: 's', data: 'garbage' })).toMatchObject({
      channels: bothTabs,
    })
    expect(
      parse({ status: 'MFA_AUTH', state_token: 's', data: { socialBindOrRegisterFlow: ['VERIFY_PHONE'] } }),
    ).toMatchObject({
      channels: ['mobile'],
    })
  })
})

describe('the code types sent for each purpose', () => {
  test('match the table of docs/eiam-api.md §4', () => {
    expect(CODE_TYPES).toEqual({
      bind: { mobile: 'BIND_MOBILE_SMS', email: 'BIND_EMAIL_EMS' },
      register: { mobile: 'REGISTER_SMS', email: 'REGISTER_EMS' },
      mfa: { mobile: 'MFA_AUTH_SMS', email: 'MFA_AUTH_EMS' },
    })
  })
})

describe('password statuses', () => {
  test('PASSWORD_EXPIRED and PASSWORD_WARN bring the state token of the change', () => {
    expect(parse({ status: 'PASSWORD_EXPIRED', state_token: 'pw-1' }, false)).toEqual({
      status: 'PASSWORD_EXPIRED',
      stateToken: 'pw-1',
    })
    expect(parse({ status: ' password_warn', state_token: 'pw-2' }, false)).toEqual({
      status: 'PASSWORD_WARN',
      stateToken: 'pw-2',
    })
  })

  test('any other PASSWORD_* status is handled as the warning, which the user may skip', () => {
    expect(parse({ status: 'PASSWORD_ABOUT_TO_EXPIRE', state_token: 'pw-3' }, false)).toEqual({
      status: 'PASSWORD_WARN',
      stateToken: 'pw-3',
    })
  })

  test('without a state token, a step keeps its own; a login answer is refused as unexpected', () => {
    expect(parse({ status: 'PASSWORD_EXPIRED' }, false)).toEqual({ status: 'PASSWORD_EXPIRED' })
    expect(errorOf(() => parse({ status: 'PASSWORD_EXPIRED' }, true)).message).toBe(t('error.unexpected'))
  })

  test.each(['PASSWORD-EXPIRED', 'PASSWORD_EXPIRED2', 'OLD_PASSWORD_EXPIRED'])(
    'a status that only looks like one (%s) is still unknown',
    (status) => {
      expect(errorOf(() => parse({ status, state_token: 'x' })).message).toBe(
        t('error.unknownStatus', { status }),
      )
    },
  )
})
