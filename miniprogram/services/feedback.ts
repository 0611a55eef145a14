/**
 * Where a failure is shown: under the field it is about, or in the page's notice. Pages and the code sender use this
 * one mapping, so the same server answer reads the same everywhere; the page names the places (`MessageSlots`).
 */
import { type Params, t } from '../i18n/index'
import type { Validation } from '../utils/validate'
import { EiamError, type ErrorField, fieldOf } from './errors'

/** Where a page shows the messages of one action: paths in its own data. */
export interface MessageSlots {
  /** the phone/email field's error, e.g. `errors.mobile`; without one, a message about it goes to the notice */
  target?: string
  /** the code field's error, e.g. `errors.mobileCode` */
  code?: string
  /** where a refusal naming no field goes (default: the notice), e.g. next to the send button */
  refusal?: string
  /** the page's notice (default `notice`) */
  notice?: string
  /** the other fields a refusal can name, e.g. `{ password: 'errors.password' }` */
  fields?: Partial<Record<ErrorField, string>>
}

export const noticeOf = (slots: MessageSlots) => slots.notice || 'notice'

/** '' for a valid field, else its message in the user's language: what `errors.<field>` holds. */
export function problemOf(result: Validation, params?: Params): string {
  return result.ok ? '' : t(result.error, { ...result.params, ...params })
}

/** The message for any failure: the server's words for refusals, ours for transport problems and bugs. */
export function messageOf(error: unknown): string {
  if (!(error instanceof EiamError)) return t('error.unexpected')
  if (error.kind === 'state-token') return t('error.stateToken')
  if (error.kind === 'session') return t('error.session')
  // the tenant does not know this app's client id: a setup problem only IT can fix, not the user's
  if (error.code === 'SDK.COMMON.1012') return t('error.configuration')
  return error.message
}

/** A setData patch that puts the failure's message where the user looks. */
export function failurePatch(error: unknown, slots: MessageSlots): Record<string, string> {
  const message = messageOf(error)
  const field = fieldOf(error)
  const other = field && slots.fields && slots.fields[field]
  if (other) return { [other]: message }
  if (field === 'code' && slots.code) return { [slots.code]: message }
  if ((field === 'mobile' || field === 'email') && slots.target) return { [slots.target]: message }
  if (!field && slots.refusal && error instanceof EiamError && error.kind === 'rejected') {
    return { [slots.refusal]: message }
  }
  return { [noticeOf(slots)]: message }
}
