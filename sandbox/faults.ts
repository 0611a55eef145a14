/**
 * Injected faults (test hooks): each applies to the next `times` requests of one exact path (query ignored), any
 * method, in the order they were added. A fault waits `delayMs`, then either drops the connection, answers a malformed
 * body, answers `status` with `body`, or, when it names none of these, lets the request be answered normally.
 */
import { badFormat, blank } from './messages'

export interface Fault {
  path: string
  /** Default 1. */
  times?: number
  delayMs?: number
  status?: number
  /** An object is sent as JSON, a string as text; nothing → empty body. */
  body?: unknown
  /** 200 with a truncated, non-JSON body labelled as JSON. */
  malformed?: boolean
  /** Destroy the socket without answering. */
  drop?: boolean
}

const MAX_DELAY_MS = 120_000

function optionalInteger(
  input: Record<string, unknown>,
  name: string,
  min: number,
  max: number,
): number | undefined {
  const value = input[name]
  if (value === undefined || value === null) return undefined
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max)
    throw badFormat(name)
  return value
}

function optionalFlag(input: Record<string, unknown>, name: string): boolean | undefined {
  const value = input[name]
  if (value === undefined || value === null) return undefined
  if (typeof value !== 'boolean') throw badFormat(name)
  return value
}

/** Checks a fault as POST /__sandbox/faults receives it; refuses with COMMON.1001/1002 naming the field. */
export function parseFault(input: unknown): Required<Pick<Fault, 'path' | 'times'>> & Fault {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) throw badFormat('body')
  const fields = input as Record<string, unknown>
  const path = fields.path
  if (path === undefined || path === null || path === '') throw blank('path')
  if (typeof path !== 'string' || !path.startsWith('/')) throw badFormat('path')
  const fault: Required<Pick<Fault, 'path' | 'times'>> & Fault = {
    path,
    times: optionalInteger(fields, 'times', 1, 1_000_000) ?? 1,
  }
  const delayMs = optionalInteger(fields, 'delayMs', 0, MAX_DELAY_MS)
  if (delayMs !== undefined) fault.delayMs = delayMs
  const status = optionalInteger(fields, 'status', 100, 599)
  if (status !== undefined) fault.status = status
  if (fields.body !== undefined) fault.body = fields.body
  const malformed = optionalFlag(fields, 'malformed')
  if (malformed !== undefined) fault.malformed = malformed
  const drop = optionalFlag(fields, 'drop')
  if (drop !== undefined) fault.drop = drop
  return fault
}

export class Faults {
  private readonly pending: Array<Fault & { remaining: number }> = []

  reset(): void {
    this.pending.length = 0
  }

  add(input: unknown): void {
    const fault = parseFault(input)
    this.pending.push({ ...fault, remaining: fault.times })
  }

  /** The fault to apply to this request of `path`, counting it; undefined when none is pending. */
  take(path: string): Fault | undefined {
    const index = this.pending.findIndex((fault) => fault.path === path)
    const fault = this.pending[index]
    if (!fault) return undefined
    fault.remaining -= 1
    if (fault.remaining <= 0) this.pending.splice(index, 1)
    return fault
  }
}
