/**
 * miniprogram/services/subpackages.ts for jest (both jest configs map that module here). `require.async` exists only
 * in WeChat, so the subpackage's module is loaded with Node's `require`, from the same file the app names; jsencrypt
 * then resolves from node_modules (in WeChat: from the subpackage's own miniprogram_npm).
 *
 * It is required when this module is, not at the first call: test apps and pages load their modules inside
 * `jest.isolateModules`, whose registry is active only while that callback runs, and a later `require` would hand the
 * subpackage a second copy of the services (another EiamError class, another storage cache). Calls are counted, so
 * tests can tell whether the app asked for the subpackage at all.
 */
import type { OneAccessModule } from '../../miniprogram/services/subpackages'

// eslint-disable-next-line @typescript-eslint/no-require-imports -- what require.async does in WeChat, see above
const oneAccess = require('../../miniprogram/oneaccess/index') as OneAccessModule

let loads = 0

export type { OneAccessModule }

export function loadOneAccess(): Promise<OneAccessModule> {
  loads += 1
  return Promise.resolve(oneAccess)
}

/** How many times this copy of the app's modules asked for the `oneaccess` subpackage. */
export function oneAccessLoads(): number {
  return loads
}
