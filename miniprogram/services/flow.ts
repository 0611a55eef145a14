/**
 * The flow's state machine: what each status answer leads to (a stored flow record and a page), the silent restart
 * of login when a state token is missing, aged out or refused, and the steps the flow pages take. Pages call the
 * steps with what the user typed; the state token never leaves this layer.
 */
import { t } from '../i18n/index'
import {
  type Channel,
  type Flow,
  type Identity,
  mfaByEmail,
  mfaBySms,
  mobileByToken,
  socialBind,
  skipPasswordUpdate,
  socialRegisterBind,
  type StatusAnswer,
  updatePassword,
  usernamePasswordBind,
  wechatMobileBind,
  wechatMobileRegisterBind,
} from './eiam'
import { EiamError, isEiamError } from './errors'
import {
  type Attempt,
  currentFlow,
  endFlow,
  type FlowRecord,
  type PasswordMode,
  saveFlow,
  storedFlow,
} from './flow-store'
import { login } from './login'
import { go, PAGES, type Route } from './router'
import { saveSession, usableSession } from './session'
import { startAttempt } from './support'

/** What a flow page may know of the live flow: its record without the state token. */
export type FlowView = Pick<FlowRecord, 'flow' | 'channels' | 'page' | 'attempt' | 'passwordMode'>

const FLOW_OF_STATUS = {
  SOCIAL_BIND: 'bind',
  USER_REGISTER: 'register',
  MFA_AUTH: 'mfa',
  PASSWORD_EXPIRED: 'password',
  PASSWORD_WARN: 'password',
} as const

/** An answer that opens or continues a flow (every status but SUCCESS and ACCESS_DENIED). */
type FlowAnswer = Exclude<StatusAnswer, { status: 'SUCCESS' } | { status: 'ACCESS_DENIED' }>

const viewOf = ({ flow, channels, page, attempt, passwordMode }: FlowRecord): FlowView =>
  passwordMode ? { flow, channels, page, attempt, passwordMode } : { flow, channels, page, attempt }

export const routeToFlowPage = (record: FlowView): Route => go('redirectTo', PAGES[record.page])

interface AnswerContext {
  /**
   * 'login': the answer of a sign-in; 'step': of a bind, register or mfa call; 'restart': of the silent login that
   * renews the state token of the flow the user is in
   */
  from: 'login' | 'step' | 'restart'
  /** the record whose state token the step or restart replaces */
  previous?: FlowRecord
  attempt?: Attempt
}

/**
 * The one record builder. The page: a restart keeps the user on the page of the flow they are in; otherwise
 * USER_REGISTER at login is served by the bind page (register mode), after a bind attempt by the register page.
 */
function recordOf(answer: FlowAnswer, context: AnswerContext, receivedAt: number): FlowRecord {
  const flow = FLOW_OF_STATUS[answer.status]
  const previous = context.previous
  const stateToken = answer.stateToken || (previous && previous.stateToken)
  if (!stateToken) throw new EiamError('server', t('error.unexpected'))
  const page: Flow =
    context.from === 'restart' && previous && previous.flow === flow
      ? previous.page
      : flow === 'register' && context.from === 'step'
        ? 'register'
        : flow === 'mfa' || flow === 'password'
          ? flow
          : 'bind'
  const record: FlowRecord = {
    stateToken,
    flow,
    issuedAt: !answer.stateToken && previous ? previous.issuedAt : receivedAt,
    // a password status names no tabs: the flow keeps the ones it had
    channels: 'channels' in answer ? answer.channels : previous ? previous.channels : [],
    page,
    attempt: context.attempt || (previous && previous.attempt),
  }
  const passwordMode = passwordModeOf(answer)
  if (passwordMode) record.passwordMode = passwordMode
  return record
}

function passwordModeOf(answer: FlowAnswer): PasswordMode | undefined {
  if (answer.status === 'PASSWORD_EXPIRED') return 'forced'
  return answer.status === 'PASSWORD_WARN' ? 'warning' : undefined
}

interface Outcome {
  route: Route
  /** the flow record written, when the answer opened or continued a flow */
  record?: FlowRecord
}

/**
 * Store what the answer brings (tokens, or the next state token) and say where to go. SUCCESS and ACCESS_DENIED
 * reLaunch (no way back into the flow); flow pages replace each other.
 */
async function applyAnswer(answer: StatusAnswer, context: AnswerContext): Promise<Outcome> {
  const receivedAt = Date.now()
  if (answer.status === 'SUCCESS') {
    await saveSession(answer.tokens, receivedAt)
    await endFlow()
    return { route: go('reLaunch', PAGES.home) }
  }
  if (answer.status === 'ACCESS_DENIED') {
    await endFlow()
    return { route: go('reLaunch', PAGES.denied) }
  }
  if (answer.status === 'SOCIAL_BIND' && context.from === 'step') {
    // the step spent its state token but left the identity unbound: start a fresh flow and say why
    const outcome = await applyAnswer(await login(), { from: 'login' })
    const { route } = outcome
    return route.kind === 'go' && route.url === PAGES.bind
      ? { ...outcome, route: { kind: 'stay', notice: t('error.stillUnbound') } }
      : outcome
  }
  const record = recordOf(answer, context, receivedAt)
  await saveFlow(record)
  return { route: routeToFlowPage(record), record }
}

/** Fresh login, then where it leads, and the flow it opened (without its state token), if any. */
export async function signIn(): Promise<{ route: Route; record?: FlowView }> {
  // a new sign-in attempt, with its own support code (services/support.ts)
  startAttempt()
  const { route, record } = await applyAnswer(await login(), { from: 'login' })
  return record ? { route, record: viewOf(record) } : { route }
}

