/**
 * The login flow: wx.login + mini program login (one in flight however many callers), the state token with its flow
 * and issue time in encrypted storage, the silent restart on a state-token error, and status → next page.
 */
import { LIMITS } from '../config/index'
import { t } from '../i18n/index'
import { EiamError, isEiamError } from './errors'
import { type Channel, loginWithWechatCode, type StatusAnswer } from './eiam'
import { saveSession, usableSession } from './session'
import { readSecure, removeSecure, STORAGE_KEYS, writeSecure } from './storage'

export const PAGES = {
  launch: '/pages/launch/index',
  bind: '/pages/bind/index',
  register: '/pages/register/index',
  mfa: '/pages/mfa/index',
  denied: '/pages/denied/index',
  home: '/pages/home/index',
  /** in the `pages/account` subpackage */
  account: '/pages/account/index',
} as const

/** Which state token a call needs: bind (SOCIAL_BIND), register (USER_REGISTER) or mfa (MFA_AUTH). */
export type FlowKind = 'bind' | 'register' | 'mfa'
export type FlowPage = 'bind' | 'register' | 'mfa'

/** The phone or email of a bind attempt, remembered so the register page knows it. */
export interface Attempt {
  channel: Channel
  /** as sent: `13800138000`, `+852-51234567` or an email */
  value: string
  oneTap?: boolean
}

export interface FlowRecord {
  stateToken: string
  flow: FlowKind
  /** epoch ms when the state token arrived */
  issuedAt: number
  channels: Channel[]
  page: FlowPage
  attempt?: Attempt
}

/** What the user typed on the bind page (never codes), kept across reloads until the flow ends. */
export interface Draft {
  tab: Channel
  areaCode: string
  mobile: string
  email: string
}

export type Route =
  { kind: 'go'; method: 'reLaunch' | 'redirectTo'; url: string } | { kind: 'stay'; notice: string }

const FLOW_OF_STATUS = { SOCIAL_BIND: 'bind', USER_REGISTER: 'register', MFA_AUTH: 'mfa' } as const

let loginInFlight: Promise<StatusAnswer> | undefined

function wxLogin(): Promise<string> {
  return new Promise((resolve, reject) => {
    wx.login({
      success: ({ code }) => (code ? resolve(code) : reject(new EiamError('network', t('error.login')))),
      fail: () => reject(new EiamError('network', t('error.login'))),
    })
  })
}

/** A fresh wx.login code every time (it lives 5 minutes and works once), then the EIAM login. */
export function login(): Promise<StatusAnswer> {
  if (!loginInFlight) {
    loginInFlight = (async () => loginWithWechatCode(await wxLogin()))().finally(() => {
      loginInFlight = undefined
    })
  }
  return loginInFlight
}

export async function currentFlow(now = Date.now()): Promise<FlowRecord | undefined> {
  const record = await readSecure<FlowRecord>(STORAGE_KEYS.flow)
  if (!record || typeof record.stateToken !== 'string') return undefined
  return now - record.issuedAt < LIMITS.stateTokenLifetimeS * 1000 ? record : undefined
}

export const loadDraft = () => readSecure<Draft>(STORAGE_KEYS.draft)
export const saveDraft = (draft: Draft) => writeSecure(STORAGE_KEYS.draft, draft)

async function endFlow(): Promise<void> {
  await Promise.all([removeSecure(STORAGE_KEYS.flow), removeSecure(STORAGE_KEYS.draft)])
}

const go = (method: 'reLaunch' | 'redirectTo', url: string): Route => ({ kind: 'go', method, url })

export function routeToFlowPage(record: FlowRecord): Route {
  return go('redirectTo', PAGES[record.page])
}

interface AnswerContext {
  /** 'login': the answer of the mini program login; 'step': of a bind/register/mfa call */
  from: 'login' | 'step'
  /** the record whose state token the step used */
  previous?: FlowRecord
  attempt?: Attempt
}

/**
 * Store what the answer brings (tokens, or the next state token) and say where to go. SUCCESS and ACCESS_DENIED
 * reLaunch (no way back into the flow); flow pages replace each other.
 */
