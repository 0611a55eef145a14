/**
 * The login flow: wx.login + mini program login (one in flight however many callers), the state token with its flow
 * and issue time in encrypted storage, the silent restart on a state-token error, and status → next page.
 */
import { LIMITS } from '../config/index'
import { t } from '../i18n/index'
import { EiamError, isEiamError } from './errors'
import {
  type Channel,
  loginWithWechatCode,
  skipPasswordUpdate,
  type StatusAnswer,
  updatePassword,
  usernamePasswordBind,
} from './eiam'
import { saveSession, usableSession } from './session'
import { readSecure, removeSecure, STORAGE_KEYS, writeSecure } from './storage'

export const PAGES = {
  launch: '/pages/launch/index',
  bind: '/pages/bind/index',
  register: '/pages/register/index',
  mfa: '/pages/mfa/index',
  denied: '/pages/denied/index',
  home: '/pages/home/index',
  password: '/pages/password/index',
} as const

/**
 * Which state token a call needs: bind (SOCIAL_BIND), register (USER_REGISTER), mfa (MFA_AUTH) or password
 * (PASSWORD_EXPIRED / PASSWORD_WARN).
 */
export type FlowKind = 'bind' | 'register' | 'mfa' | 'password'
export type FlowPage = 'bind' | 'register' | 'mfa' | 'password'

/** The password page's two modes: `forced` (PASSWORD_EXPIRED: change it) and `warning` (PASSWORD_WARN: change or skip). */
export type PasswordMode = 'forced' | 'warning'

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
  /** On the password flow: whether the change may be skipped. */
  passwordMode?: PasswordMode
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

const FLOW_OF_STATUS = {
  SOCIAL_BIND: 'bind',
  USER_REGISTER: 'register',
  MFA_AUTH: 'mfa',
  PASSWORD_EXPIRED: 'password',
  PASSWORD_WARN: 'password',
} as const

type ContinuingAnswer = Exclude<StatusAnswer, { status: 'SUCCESS' } | { status: 'ACCESS_DENIED' }>

/** The tabs a bind answer allows; answers of other flows carry none, and keep the ones the flow had. */
const channelsOf = (answer: ContinuingAnswer, previous?: FlowRecord): Channel[] =>
  'channels' in answer ? answer.channels : previous ? previous.channels : []

const passwordModeOf = (answer: ContinuingAnswer): PasswordMode | undefined =>
  answer.status === 'PASSWORD_EXPIRED' ? 'forced' : answer.status === 'PASSWORD_WARN' ? 'warning' : undefined

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
    flow === 'register' && context.from === 'step'
      ? 'register'
      : flow === 'mfa' || flow === 'password'
        ? flow
        : 'bind'
  const record: FlowRecord = {
    stateToken,
    flow,
    issuedAt: !answer.stateToken && previous ? previous.issuedAt : receivedAt,
    channels: channelsOf(answer, previous),
    page,
    attempt: context.attempt || (previous && previous.attempt),
  }
  const passwordMode = passwordModeOf(answer)
  if (passwordMode) record.passwordMode = passwordMode
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
      channels: channelsOf(answer, previous),
      // the caller's page: the old record's only when it was of this flow (register mode keeps the bind page)
      page:
        previous && previous.flow === expected
          ? previous.page
          : expected === 'mfa' || expected === 'password'
            ? expected
            : 'bind',
      attempt: previous && previous.attempt,
    }
    const passwordMode = passwordModeOf(answer)
    if (passwordMode) record.passwordMode = passwordMode
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

/**
 * Binds by user name and password, from the bind page's password tab (bind or bind-or-register flow). The password goes
 * into the one request and nowhere else: not the flow record, not the draft, not the error.
 */
export async function linkWithPassword(flow: 'bind' | 'register', userName: string, password: string) {
  return runStep(flow, (stateToken) => usernamePasswordBind(stateToken, userName, password))
}

/** The password page's mode, from the live password flow; undefined when there is none (expired, reloaded later). */
export async function passwordMode(): Promise<PasswordMode | undefined> {
  const record = await currentFlow()
  return record && record.flow === 'password' ? record.passwordMode || 'warning' : undefined
}

/** The change a password status asks for (pwd/update), then the route its answer leads to. */
export function changePassword(oldPassword: string, newPassword: string): Promise<Route> {
  return runStep('password', (stateToken) => updatePassword(stateToken, oldPassword, newPassword))
}

/** Keeps a password about to expire for now (pwd/skip-update), then the route its answer leads to. */
export function skipPasswordChange(): Promise<Route> {
  return runStep('password', skipPasswordUpdate)
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
