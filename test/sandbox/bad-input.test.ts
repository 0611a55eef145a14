/**
 * Hostile and odd input, straight to the sandbox, on every field of the endpoints that take user input: sms/send,
 * email/send, captcha/verify, social/bind, social/register-bind, mfa/sms and mfa/email.
 *
 * Each row starts from a request that would succeed (a solved captcha, a live state token, a code really sent) and
 * replaces one field, one header or the raw body. What the format rules can normalise (full-width digits, `+86`
 * forms, spaces, the case of an email) is accepted; everything else answers 400 with the documented envelope
 * `{error_code, error_msg}` naming the field — never a 500, never a hang. An input refused by the format rules changes
 * nothing: the same request with the original value still succeeds afterwards (captcha token, state token and code
 * unspent).
 */
import type { Sandbox } from '../../sandbox'
import { EIAM_PATHS } from '../../miniprogram/services/eiam'
import { SEEDED } from '../support/sandbox'
import { Device, useContractSandbox, type Reply, type Json } from './support'

const ZHANGSAN = SEEDED.zhangsan
const LISI = SEEDED.lisi
/** No seeded user has it: register-bind creates one. */
const NEWCOMER = { mobile: '13600136000', email: 'newcomer@example.com' }

/** Any answer slower than this is a hang. */
const ANSWER_WITHIN_MS = 5_000

const FULL_WIDTH = (digits: string) =>
  digits.replace(/\d/g, (digit) => String.fromCharCode(0xff10 + Number(digit)))

type Endpoint =
  'sms/send' | 'email/send' | 'captcha/verify' | 'social/bind' | 'register-bind' | 'mfa/sms' | 'mfa/email'

/** A request that succeeds as it stands. */
interface Baseline {
  path: string
  body: Json
  stateToken?: string
}

interface Setup {
  sandbox: Sandbox
  device: Device
  channel: 'sms' | 'email'
}

type Refusal = { code: string; field?: string }

interface Case {
  endpoint: Endpoint
  what: string
  /** The email channel of a bind or second factor (default: the mobile channel). */
  channel?: 'sms' | 'email'
  /** Replace one body field (a function of the original body when it depends on it, e.g. the real code). */
  field?: string
  value?: unknown | ((body: Json) => unknown)
  /** Send this text as the body instead. */
  raw?: (body: Json) => string
  headers?: Record<string, string>
  expect: Refusal | 'accepted'
}

const valueOf = (value: unknown, body: Json) =>
  typeof value === 'function' ? (value as (body: Json) => unknown)(body) : value

async function prepare(endpoint: Endpoint, { sandbox, device, channel }: Setup): Promise<Baseline> {
  switch (endpoint) {
    case 'sms/send':
      return {
        path: EIAM_PATHS.smsSend,
        body: {
          mobile: ZHANGSAN.mobile,
          type: 'BIND_MOBILE_SMS',
          captcha_token: await device.solveCaptcha(ZHANGSAN.mobile),
        },
      }
    case 'email/send':
      return {
        path: EIAM_PATHS.emailSend,
        body: {
          email: ZHANGSAN.email,
          type: 'BIND_EMAIL_EMS',
          captcha_token: await device.solveCaptcha(ZHANGSAN.email),
        },
      }
    case 'captcha/verify': {
      const puzzle = await device.get(EIAM_PATHS.captcha)
      const token = String(puzzle.json.token)
      return {
        path: EIAM_PATHS.captchaVerify,
        body: {
          point_json: JSON.stringify({ x: sandbox.captchaAnswer(token), y: 5 }),
          token,
          sender: ZHANGSAN.mobile,
        },
      }
    }
    case 'social/bind':
    case 'register-bind': {
      const stateToken = await device.stateToken()
      const person = endpoint === 'social/bind' ? ZHANGSAN : NEWCOMER
      const prefix = endpoint === 'social/bind' ? 'BIND' : 'REGISTER'
      const path = endpoint === 'social/bind' ? EIAM_PATHS.bind : EIAM_PATHS.registerBind
      const body =
        channel === 'sms'
          ? {
              mobile: person.mobile,
              verify_code: await device.sendCode(
                'sms',
                person.mobile,
                `${prefix}_${prefix === 'BIND' ? 'MOBILE_SMS' : 'SMS'}`,
              ),
            }
          : {
              email: person.email,
              verify_code: await device.sendCode(
                'email',
                person.email,
                `${prefix}_${prefix === 'BIND' ? 'EMAIL_EMS' : 'EMS'}`,
              ),
            }
      return { path, body, stateToken }
    }
    case 'mfa/sms':
    case 'mfa/email': {
      sandbox.linkIdentity(device.fingerprint, 'lisi')
      const stateToken = await device.stateToken()
      const body =
        endpoint === 'mfa/sms'
          ? { mobile: LISI.mobile, verify_code: await device.sendCode('sms', LISI.mobile, 'MFA_AUTH_SMS') }
          : { email: LISI.email, verify_code: await device.sendCode('email', LISI.email, 'MFA_AUTH_EMS') }
      return { path: endpoint === 'mfa/sms' ? EIAM_PATHS.mfaSms : EIAM_PATHS.mfaEmail, body, stateToken }
    }
  }
}

