/**
 * WeChat's phone-number button, as the tenant chose (`oneTap`): which open-type it is, and what a refusal from
 * WeChat means for the user. Each refusal is a step of the real-time log with WeChat's errno, never the event's code.
 */
import { tenant } from '../config/index'
import { t } from '../i18n/index'
import { logStep } from './support'

/** `quick` and `realtime` are WeChat's two phone-number buttons; `off` shows none. */
export const ONE_TAP_OPEN_TYPES = { quick: 'getPhoneNumber', realtime: 'getRealtimePhoneNumber' } as const

export type OneTapOpenType = (typeof ONE_TAP_OPEN_TYPES)[keyof typeof ONE_TAP_OPEN_TYPES]

/** The button's open-type, or '' when the tenant turned one-tap off. */
export function oneTapOpenType(): OneTapOpenType | '' {
  const mode = tenant().oneTap
  return mode === 'quick' || mode === 'realtime' ? ONE_TAP_OPEN_TYPES[mode] : ''
}

/** What the getphonenumber / getrealtimephonenumber event carries. */
export interface PhoneNumberDetail {
  code?: string
  errMsg?: string
  errno?: number
}

export type OneTapRefusal = 'denied' | 'quota' | 'account' | 'no-code' | 'unavailable'

/** WeChat's errno when the mini program's phone-number quota is used up. */
export const QUOTA_ERRNO = 1400001

/** Why WeChat handed over no usable code; undefined when it did. */
export function refusalOf(detail: PhoneNumberDetail): OneTapRefusal | undefined {
  const errMsg = detail.errMsg || ''
  if (detail.errno === QUOTA_ERRNO) return 'quota'
  if (/deny|cancel/i.test(errMsg)) return 'denied'
  // the button is for verified, non-individual accounts: others get "no permission"
  if (/no permission|not support|unauthori[sz]ed/i.test(errMsg)) return 'account'
  if (typeof detail.code === 'string' && detail.code.trim()) return undefined
  return /:ok\b/i.test(errMsg) ? 'no-code' : 'unavailable'
}

const MESSAGES = {
  denied: 'error.oneTapDenied',
  quota: 'oneTap.quota',
  account: 'oneTap.account',
  'no-code': 'oneTap.noCode',
  unavailable: 'error.oneTapUnavailable',
} as const

/** The message for the user, pointing to the SMS or email code; the refusal goes to the real-time log. */
export function refusalMessage(refusal: OneTapRefusal, detail: PhoneNumberDetail): string {
  logStep('one-tap', {
    ok: false,
    kind: `one-tap-${refusal}`,
    errorCode: typeof detail.errno === 'number' ? String(detail.errno) : undefined,
  })
  return t(MESSAGES[refusal])
}
