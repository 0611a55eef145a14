/**
 * Where a failure is shown: under the field it is about, or in the page's notice. Pages and the code sender use this
 * one mapping, so the same server answer reads the same everywhere.
 */
import { type Params, t } from '../i18n/index'
import type { Validation } from '../utils/validate'
import { EiamError, fieldOf } from './errors'

export interface FieldKeys {
  /** data path of the phone/email field's error, e.g. `errors.mobile` */
  target?: string
  /** data path of the code field's error, e.g. `errors.mobileCode` */
  code?: string
  /** where a refusal naming no field goes (default: the page's notice), e.g. next to the send button */
  refusal?: string
}

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
export function failurePatch(error: unknown, keys: FieldKeys): Record<string, string> {
  const message = messageOf(error)
  const field = fieldOf(error)
  if (field === 'code' && keys.code) return { [keys.code]: message }
  if ((field === 'mobile' || field === 'email') && keys.target) return { [keys.target]: message }
  if (!field && keys.refusal && error instanceof EiamError && error.kind === 'rejected') {
    return { [keys.refusal]: message }
  }
  return { notice: message }
}