const MESSAGES: Record<string, (field: string) => string> = {
  'SDK.COMMON.1001': (field) => `Parameter ${field} cannot be left blank`,
  'SDK.COMMON.1002': (field) => `Parameter ${field} format is incorrect`,
  'SDK.COMMON.1006': (field) => `${field} parameter error`,
  'SDK.COMMON.1007': () => 'state_token parameter error',
  'SDK.CAPTCHA.0002': () => 'Graphic verification code verification failed',
  'SDK.CAPTCHA.0004': () => 'CAPTCHA token invalid',
}

/** Refused by the format rules (or the header check) before anything is spent. */
const changesNothing = (refusal: Refusal) => refusal.code.startsWith('SDK.COMMON.')

const blank = (field: string): Refusal => ({ code: 'SDK.COMMON.1001', field })
const badFormat = (field: string): Refusal => ({ code: 'SDK.COMMON.1002', field })
const CAPTCHA_FAILED: Refusal = { code: 'SDK.CAPTCHA.0002' }
const CAPTCHA_INVALID: Refusal = { code: 'SDK.CAPTCHA.0004' }

const deeplyNested = (depth: number) => `${'['.repeat(depth)}${']'.repeat(depth)}`
const replaceInRaw = (body: Json, field: string, rawValue: string) =>
  JSON.stringify({ ...body, [field]: '\u0000PLACEHOLDER\u0000' }).replace(
    '"\\u0000PLACEHOLDER\\u0000"',
    rawValue,
  )

