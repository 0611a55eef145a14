/**
 * The sandbox's error catalogue (docs/design.md "Error codes") and the `{error_code, error_msg}` envelope.
 * Messages are English, or Chinese when the request says `X-L: zh`; parameter names stay literal in both.
 * The `SDK.HTTP.*` codes are the sandbox's own, for answers the vendor gives no code for (404, 405, 413, 415):
 * a client branches on the HTTP status there and shows `error_msg`.
 */

export type Lang = 'en' | 'zh'

interface CatalogueEntry {
  status: number
  en: string
  zh: string
}

const CATALOGUE = {
  'SDK.COMMON.1001': {
    status: 400,
    en: 'Parameter {name} cannot be left blank',
    zh: '参数 {name} 不能为空',
  },
  'SDK.COMMON.1002': {
    status: 400,
    en: 'Parameter {name} format is incorrect',
    zh: '参数 {name} 格式不正确',
  },
  'SDK.COMMON.1003': { status: 400, en: 'Device information is incomplete', zh: '设备信息不完整' },
  'SDK.COMMON.1004': { status: 400, en: 'Signature decryption error', zh: '签名解密错误' },
  'SDK.COMMON.1005': { status: 400, en: '{name} has expired', zh: '{name} 已过期' },
  'SDK.COMMON.1006': { status: 400, en: '{name} parameter error', zh: '{name} 参数错误' },
  'SDK.COMMON.1007': { status: 400, en: 'state_token parameter error', zh: 'state_token 参数错误' },
  'SDK.COMMON.1008': { status: 500, en: 'System busy', zh: '系统繁忙' },
  'SDK.COMMON.1012': {
    status: 400,
    en: 'X-client-id is incorrect, application not found',
    zh: 'X-client-id 不正确，未找到应用',
  },
  'SDK.COMMON.1013': { status: 400, en: 'Corresponding user not found', zh: '未找到对应的用户' },
  'SDK.LOGIN.1003': {
    status: 400,
    en: 'The user is locked after too many failed sign-ins and unlocks in {min} min {s} s',
    zh: '登录失败次数过多，用户已锁定，{min} 分 {s} 秒后解锁',
  },
  'SDK.CAPTCHA.0002': {
    status: 400,
    en: 'Graphic verification code verification failed',
    zh: '图形验证码校验失败',
  },
  'SDK.CAPTCHA.0003': { status: 400, en: 'CAPTCHA token expired', zh: 'CAPTCHA token 已过期' },
  'SDK.CAPTCHA.0004': { status: 400, en: 'CAPTCHA token invalid', zh: 'CAPTCHA token 无效' },
  'SDK.CAPTCHA.0006': {
    status: 400,
    en: 'Failed to send verification code: retry in {n} s',
    zh: '验证码发送失败：请 {n} 秒后重试',
  },
  'SDK.PARAM.0023': { status: 400, en: 'Invalid or expired session token', zh: 'session token 无效或已过期' },
  // the vendor's wrong-code codes (EIAM password pages), for EIAM_SANDBOX_WRONG_CODE=vendor: words that name no field
  'SDK.SMS.1005': { status: 400, en: 'Incorrect SMS code', zh: '短信码错误' },
  'SDK.SMS.1006': { status: 400, en: 'Incorrect email code', zh: '邮件码错误' },
  'SDK.HTTP.404': { status: 404, en: 'No such path: {path}', zh: '路径不存在：{path}' },
  'SDK.HTTP.405': {
    status: 405,
    en: 'Method {method} is not allowed on {path}',
    zh: '{path} 不支持 {method} 方法',
  },
  'SDK.HTTP.413': {
    status: 413,
    en: 'Request body is larger than 1 MiB',
    zh: '请求体超过 1 MiB',
  },
  'SDK.HTTP.415': {
    status: 415,
    en: 'content-type must be application/json',
    zh: 'content-type 必须为 application/json',
  },
} satisfies Record<string, CatalogueEntry>

export type ErrorCode = keyof typeof CATALOGUE

export type MessageParams = Readonly<Record<string, string | number>>

/** An answer the tenant would give instead of doing what was asked; handlers throw it, the server renders it. */
export class SandboxError extends Error {
  constructor(
    readonly code: ErrorCode,
    readonly params: MessageParams = {},
  ) {
    super(fillIn(CATALOGUE[code].en, params))
    this.name = 'SandboxError'
  }

  get status(): number {
    return CATALOGUE[this.code].status
  }
}

function fillIn(template: string, params: MessageParams): string {
  return template.replace(/\{(\w+)\}/g, (whole, key: string) => (key in params ? String(params[key]) : whole))
}

/** `zh`, `zh-CN`, `zh_Hans`… choose Chinese; anything else, or nothing, English. */
export function languageOf(header: string | undefined): Lang {
  return header?.trim().toLowerCase().startsWith('zh') ? 'zh' : 'en'
}

export interface ErrorEnvelope {
  error_code: string
  error_msg: string
}

export function errorEnvelope(error: SandboxError, lang: Lang, withPrefix: boolean): ErrorEnvelope {
  return {
    error_code: `${withPrefix ? 'IDAAS.' : ''}${error.code}`,
    error_msg: fillIn(CATALOGUE[error.code][lang], error.params),
  }
}

// Shorthands for the errors raised in many places.
export const blank = (name: string) => new SandboxError('SDK.COMMON.1001', { name })
export const badFormat = (name: string) => new SandboxError('SDK.COMMON.1002', { name })
export const expired = (name: string) => new SandboxError('SDK.COMMON.1005', { name })
export const wrongValue = (name: string) => new SandboxError('SDK.COMMON.1006', { name })