/** Restart login silently; continue only when it answers the same flow, otherwise route on the new status. */
async function restartFlow(expected: Flow, previous?: FlowRecord): Promise<Outcome> {
  const answer = await login()
  const sameFlow =
    answer.status !== 'SUCCESS' &&
    answer.status !== 'ACCESS_DENIED' &&
    FLOW_OF_STATUS[answer.status] === expected
  return applyAnswer(answer, {
    from: sameFlow ? 'restart' : 'login',
    previous: sameFlow ? previous : undefined,
  })
}

export type WithToken<T> = { ok: true; value: T; record: FlowRecord } | { ok: false; route: Route }

/**
 * Run a call that needs the state token of `expected`. A missing, aged-out, expired or invalid state token restarts
 * login silently and repeats the call once with the new token; the caller sees an error only if that fails too.
 */
export async function withStateToken<T>(
  expected: Flow,
  call: (stateToken: string) => Promise<T>,
): Promise<WithToken<T>> {
  let record = await currentFlow()
  if (!record || record.flow !== expected) {
    const restarted = await restartFlow(expected, record)
    if (!restarted.record || restarted.record.flow !== expected) return { ok: false, route: restarted.route }
    record = restarted.record
  }
  try {
    return { ok: true, value: await call(record.stateToken), record }
  } catch (error) {
    if (!isEiamError(error, 'state-token')) throw error
  }
  const restarted = await restartFlow(expected, record)
  if (!restarted.record || restarted.record.flow !== expected) return { ok: false, route: restarted.route }
  return { ok: true, value: await call(restarted.record.stateToken), record: restarted.record }
}

/** A bind / register / mfa step: the call with its state token, then the route its answer leads to. */
export async function runStep(
  expected: Flow,
  call: (stateToken: string) => Promise<StatusAnswer>,
  attempt?: Attempt,
): Promise<Route> {
  const result = await withStateToken(expected, call)
  if (!result.ok) return result.route
  return (await applyAnswer(result.value, { from: 'step', previous: result.record, attempt })).route
}

// ---- the steps the flow pages take -------------------------------------------------------------------------------

/** The live flow as its page may see it; undefined when there is none or its state token aged out. */
export async function openFlow(): Promise<FlowView | undefined> {
  const record = await currentFlow()
  return record && viewOf(record)
}

/** The bind page serves two flows: SOCIAL_BIND, and USER_REGISTER at login (register mode). */
async function bindPageFlow(): Promise<'bind' | 'register'> {
  const record = await storedFlow()
  return record && record.flow === 'register' ? 'register' : 'bind'
}

/** Link this WeChat identity to the user with this phone or email (bind), or create that user first (register). */
export async function linkAccount(identity: Identity, verifyCode: string): Promise<Route> {
  const flow = await bindPageFlow()
  const attempt: Attempt =
    'mobile' in identity
      ? { channel: 'mobile', value: identity.mobile }
      : { channel: 'email', value: identity.email }
  const link = flow === 'register' ? socialRegisterBind : socialBind
  return runStep(flow, (stateToken) => link(stateToken, identity, verifyCode), attempt)
}

/** Link (or register and link) with the phone number WeChat vouches for: `code` from getPhoneNumber. */
export async function linkWithWeChatPhone(code: string, flow?: 'bind' | 'register'): Promise<Route> {
  const chosen = flow || (await bindPageFlow())
  const link = chosen === 'register' ? wechatMobileRegisterBind : wechatMobileBind
  return runStep(chosen, (stateToken) => link(stateToken, code), {
    channel: 'mobile',
    value: '',
    oneTap: true,
  })
}

/**
 * Link with the directory user name and password (the bind page's password tab, in the bind or bind-or-register
 * flow). The password goes into this one request and nowhere else: not the flow record, not the draft, not an error.
 */
export async function linkWithPassword(userName: string, password: string): Promise<Route> {
  const flow = await bindPageFlow()
  return runStep(flow, (stateToken) => usernamePasswordBind(stateToken, userName, password))
}

/** The change a password status asks for (pwd/update); the route its answer leads to. */
export function changePassword(oldPassword: string, newPassword: string): Promise<Route> {
  return runStep('password', (stateToken) => updatePassword(stateToken, oldPassword, newPassword))
}

/** Keep a password about to expire for now (pwd/skip-update); the route its answer leads to. */
export function skipPasswordChange(): Promise<Route> {
  return runStep('password', skipPasswordUpdate)
}

/** The register page: create the user for the attempt's phone or email and link this identity to it. */
export function registerAccount(attempt: Attempt, verifyCode: string): Promise<Route> {
  const identity: Identity =
    attempt.channel === 'mobile' ? { mobile: attempt.value } : { email: attempt.value }
  return runStep('register', (stateToken) => socialRegisterBind(stateToken, identity, verifyCode), attempt)
}

/** The second factor by the code sent to the user's phone or to the email they typed. */
export function verifySecondFactor(channel: Channel, target: string, verifyCode: string): Promise<Route> {
  const verify = channel === 'mobile' ? mfaBySms : mfaByEmail
  return runStep('mfa', (stateToken) => verify(stateToken, target, verifyCode))
}

/** The phone of the user in the second-factor flow, e.g. `+86-13900139000`, or where to go instead. */
export async function mfaMobile(): Promise<{ mobile: string } | { route: Route }> {
  const result = await withStateToken('mfa', mobileByToken)
  return result.ok ? { mobile: result.value } : { route: result.route }
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