const cases: Case[] = [
  // sms/send: the mobile
  { endpoint: 'sms/send', what: 'an empty mobile', field: 'mobile', value: '', expect: blank('mobile') },
  {
    endpoint: 'sms/send',
    what: 'a mobile of spaces and tabs',
    field: 'mobile',
    value: '  \t ',
    expect: blank('mobile'),
  },
  {
    endpoint: 'sms/send',
    what: 'a mobile in full-width digits',
    field: 'mobile',
    value: FULL_WIDTH(ZHANGSAN.mobile),
    expect: 'accepted',
  },
  {
    endpoint: 'sms/send',
    what: 'a mobile with +86',
    field: 'mobile',
    value: `+86${ZHANGSAN.mobile}`,
    expect: 'accepted',
  },
  {
    endpoint: 'sms/send',
    what: 'a mobile as "+86-138 0013 8000"',
    field: 'mobile',
    value: '+86-138 0013 8000',
    expect: 'accepted',
  },
  {
    endpoint: 'sms/send',
    what: 'a mobile with full-width ＋８６－',
    field: 'mobile',
    value: `＋８６－${FULL_WIDTH(ZHANGSAN.mobile)}`,
    expect: 'accepted',
  },
  {
    endpoint: 'sms/send',
    what: 'a mobile in groups with dashes',
    field: 'mobile',
    value: '138-0013-8000',
    expect: 'accepted',
  },
  {
    endpoint: 'sms/send',
    what: 'a mobile with an emoji',
    field: 'mobile',
    value: '1380013800😀',
    expect: badFormat('mobile'),
  },
  {
    endpoint: 'sms/send',
    what: 'a mobile led by a right-to-left mark (U+200F)',
    field: 'mobile',
    value: `\u200F${ZHANGSAN.mobile}`,
    expect: badFormat('mobile'),
  },
  {
    endpoint: 'sms/send',
    what: 'a mobile with a right-to-left override (U+202E)',
    field: 'mobile',
    value: '138\u202E00138000',
    expect: badFormat('mobile'),
  },
  {
    endpoint: 'sms/send',
    what: 'a mobile with a zero-width space (U+200B)',
    field: 'mobile',
    value: '1380013\u200B8000',
    expect: badFormat('mobile'),
  },
  {
    endpoint: 'sms/send',
    what: 'a mobile with a zero-width no-break space (U+FEFF)',
    field: 'mobile',
    value: '1380013\uFEFF8000',
    expect: badFormat('mobile'),
  },
  {
    endpoint: 'sms/send',
    what: 'a mobile ending in U+FEFF',
    field: 'mobile',
    value: `${ZHANGSAN.mobile}\uFEFF`,
    expect: badFormat('mobile'),
  },
  {
    endpoint: 'sms/send',
    what: 'a mobile of 1,000 digits',
    field: 'mobile',
    value: '1'.repeat(1000),
    expect: badFormat('mobile'),
  },
  {
    endpoint: 'sms/send',
    what: 'a <script> tag as the mobile',
    field: 'mobile',
    value: '<script>alert(1)</script>',
    expect: badFormat('mobile'),
  },
  {
    endpoint: 'sms/send',
    what: 'an SQL fragment as the mobile',
    field: 'mobile',
    value: "' OR 1=1 --",
    expect: badFormat('mobile'),
  },
  {
    endpoint: 'sms/send',
    what: 'a mobile with a doubled plus',
    field: 'mobile',
    value: `++86${ZHANGSAN.mobile}`,
    expect: badFormat('mobile'),
  },
  {
    endpoint: 'sms/send',
    what: 'a mobile with a plus but no area code',
    field: 'mobile',
    value: `+${ZHANGSAN.mobile}`,
    expect: badFormat('mobile'),
  },
  {
    endpoint: 'sms/send',
    what: 'a mobile with +86 twice',
    field: 'mobile',
    value: `+86+86${ZHANGSAN.mobile}`,
    expect: badFormat('mobile'),
  },
  {
    endpoint: 'sms/send',
    what: 'a mobile as a JSON number',
    field: 'mobile',
    value: 13800138000,
    expect: badFormat('mobile'),
  },
  {
    endpoint: 'sms/send',
    what: 'a mobile as a negative number',
    field: 'mobile',
    value: -13800138000,
    expect: badFormat('mobile'),
  },
  { endpoint: 'sms/send', what: 'a null mobile', field: 'mobile', value: null, expect: blank('mobile') },
  {
    endpoint: 'sms/send',
    what: 'a mobile as an array',
    field: 'mobile',
    value: [ZHANGSAN.mobile],
    expect: badFormat('mobile'),
  },
  {
    endpoint: 'sms/send',
    what: 'a mobile as an object',
    field: 'mobile',
    value: { number: ZHANGSAN.mobile },
    expect: badFormat('mobile'),
  },
  {
    endpoint: 'sms/send',
    what: 'a mobile as true',
    field: 'mobile',
    value: true,
    expect: badFormat('mobile'),
  },
  // sms/send: type and captcha token
  {
    endpoint: 'sms/send',
    what: 'a lower-case type',
    field: 'type',
    value: 'bind_mobile_sms',
    expect: badFormat('type'),
  },
  {
    endpoint: 'sms/send',
    what: 'the email type on the SMS channel',
    field: 'type',
    value: 'BIND_EMAIL_EMS',
    expect: badFormat('type'),
  },
  {
    endpoint: 'sms/send',
    what: 'a type this app never sends (LOGIN_SMS)',
    field: 'type',
    value: 'LOGIN_SMS',
    expect: badFormat('type'),
  },
  {
    endpoint: 'sms/send',
    what: 'a type of 1,000 characters',
    field: 'type',
    value: 'X'.repeat(1000),
    expect: badFormat('type'),
  },
  {
    endpoint: 'sms/send',
    what: 'a captcha token as a number',
    field: 'captcha_token',
    value: 12345,
    expect: badFormat('captcha_token'),
  },
  {
    endpoint: 'sms/send',
    what: 'a captcha token of 1,000 characters',
    field: 'captcha_token',
    value: 'c'.repeat(1000),
    expect: CAPTCHA_INVALID,
  },
  {
    endpoint: 'sms/send',
    what: 'an SQL fragment as the captcha token',
    field: 'captcha_token',
    value: "x' OR '1'='1",
    expect: CAPTCHA_INVALID,
  },
  // sms/send: the raw body
  {
    endpoint: 'sms/send',
    what: 'a duplicate mobile key whose last value is a script (the last wins)',
    raw: (body) => replaceInRaw(body, 'type', `"BIND_MOBILE_SMS","mobile":"<script>"`),
    expect: badFormat('mobile'),
  },
  {
    endpoint: 'sms/send',
    what: 'a duplicate mobile key whose last value is valid (the last wins, as the tenant’s parser does)',
    raw: (body) => `{"mobile":"<script>",${JSON.stringify(body).slice(1)}`,
    expect: 'accepted',
  },
  {
    endpoint: 'sms/send',
    what: 'a mobile nested 100,000 arrays deep',
    raw: (body) => replaceInRaw(body, 'mobile', deeplyNested(100_000)),
    expect: badFormat('mobile'),
  },
  {
    endpoint: 'sms/send',
    what: 'a mobile of 900 KB',
    field: 'mobile',
    value: '1'.repeat(900_000),
    expect: badFormat('mobile'),
  },
  {
    endpoint: 'sms/send',
    what: 'a __proto__ key that tries to smuggle the mobile in',
    raw: (body) =>
      JSON.stringify({ ...body, mobile: undefined }).replace(
        '{',
        `{"__proto__":{"mobile":"${ZHANGSAN.mobile}"},`,
      ),
    expect: blank('mobile'),
  },
  {
    endpoint: 'sms/send',
    what: 'a JSON array as the body',
    raw: (body) => JSON.stringify([body]),
    expect: badFormat('body'),
  },
  { endpoint: 'sms/send', what: 'a JSON null as the body', raw: () => 'null', expect: badFormat('body') },
  {
    endpoint: 'sms/send',
    what: 'a form-encoded body labelled JSON',
    raw: () => `mobile=${ZHANGSAN.mobile}`,
    expect: badFormat('body'),
  },
  {
    endpoint: 'sms/send',
    what: 'a body cut off mid-way',
    raw: (body) => JSON.stringify(body).slice(0, 20),
    expect: badFormat('body'),
  },

  // email/send
  { endpoint: 'email/send', what: 'an empty email', field: 'email', value: '', expect: blank('email') },
  {
    endpoint: 'email/send',
    what: 'an email without a domain',
    field: 'email',
    value: 'zhangsan@',
    expect: badFormat('email'),
  },
  {
    endpoint: 'email/send',
    what: 'an email without an @',
    field: 'email',
    value: 'zhangsan',
    expect: badFormat('email'),
  },
  {
    endpoint: 'email/send',
    what: 'an email whose domain has no dot',
    field: 'email',
    value: 'zhangsan@example',
    expect: badFormat('email'),
  },
  {
    endpoint: 'email/send',
    what: 'an email with two @',
    field: 'email',
    value: 'zhang@san@example.com',
    expect: badFormat('email'),
  },
  {
    endpoint: 'email/send',
    what: 'an email with accented letters',
    field: 'email',
    value: 'zhāngsān@example.com',
    expect: badFormat('email'),
  },
  {
    endpoint: 'email/send',
    what: 'an email with a Chinese domain',
    field: 'email',
    value: 'zhangsan@例子.中国',
    expect: badFormat('email'),
  },
  {
    endpoint: 'email/send',
    what: 'an email with an emoji',
    field: 'email',
    value: 'zhang😀@example.com',
    expect: badFormat('email'),
  },
  {
    endpoint: 'email/send',
    what: 'an email with a zero-width space (U+200B)',
    field: 'email',
    value: 'zhangsan@exam\u200Bple.com',
    expect: badFormat('email'),
  },
  {
    endpoint: 'email/send',
    what: 'an email ending in U+FEFF',
    field: 'email',
    value: `${ZHANGSAN.email}\uFEFF`,
    expect: badFormat('email'),
  },
  {
    endpoint: 'email/send',
    what: 'an email led by a right-to-left override (U+202E)',
    field: 'email',
    value: `\u202E${ZHANGSAN.email}`,
    expect: badFormat('email'),
  },
  {
    endpoint: 'email/send',
    what: 'an email of 1,000 characters',
    field: 'email',
    value: `${'a'.repeat(988)}@example.com`,
    expect: badFormat('email'),
  },
  {
    endpoint: 'email/send',
    what: 'a <script> tag in the email',
    field: 'email',
    value: '<script>@example.com',
    expect: badFormat('email'),
  },
  {
    endpoint: 'email/send',
    what: 'an SQL fragment in the email',
    field: 'email',
    value: "a' OR 1=1 --@example.com",
    expect: badFormat('email'),
  },
  {
    endpoint: 'email/send',
    what: 'an email in another case',
    field: 'email',
    value: 'ZhangSan@Example.COM',
    expect: 'accepted',
  },
  {
    endpoint: 'email/send',
    what: 'an email with spaces around it',
    field: 'email',
    value: `  ${ZHANGSAN.email}\u3000`,
    expect: 'accepted',
  },
  {
    endpoint: 'email/send',
    what: 'an email as false',
    field: 'email',
    value: false,
    expect: badFormat('email'),
  },
  {
    endpoint: 'email/send',
    what: 'an email as an array',
    field: 'email',
    value: [ZHANGSAN.email],
    expect: badFormat('email'),
  },
  {
    endpoint: 'email/send',
    what: 'the SMS type on the email channel',
    field: 'type',
    value: 'BIND_MOBILE_SMS',
    expect: badFormat('type'),
  },

  // captcha/verify
  {
    endpoint: 'captcha/verify',
    what: 'a point_json sent as an object',
    field: 'point_json',
    value: { x: 100, y: 5 },
    expect: badFormat('point_json'),
  },
  {
    endpoint: 'captcha/verify',
    what: 'an empty point_json',
    field: 'point_json',
    value: '',
    expect: blank('point_json'),
  },
  {
    endpoint: 'captcha/verify',
    what: 'a point_json that is a script',
    field: 'point_json',
    value: '<script>alert(1)</script>',
    expect: CAPTCHA_FAILED,
  },
  {
    endpoint: 'captcha/verify',
    what: 'a point_json whose x is a string',
    field: 'point_json',
    value: (body: Json) => String(body.point_json).replace(/"x":(\d+)/, '"x":"$1"'),
    expect: CAPTCHA_FAILED,
  },
  {
    endpoint: 'captcha/verify',
    what: 'a point_json whose x overflows to Infinity',
    field: 'point_json',
    value: '{"x":1e309,"y":5}',
    expect: CAPTCHA_FAILED,
  },
  {
    endpoint: 'captcha/verify',
    what: 'a point_json nested 100,000 arrays deep',
    field: 'point_json',
    value: deeplyNested(100_000),
    expect: CAPTCHA_FAILED,
  },
  {
    endpoint: 'captcha/verify',
    what: 'an unknown token of 1,000 characters',
    field: 'token',
    value: 't'.repeat(1000),
    expect: CAPTCHA_INVALID,
  },
  {
    endpoint: 'captcha/verify',
    what: 'a token as an array',
    field: 'token',
    value: ['a'],
    expect: badFormat('token'),
  },
  {
    endpoint: 'captcha/verify',
    what: 'a sender with an emoji',
    field: 'sender',
    value: '1380013800😀',
    expect: badFormat('sender'),
  },
  {
    endpoint: 'captcha/verify',
    what: 'an empty sender',
    field: 'sender',
    value: '',
    expect: blank('sender'),
  },
  {
    endpoint: 'captcha/verify',
    what: 'a sender email without a domain',
    field: 'sender',
    value: 'zhangsan@',
    expect: badFormat('sender'),
  },
  {
    endpoint: 'captcha/verify',
    what: 'a sender in full-width digits',
    field: 'sender',
    value: FULL_WIDTH(ZHANGSAN.mobile),
    expect: 'accepted',
  },
  {
    endpoint: 'captcha/verify',
    what: 'a sender with +86 and spaces',
    field: 'sender',
    value: '+86 138 0013 8000',
    expect: 'accepted',
  },

  // social/bind
  {
    endpoint: 'social/bind',
    what: 'a code with a letter',
    field: 'verify_code',
    value: '12a456',
    expect: badFormat('verify_code'),
  },
  {
    endpoint: 'social/bind',
    what: 'a code of 3 digits',
    field: 'verify_code',
    value: '123',
    expect: badFormat('verify_code'),
  },
  {
    endpoint: 'social/bind',
    what: 'a code of 9 digits',
    field: 'verify_code',
    value: '123456789',
    expect: badFormat('verify_code'),
  },
  {
    endpoint: 'social/bind',
    what: 'a code with an emoji',
    field: 'verify_code',
    value: '12345😀',
    expect: badFormat('verify_code'),
  },
  {
    endpoint: 'social/bind',
    what: 'a code with a zero-width space (U+200B)',
    field: 'verify_code',
    value: (body: Json) => insertAt(String(body.verify_code), 3, '\u200B'),
    expect: badFormat('verify_code'),
  },
  {
    endpoint: 'social/bind',
    what: 'a code with a zero-width no-break space (U+FEFF)',
    field: 'verify_code',
    value: (body: Json) => insertAt(String(body.verify_code), 3, '\uFEFF'),
    expect: badFormat('verify_code'),
  },
  {
    endpoint: 'social/bind',
    what: 'a code as a JSON number',
    field: 'verify_code',
    value: 123456,
    expect: badFormat('verify_code'),
  },
  {
    endpoint: 'social/bind',
    what: 'a null code',
    field: 'verify_code',
    value: null,
    expect: blank('verify_code'),
  },
  {
    endpoint: 'social/bind',
    what: 'a code of 1,000 digits',
    field: 'verify_code',
    value: '1'.repeat(1000),
    expect: badFormat('verify_code'),
  },
  {
    endpoint: 'social/bind',
    what: 'the right code in full-width digits',
    field: 'verify_code',
    value: (body: Json) => FULL_WIDTH(String(body.verify_code)),
    expect: 'accepted',
  },
  {
    endpoint: 'social/bind',
    what: 'the right code with a space in the middle',
    field: 'verify_code',
    value: (body: Json) => insertAt(String(body.verify_code), 3, ' '),
    expect: 'accepted',
  },
  {
    endpoint: 'social/bind',
    what: 'the mobile as +86-…',
    field: 'mobile',
    value: `+86-${ZHANGSAN.mobile}`,
    expect: 'accepted',
  },
  {
    endpoint: 'social/bind',
    what: 'a mobile as an object',
    field: 'mobile',
    value: { $ne: null },
    expect: badFormat('mobile'),
  },
  {
    endpoint: 'social/bind',
    what: 'an SQL fragment as the mobile',
    field: 'mobile',
    value: "13800138000' --",
    expect: badFormat('mobile'),
  },
  {
    endpoint: 'social/bind',
    what: 'a state token of 1,000 characters',
    headers: { 'X-state-token': 's'.repeat(1000) },
    expect: { code: 'SDK.COMMON.1007' },
  },
  {
    endpoint: 'social/bind',
    what: 'a state token that is a script',
    headers: { 'X-state-token': '<script>alert(1)</script>' },
    expect: { code: 'SDK.COMMON.1007' },
  },
  {
    endpoint: 'social/bind',
    channel: 'email',
    what: 'an email with a right-to-left mark (U+200F)',
    field: 'email',
    value: `zhangsan\u200F@example.com`,
    expect: badFormat('email'),
  },
  {
    endpoint: 'social/bind',
    channel: 'email',
    what: 'the email in upper case',
    field: 'email',
    value: ZHANGSAN.email.toUpperCase(),
    expect: 'accepted',
  },

  // register-bind
  {
    endpoint: 'register-bind',
    what: 'a mobile of whitespace only',
    field: 'mobile',
    value: '\u3000 ',
    expect: blank('mobile'),
  },
  {
    endpoint: 'register-bind',
    what: 'a mobile in full-width digits',
    field: 'mobile',
    value: FULL_WIDTH(NEWCOMER.mobile),
    expect: 'accepted',
  },
  {
    endpoint: 'register-bind',
    what: 'a code as an array',
    field: 'verify_code',
    value: ['123456'],
    expect: badFormat('verify_code'),
  },
  {
    endpoint: 'register-bind',
    what: 'a code as an object',
    field: 'verify_code',
    value: { code: '123456' },
    expect: badFormat('verify_code'),
  },
  {
    endpoint: 'register-bind',
    channel: 'email',
    what: 'an email without a domain',
    field: 'email',
    value: 'newcomer@',
    expect: badFormat('email'),
  },
  {
    endpoint: 'register-bind',
    channel: 'email',
    what: 'an email with a zero-width space (U+200B)',
    field: 'email',
    value: 'new\u200Bcomer@example.com',
    expect: badFormat('email'),
  },
  {
    endpoint: 'register-bind',
    channel: 'email',
    what: 'the email in mixed case',
    field: 'email',
    value: 'NewComer@Example.com',
    expect: 'accepted',
  },

  // mfa
  {
    endpoint: 'mfa/sms',
    what: 'an SQL fragment as the mobile',
    field: 'mobile',
    value: "' OR 1=1 --",
    expect: badFormat('mobile'),
  },
  {
    endpoint: 'mfa/sms',
    what: 'another user’s mobile',
    field: 'mobile',
    value: ZHANGSAN.mobile,
    expect: { code: 'SDK.COMMON.1006', field: 'mobile' },
  },
  {
    endpoint: 'mfa/sms',
    what: 'a code with letters',
    field: 'verify_code',
    value: 'abcdef',
    expect: badFormat('verify_code'),
  },
  {
    endpoint: 'mfa/sms',
    what: 'a code with a right-to-left override (U+202E)',
    field: 'verify_code',
    value: (body: Json) => `\u202E${String(body.verify_code)}`,
    expect: badFormat('verify_code'),
  },
  {
    endpoint: 'mfa/sms',
    what: 'the mobile as ＋８６ and full-width digits',
    field: 'mobile',
    value: `＋８６${FULL_WIDTH(LISI.mobile)}`,
    expect: 'accepted',
  },
  {
    endpoint: 'mfa/email',
    channel: 'email',
    what: 'an email with unicode letters',
    field: 'email',
    value: 'lìsì@example.com',
    expect: badFormat('email'),
  },
  {
    endpoint: 'mfa/email',
    channel: 'email',
    what: 'an email as a number',
    field: 'email',
    value: 42,
    expect: badFormat('email'),
  },
  {
    endpoint: 'mfa/email',
    channel: 'email',
    what: 'the email in upper case',
    field: 'email',
    value: LISI.email.toUpperCase(),
    expect: 'accepted',
  },
]

