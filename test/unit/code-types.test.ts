/**
 * The `type` a send-code request names (services/eiam.ts `codeTypeOf`): one per purpose and channel, and OneAccess's
 * own name for the second factor by SMS, only in that dialect.
 */
import { freshApp, type FreshApp } from '../support/fresh-app'

type Modules = {
  eiam: typeof import('../../miniprogram/services/eiam')
  tenants: typeof import('../../miniprogram/config/tenant')
}

let app: FreshApp<Modules>

beforeEach(() => {
  app = freshApp(() => ({
    /* eslint-disable @typescript-eslint/no-require-imports -- a fresh module copy per app */
    eiam: require('../../miniprogram/services/eiam'),
    tenants: require('../../miniprogram/config/tenant'),
    /* eslint-enable @typescript-eslint/no-require-imports */
  }))
})
afterEach(() => app.uninstall())

const EVERY = [
  ['bind', 'mobile', 'BIND_MOBILE_SMS', 'BIND_MOBILE_SMS'],
  ['bind', 'email', 'BIND_EMAIL_EMS', 'BIND_EMAIL_EMS'],
  ['register', 'mobile', 'REGISTER_SMS', 'REGISTER_SMS'],
  ['register', 'email', 'REGISTER_EMS', 'REGISTER_EMS'],
  ['mfa', 'mobile', 'MFA_AUTH_SMS', 'OTP_REST_SMS'],
  ['mfa', 'email', 'MFA_AUTH_EMS', 'MFA_AUTH_EMS'],
] as const

test.each(EVERY)('%s by %s is %s, and %s in the OneAccess dialect', (purpose, channel, bamboo, oneAccess) => {
  expect(app.modules.eiam.codeTypeOf(purpose, channel)).toBe(bamboo)
  Object.assign(app.modules.tenants.TENANTS.develop, { dialect: 'oneaccess' })
  expect(app.modules.eiam.codeTypeOf(purpose, channel)).toBe(oneAccess)
})
