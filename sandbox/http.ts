/**
 * HTTP plumbing on node:http: reading a bounded body, the routing shapes, and writing answers.
 * Every answer goes through `Responder` so the request log records its status.
 */
import type { IncomingMessage, ServerResponse } from 'node:http'
import { badFormat } from './messages'

export const MAX_BODY_BYTES = 1024 * 1024
/** Past 1 MiB the body is read and thrown away so the client can read the 413; past this, the socket is closed. */
const DRAIN_LIMIT_BYTES = 8 * MAX_BODY_BYTES

export type BodyRead =
  { kind: 'ok'; bytes: Buffer } | { kind: 'too-large'; drained: boolean } | { kind: 'aborted' }

export function readBody(request: IncomingMessage): Promise<BodyRead> {
  return new Promise((resolve) => {
    const declared = Number(request.headers['content-length'])
    if (declared > DRAIN_LIMIT_BYTES) {
      resolve({ kind: 'too-large', drained: false })
      return
    }
    const chunks: Buffer[] = []
    let size = 0
    request.on('data', (chunk: Buffer) => {
      size += chunk.length
      if (size <= MAX_BODY_BYTES) {
        chunks.push(chunk)
        return
      }
      chunks.length = 0
      if (size > DRAIN_LIMIT_BYTES) {
        request.pause()
        resolve({ kind: 'too-large', drained: false })
      }
    })
    request.on('end', () =>
      resolve(
        size > MAX_BODY_BYTES
          ? { kind: 'too-large', drained: true }
          : { kind: 'ok', bytes: Buffer.concat(chunks) },
      ),
    )
    request.on('error', () => resolve({ kind: 'aborted' }))
    request.on('close', () => {
      if (!request.complete) resolve({ kind: 'aborted' })
    })
  })
}

/** Lower-case names; repeated headers joined with `, `. */
export function headersOf(request: IncomingMessage): Record<string, string> {
  const headers: Record<string, string> = {}
  for (const [name, value] of Object.entries(request.headers)) {
    if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(', ') : value
  }
  return headers
}

/** The path without query or fragment; a malformed request target is kept as sent. */
export function pathOf(url: string | undefined): string {
  return (url ?? '/').split(/[?#]/, 1)[0] || '/'
}

/** `application/json`, with or without parameters such as `charset=utf-8`. */
export function isJsonContentType(value: string | undefined): boolean {
  return value?.split(';', 1)[0]?.trim().toLowerCase() === 'application/json'
}

/** A request body must be a JSON object; anything else is COMMON.1002 naming `body`. */
export function parseJsonObject(bytes: Buffer): Record<string, unknown> {
  let value: unknown
  try {
    value = JSON.parse(bytes.toString('utf8'))
  } catch {
    throw badFormat('body')
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw badFormat('body')
  return value as Record<string, unknown>
}

/** Bodies larger than this are logged as their size only, so the bounded request log stays small. */
const LOGGED_BODY_LIMIT = 64 * 1024

/** For the request log: the JSON value, or the text when it is not JSON. */
export function loggableBody(bytes: Buffer): unknown {
  if (bytes.length === 0) return undefined
  if (bytes.length > LOGGED_BODY_LIMIT) return `<${bytes.length} bytes>`
  const text = bytes.toString('utf8')
  try {
    return JSON.parse(text) as unknown
  } catch {
    return text
  }
}

export const JSON_TYPE = 'application/json;charset=UTF-8'

/** Writes one answer, once, and reports its status to `onStatus`. */
export class Responder {
  constructor(
    private readonly response: ServerResponse,
    private readonly onStatus: (status: number) => void,
  ) {}

  get done(): boolean {
    return this.response.headersSent || this.response.destroyed
  }

  json(status: number, value: unknown, headers: Record<string, string> = {}): void {
    this.text(status, JSON.stringify(value), JSON_TYPE, headers)
  }

  text(status: number, text: string, contentType: string, headers: Record<string, string> = {}): void {
    if (this.done) return
    this.onStatus(status)
    const body = Buffer.from(text, 'utf8')
    this.response.writeHead(status, {
      ...headers,
      'content-type': contentType,
      'content-length': body.length,
    })
    this.response.end(body)
  }

  /** The vendor's send-code success: 200 with nothing at all. */
  empty(status: number, headers: Record<string, string> = {}): void {
    if (this.done) return
    this.onStatus(status)
    this.response.writeHead(status, { ...headers, 'content-length': 0 })
    this.response.end()
  }

  /** Closes the connection without answering. */
  drop(): void {
    this.onStatus(0)
    this.response.socket?.destroy()
  }
}