function insertAt(text: string, index: number, insert: string): string {
  return `${text.slice(0, index)}${insert}${text.slice(index)}`
}

function within<T>(promise: Promise<T>, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined
  const hang = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`no answer within ${ANSWER_WITHIN_MS} ms: ${what}`)),
      ANSWER_WITHIN_MS,
    )
  })
  return Promise.race([promise, hang]).finally(() => clearTimeout(timer))
}

async function send(
  device: Device,
  baseline: Baseline,
  body: Json | string,
  headers: Record<string, string> = {},
) {
  const options = { stateToken: baseline.stateToken, headers }
  return typeof body === 'string'
    ? device.post(baseline.path, undefined, { ...options, rawBody: body })
    : device.post(baseline.path, body, options)
}

function expectAccepted(endpoint: Endpoint, reply: Reply, sandbox: Sandbox): void {
  expect({ status: reply.status, error: reply.json.error_code }).toEqual({ status: 200, error: undefined })
  if (endpoint === 'sms/send' || endpoint === 'email/send') {
    expect(reply.text).toBe('')
    expect(sandbox.outbox()).toHaveLength(1)
  } else if (endpoint === 'captcha/verify') {
    expect(reply.json.captcha_token).toEqual(expect.stringContaining('---'))
  } else {
    expect(reply.json.status).toBe('SUCCESS')
    expect(reply.json.session_token).toEqual(expect.any(String))
  }
}