export async function applyAnswer(answer: StatusAnswer, context: AnswerContext): Promise<Route> {
  const receivedAt = Date.now()
  switch (answer.status) {
    case 'SUCCESS':
      await saveSession(answer.tokens, receivedAt)
      await endFlow()
      return go('reLaunch', PAGES.home)
    case 'ACCESS_DENIED':
      await endFlow()
      return go('reLaunch', PAGES.denied)
    case 'SOCIAL_BIND':
      if (context.from === 'step') {
        // the step spent its state token but left the identity unbound: start a fresh flow and say why
        const route = await applyAnswer(await login(), { from: 'login' })
        return route.kind === 'go' && route.url === PAGES.bind
          ? { kind: 'stay', notice: t('error.stillUnbound') }
          : route
      }
      break
    default:
      break
  }
  const flow = FLOW_OF_STATUS[answer.status]
  const previous = context.previous
  const stateToken = answer.stateToken || (previous && previous.stateToken)
  if (!stateToken) throw new EiamError('server', t('error.unexpected'))
  // USER_REGISTER at login opens the bind page in its register flow; after a bind attempt, the register page
  const page: FlowPage =
    flow === 'register' && context.from === 'step' ? 'register' : flow === 'mfa' ? 'mfa' : 'bind'
  const record: FlowRecord = {
    stateToken,
    flow,
    issuedAt: !answer.stateToken && previous ? previous.issuedAt : receivedAt,
    channels: answer.channels,
    page,
    attempt: context.attempt || (previous && previous.attempt),
  }
  await writeSecure(STORAGE_KEYS.flow, record)
  return routeToFlowPage(record)
}

/** Fresh login, then where it leads. */
export async function signIn(): Promise<Route> {
  return applyAnswer(await login(), { from: 'login' })
}

type Continued = { record: FlowRecord } | { route: Route }

/** Restart login silently; continue only when it answers the same flow, otherwise route on the new status. */
async function restartFlow(expected: FlowKind, previous?: FlowRecord): Promise<Continued> {
  const answer = await login()
  if (
    answer.status !== 'SUCCESS' &&
    answer.status !== 'ACCESS_DENIED' &&
    FLOW_OF_STATUS[answer.status] === expected
  ) {
    const record: FlowRecord = {
      stateToken: answer.stateToken as string,
      flow: expected,
      issuedAt: Date.now(),
      channels: answer.channels,
      // the caller's page: the old record's only when it was of this flow (register mode keeps the bind page)
      page: previous && previous.flow === expected ? previous.page : expected === 'mfa' ? 'mfa' : 'bind',
      attempt: previous && previous.attempt,
    }
    await writeSecure(STORAGE_KEYS.flow, record)
    return { record }
  }
  return { route: await applyAnswer(answer, { from: 'login' }) }
}

export type WithToken<T> = { ok: true; value: T; record: FlowRecord } | { ok: false; route: Route }

/**
 * Run a call that needs the state token of `expected`. A missing, aged-out, expired or invalid state token restarts
 * login silently and repeats the call once with the new token; the caller sees an error only if that fails too.
 */
export async function withStateToken<T>(
  expected: FlowKind,
  call: (stateToken: string) => Promise<T>,
): Promise<WithToken<T>> {
  let record = await currentFlow()
  if (!record || record.flow !== expected) {
    const continued = await restartFlow(expected, record)
    if ('route' in continued) return { ok: false, route: continued.route }
    record = continued.record
  }
  try {
    return { ok: true, value: await call(record.stateToken), record }
  } catch (error) {
    if (!isEiamError(error, 'state-token')) throw error
  }
  const continued = await restartFlow(expected, record)
  if ('route' in continued) return { ok: false, route: continued.route }
  return { ok: true, value: await call(continued.record.stateToken), record: continued.record }
}

/** A bind / register / mfa step: the call with its state token, then the route its answer leads to. */
export async function runStep(
  expected: FlowKind,
  call: (stateToken: string) => Promise<StatusAnswer>,
  attempt?: Attempt,
): Promise<Route> {
  const result = await withStateToken(expected, call)
  if (!result.ok) return result.route
  return applyAnswer(result.value, { from: 'step', previous: result.record, attempt })
}

/** Where launch goes without asking anyone: a live flow's page, home for a usable session, or nowhere (sign in). */
export async function resumeRoute(): Promise<Route | undefined> {
  const record = await currentFlow()
  if (record) return routeToFlowPage(record)
  const session = await usableSession().catch((error: unknown) => {
    // a rejected session means sign in again; anything else (offline, busy) is for the user to retry
    if (isEiamError(error, 'session')) return undefined
    throw error
  })
  return session ? go('reLaunch', PAGES.home) : undefined
}

export async function leaveFlow(): Promise<void> {
  await removeSecure(STORAGE_KEYS.flow)
}

/** Resolves true once WeChat has opened the page, false when it refused (the caller keeps its page usable). */
export function navigate(route: Route): Promise<boolean> {
  return new Promise((resolve) => {
    if (route.kind !== 'go') return resolve(false)
    const options = { url: route.url, success: () => resolve(true), fail: () => resolve(false) }
    if (route.method === 'reLaunch') wx.reLaunch(options)
    else wx.redirectTo(options)
  })
}
