/**
 * id_token claims, decoded for display only: the client cannot check the RS256 signature, so nothing here is trusted
 * for access decisions (that needs a server that verifies the signature against the tenant's keys).
 */
import { base64ToBytes, utf8Decode } from './base64'

export interface IdClaims {
  sub?: string
  id?: string
  name?: string
  userName?: string
  /** `+86-13800138000` */
  mobile?: string
  email?: string
  /** Seconds since the epoch. */
  exp?: number
  iat?: number
}

type JsonObject = Record<string, unknown>

const isObject = (value: unknown): value is JsonObject =>
  typeof value === 'object' && value !== null && !Array.isArray(value)

const str = (value: unknown): string | undefined =>
  typeof value === 'string' && value ? value : typeof value === 'number' ? String(value) : undefined

const num = (value: unknown): number | undefined => {
  const parsed = typeof value === 'string' ? (value.trim() ? Number(value) : undefined) : value
  return typeof parsed === 'number' && Number.isFinite(parsed) ? parsed : undefined
}

function payloadOf(token: string): JsonObject | undefined {
  const parts = token.split('.')
  if (parts.length !== 3) return undefined
  try {
    const payload: unknown = JSON.parse(utf8Decode(base64ToBytes(parts[1])))
    return isObject(payload) ? payload : undefined
  } catch {
    return undefined
  }
}

/**
 * Both layouts of docs/eiam-api.md §7: claims at the top level, or (older tenants) user claims nested as a JSON string in
 * `api`. Top-level values win; `undefined` for a token that is not a JWT.
 */
export function decodeIdClaims(token: string): IdClaims | undefined {
  const payload = payloadOf(token)
  if (!payload) return undefined
  let nested: JsonObject = {}
  if (typeof payload.api === 'string') {
    try {
      const parsed: unknown = JSON.parse(payload.api)
      if (isObject(parsed)) nested = parsed
    } catch {
      // a broken `api` claim leaves only the top-level claims
    }
  } else if (isObject(payload.api)) {
    nested = payload.api
  }
  const pick = (key: string) => (payload[key] !== undefined ? payload[key] : nested[key])
  return {
    sub: str(pick('sub')),
    id: str(pick('id')),
    name: str(pick('name')),
    userName: str(pick('userName')) || str(pick('username')),
    mobile: str(pick('mobile')),
    email: str(pick('email')),
    exp: num(pick('exp')),
    iat: num(pick('iat')),
  }
}