function expectRefused(reply: Reply, refusal: Refusal): void {
  expect(reply.status).toBe(400)
  expect(reply.headers.get('content-type')).toMatch(/^application\/json/)
  expect(Object.keys(reply.json).sort()).toEqual(['error_code', 'error_msg'])
  const message = MESSAGES[refusal.code]?.(refusal.field ?? '')
  expect(reply.json).toEqual({ error_code: `IDAAS.${refusal.code}`, error_msg: message })
}

const title = (item: Case) =>
  `${item.endpoint}: ${item.what} → ${item.expect === 'accepted' ? 'accepted' : `400 ${item.expect.code}`}`

describe('hostile and odd input straight to the sandbox', () => {
  const bindMode = useContractSandbox()
  const registerMode = useContractSandbox({ mode: 'register' })

  test('the table covers every input endpoint with at least 50 inputs', () => {
    expect(cases.length).toBeGreaterThanOrEqual(50)
    expect(new Set(cases.map((item) => item.endpoint))).toEqual(
      new Set([
        'sms/send',
        'email/send',
        'captcha/verify',
        'social/bind',
        'register-bind',
        'mfa/sms',
        'mfa/email',
      ]),
    )
    expect(new Set(cases.map(title)).size).toBe(cases.length)
  })

  test.each(cases.map((item) => [title(item), item] as const))('%s', async (_title, item) => {
    const { sandbox } = item.endpoint === 'register-bind' ? registerMode : bindMode
    const device = new Device(sandbox)
    const baseline = await prepare(item.endpoint, { sandbox, device, channel: item.channel ?? 'sms' })
    const outboxBefore = sandbox.outbox().length
    let body: Json | string = baseline.body
    if (item.raw) body = item.raw(baseline.body)
    else if (item.field !== undefined)
      body = { ...baseline.body, [item.field]: valueOf(item.value, baseline.body) }
    const reply = await within(send(device, baseline, body, item.headers), title(item))

    if (item.expect === 'accepted') {
      if (item.endpoint === 'sms/send' || item.endpoint === 'email/send') expect(outboxBefore).toBe(0)
      expectAccepted(item.endpoint, reply, sandbox)
      return
    }
    expectRefused(reply, item.expect)
    expect(sandbox.outbox()).toHaveLength(outboxBefore)
    expect(sandbox.requests().every((request) => request.status !== 500)).toBe(true)
    if (changesNothing(item.expect)) {
      expectAccepted(
        item.endpoint,
        await within(send(device, baseline, baseline.body), 'the original request'),
        sandbox,
      )
    }
  })
})
