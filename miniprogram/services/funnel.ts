/**
 * The sign-in funnel for WeChat's data analysis (`wx.reportEvent`), only when the tenant turns on `analytics`.
 * Events and their fields are enumerations (which page, which channel, which flow): no identifier, phone number,
 * email, code or token is ever part of one. Each event id must be created with its fields in the mini program admin
 * console (We分析 → custom events) before WeChat keeps it; the README lists them.
 */
import { tenant } from '../config/index'
import type { JsonObject } from './http'

export type FunnelEvent = 'bind_page_shown' | 'code_sent' | 'bound' | 'second_factor_done' | 'denied'

export interface FunnelData {
  /** how the user verified: `mobile`, `email`, `wechat_phone` (one-tap) or `password` */
  channel?: 'mobile' | 'email' | 'wechat_phone' | 'password'
  /** `bind` (SOCIAL_BIND) or `register` (USER_REGISTER) */
  flow?: 'bind' | 'register'
}

export function reportFunnel(event: FunnelEvent, data: FunnelData = {}): void {
  if (!tenant().analytics) return
  try {
    wx.reportEvent(event, { ...data })
  } catch {
    // analytics never breaks a sign-in
  }
}

/** Bind steps end in `bind` (social/bind, register-bind, wechat-mobile-bind, username-password-bind, ...). */
const BIND_STEP = /\/social\/[\w-]*bind$/
const MFA_STEP = /\/mfa\/(sms|email)$/
const SEND_STEP = /\/(sms|email)\/send$/

function channelOf(path: string, body: JsonObject | undefined): FunnelData['channel'] {
  if (/wechat-mobile/.test(path)) return 'wechat_phone'
  if (/username-password/.test(path)) return 'password'
  if (/\/sms\//.test(path)) return 'mobile'
  if (/\/email\//.test(path)) return 'email'
  if (body && 'mobile' in body) return 'mobile'
  return body && 'email' in body ? 'email' : undefined
}

/**
 * The funnel event a successful call means, if any: a code went out, a bind step linked the identity (any answer
 * but SOCIAL_BIND / USER_REGISTER), a second factor passed, or a policy refused the sign-in.
 */
export function funnelAfterCall(
  path: string,
  body: JsonObject | undefined,
  answer: string | undefined,
): void {
  if (answer === 'ACCESS_DENIED') reportFunnel('denied')
  if (SEND_STEP.test(path)) return reportFunnel('code_sent', { channel: channelOf(path, body) })
  if (BIND_STEP.test(path) && answer && answer !== 'SOCIAL_BIND' && answer !== 'USER_REGISTER') {
    return reportFunnel('bound', {
      channel: channelOf(path, body),
      flow: /register/.test(path) ? 'register' : 'bind',
    })
  }
  if (MFA_STEP.test(path) && answer === 'SUCCESS') {
    reportFunnel('second_factor_done', { channel: channelOf(path, body) })
  }
}
