/**
 * Modules the main package loads from subpackages, on demand (`require.async`, base library ≥ 2.11.2): WeChat
 * downloads a subpackage the first time one of its modules is asked for. Kept to this one file because `require.async`
 * exists only in WeChat: the tests map this module to test/support/subpackages.ts, which loads the same file with
 * Node's `require`.
 */
import { t } from '../i18n/index'
import { EiamError } from './errors'
import type * as OneAccess from '../oneaccess/index'

export type OneAccessModule = typeof OneAccess

let oneAccess: Promise<OneAccessModule> | undefined

/** The `oneaccess` subpackage (signed calls and their RSA code); a failed download is tried again next time. */
export function loadOneAccess(): Promise<OneAccessModule> {
  if (!oneAccess) {
    oneAccess = (require.async('../oneaccess/index.js') as Promise<OneAccessModule>).catch(() => {
      oneAccess = undefined
      // WeChat rejects with its own `{errMsg}` when the subpackage cannot be downloaded
      throw new EiamError('network', t('error.network'))
    })
  }
  return oneAccess
}
