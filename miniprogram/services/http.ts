/**
 * The only caller of `wx.request`. JSON in and out, the device headers on every call, one error type.
 * `wx.request` calls `success` for 4xx and 5xx too: the outcome is decided on `statusCode` and `error_code`.
 */
import { LIMITS, tenant } from '../config/index'
import { t } from '../i18n/index'
import { deviceHeaders } from './device'
import { EiamError, kindOf, normaliseCode } from './errors'
import { funnelAfterCall } from './funnel'
import { failureOf, logStep, stepOfPath } from './support'

export type JsonObject = Record<string, unknown>

export interface ApiCall {
  method: 'GET' | 'POST'
  /** `/api/v2/sdk/...` */
  path: string
  body?: JsonObject
  stateToken?: string
  sessionToken?: string
  /** OneAccess's `X-signature` of the session token (services/signing.ts). */
  signature?: string
}

const isObject = (value: unknown): value is JsonObject =>
  typeof value === 'object' && value !== null && !Array.isArray(value)

function parseBody(raw: unknown): { ok: true; value: JsonObject | null } | { ok: false } {
  if (isObject(raw)) return { ok: true, value: raw }
  if (raw === undefined || raw === null) return { ok: true, value: null }
  if (typeof raw !== 'string') return { ok: false }
  if (!raw.trim()) return { ok: true, value: null }
  try {
    const parsed: unknown = JSON.parse(raw)
    return isObject(parsed) ? { ok: true, value: parsed } : { ok: false }
  } catch {
    return { ok: false }
  }
}

/** Refusals of the request itself (path, method, size, content type): no vendor code exists, so our words. */
const REQUEST_REFUSALS = [404, 405, 413, 415]

/** Body fields that carry a credential; with the state and session tokens, never repeated in a message. */
const CREDENTIAL_FIELDS = ['captcha_token', 'verify_code', 'code', 'wechat_code']

/** Body fields that carry a password: masked at any length, since a short password is still the user's secret. */
const PASSWORD_FIELDS = ['password', 'old_password', 'new_password']

/** The server's message without any credential the call carried: a server or gateway may echo what it was sent. */
function withoutCredentials(message: string, call: ApiCall): string {
  const body = call.body || {}
  const fields: unknown[] = CREDENTIAL_FIELDS.map((field) => body[field])
  const secrets = fields.concat(call.stateToken, call.sessionToken, call.signature)
  let clean = message
  for (const secret of secrets) {
    if (typeof secret === 'string' && secret.length >= 6) clean = clean.split(secret).join('***')
  }
  for (const field of PASSWORD_FIELDS) {
    const password = body[field]
    if (typeof password === 'string' && password) clean = clean.split(password).join('***')
  }
  return clean
}

function errorFromEnvelope(body: JsonObject, status: number, call: ApiCall): EiamError | undefined {
  if (typeof body.error_code !== 'string' || !body.error_code) return undefined
  const code = normaliseCode(body.error_code)
  const serverMessage =
    typeof body.error_msg === 'string' && REQUEST_REFUSALS.indexOf(status) < 0
      ? withoutCredentials(body.error_msg.trim(), call)
      : ''
  const kind = kindOf(code, serverMessage, status)
  const message = serverMessage || (kind === 'server' ? t('error.server') : t('error.http', { status }))
  return new EiamError(kind, message, code, status)
}

function errorFromStatus(status: number): EiamError {
  return status >= 500
    ? new EiamError('server', t('error.server'), undefined, status)
    : new EiamError('rejected', t('error.http', { status }), undefined, status)
}

/** The `status` word of a status answer (SUCCESS, MFA_AUTH, ...): the only part of an answer the log keeps. */
function statusWord(body: JsonObject | null): string | undefined {
  const status = body && body.status
  return typeof status === 'string' && /^\s*[A-Z_]{1,32}\s*$/.test(status) ? status.trim() : undefined
}

/**
 * Resolves with the answer's JSON object, or `null` for a 2xx with an empty body (the send-code calls);
 * rejects with an `EiamError` for everything else, never with a raw platform error. Every call is one step of the
 * real-time log (services/support.ts) and may be a funnel event (services/funnel.ts).
 */
export async function callEiam(call: ApiCall): Promise<JsonObject | null> {
  const step = stepOfPath(call.path)
  let status: number | undefined
  try {
    const body = await request(call, (statusCode) => {
      status = statusCode
    })
    const answer = statusWord(body)
    logStep(step, { ok: true, status, answer })
    funnelAfterCall(call.path, call.body, answer)
    return body
  } catch (error) {
    logStep(step, failureOf(error))
    throw error
  }
}

async function request(call: ApiCall, onStatus: (statusCode: number) => void): Promise<JsonObject | null> {
  const { baseUrl, tenantId } = tenant()
  const header = await deviceHeaders()
  // OneAccess ISV tenants name the tenant on every call
  if (tenantId) header['X-tenant-id'] = tenantId
  if (call.stateToken) header['X-state-token'] = call.stateToken
  if (call.sessionToken) header['X-session-token'] = call.sessionToken
  if (call.signature) header['X-signature'] = call.signature
  return new Promise((resolve, reject) => {
    wx.request({
      url: `${baseUrl}${call.path}`,
      method: call.method,
      header,
      // sent as text and parsed here, so a malformed answer is an error we name instead of a half-parsed value
      data: call.body ? JSON.stringify(call.body) : undefined,
      dataType: 'text',
      responseType: 'text',
      timeout: LIMITS.requestTimeoutMs,
      success: ({ statusCode, data }) => {
        onStatus(statusCode)
        const parsed = parseBody(data)
        if (statusCode >= 200 && statusCode < 300) {
          if (!parsed.ok) return reject(new EiamError('server', t('error.unexpected'), undefined, statusCode))
          const embedded = parsed.value && errorFromEnvelope(parsed.value, statusCode, call)
          return embedded ? reject(embedded) : resolve(parsed.value)
        }
        const envelope =
          parsed.ok && parsed.value ? errorFromEnvelope(parsed.value, statusCode, call) : undefined
        reject(envelope || errorFromStatus(statusCode))
      },
      fail: ({ errMsg }) => {
        const timedOut = /time ?out/i.test(errMsg || '')
        reject(
          new EiamError(timedOut ? 'timeout' : 'network', t(timedOut ? 'error.timeout' : 'error.network')),
        )
      },
    })
  })
}
