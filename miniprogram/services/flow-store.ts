/**
 * What a flow keeps between pages and restarts, in encrypted storage: the flow record (its state token, when it
 * came, the channels and page it allows, the attempt that led to it) and the bind page's draft.
 */
import { LIMITS } from '../config/index'
import type { Channel, Flow } from './eiam'
import { readSecure, removeSecure, STORAGE_KEYS, writeSecure } from './storage'

/** The phone or email of a bind attempt, remembered so the register page knows it. */
export interface Attempt {
  channel: Channel
  /** as sent: `13800138000`, `+852-51234567` or an email */
  value: string
  oneTap?: boolean
}

/** The password page's two modes: `forced` (PASSWORD_EXPIRED: change it) and `warning` (PASSWORD_WARN: change or skip). */
export type PasswordMode = 'forced' | 'warning'

export interface FlowRecord {
  stateToken: string
  flow: Flow
  /** epoch ms when the state token arrived */
  issuedAt: number
  channels: Channel[]
  /** the page that serves the flow: register mode's USER_REGISTER at login is served by the bind page */
  page: Flow
  attempt?: Attempt
  /** In the password flow: whether the change may be skipped. */
  passwordMode?: PasswordMode
}

/** What the user typed on the bind page (never codes), kept across reloads until the flow ends. */
export interface Draft {
  tab: Channel
  areaCode: string
  mobile: string
  email: string
}

/** The stored record, however old its state token is; undefined when there is none. */
export async function storedFlow(): Promise<FlowRecord | undefined> {
  const record = await readSecure<FlowRecord>(STORAGE_KEYS.flow)
  return record && typeof record.stateToken === 'string' ? record : undefined
}

/** The record whose state token is still young enough to use. */
export async function currentFlow(now = Date.now()): Promise<FlowRecord | undefined> {
  const record = await storedFlow()
  return record && now - record.issuedAt < LIMITS.stateTokenLifetimeS * 1000 ? record : undefined
}

export const saveFlow = (record: FlowRecord) => writeSecure(STORAGE_KEYS.flow, record)

/** The user left the flow ("not now"): its state token goes, what they typed stays. */
export async function leaveFlow(): Promise<void> {
  await removeSecure(STORAGE_KEYS.flow)
}

/** The flow is over (signed in, or refused): its state token and the draft go. */
export async function endFlow(): Promise<void> {
  await Promise.all([removeSecure(STORAGE_KEYS.flow), removeSecure(STORAGE_KEYS.draft)])
}

export const loadDraft = () => readSecure<Draft>(STORAGE_KEYS.draft)
export const saveDraft = (draft: Draft) => writeSecure(STORAGE_KEYS.draft, draft)
