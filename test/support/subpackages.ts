/**
 * miniprogram/services/subpackages.ts for jest (both jest configs map that module here). `require.async` exists only
 * in WeChat, so the subpackage's module is loaded with Node's `require`, from the same file the app names; jsencrypt
 * then resolves from node_modules (in WeChat: from the subpackage's own miniprogram_npm). Loads are counted, so tests
 * can tell whether the app asked for the subpackage at all.
 */
import type { OneAccessModule } from '../../miniprogram/services/subpackages'

let loads = 0

export type { OneAccessModule }

export function loadOneAccess(): Promise<OneAccessModule> {
  loads += 1
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- what require.async does in WeChat
  return Promise.resolve().then(() => require('../../miniprogram/oneaccess/index') as OneAccessModule)
}

/** How many times this copy of the app's modules asked for the `oneaccess` subpackage. */
export function oneAccessLoads(): number {
  return loads
}
