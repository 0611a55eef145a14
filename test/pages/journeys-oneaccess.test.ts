/**
 * The key journeys in the OneAccess dialect: every page of the journey configured `dialect: 'oneaccess'`, against the
 * sandbox in that dialect. Bind by mobile → home, bind by email → home, second factor by SMS (type OTP_REST_SMS) →
 * home, and refresh on home (signed; the session token kept). Each checks that the sandbox refused nothing.
 */
import { ONEACCESS_ENDPOINT_PATHS as PATHS } from '../../sandbox'
import type { StoredSession } from '../../miniprogram/services/session'
import { agree } from '../support/captcha'
import { sendCodeVia, startJourney, type Journey } from '../support/journey'
import { useSandbox } from '../support/sandbox'
import type { PageHandle } from '../support/simulate'

const BIND_PAGE = 'pages/bind/index'
const env = useSandbox({ dialect: 'oneaccess' })

async function fromLaunch(): Promise<Journey> {
  const journey = startJourney({ sandbox: env.sandbox, fresh: [BIND_PAGE], tenant: { dialect: 'oneaccess' } })
  journey.open('/pages/launch/index')
  await journey.next()
  return journey
}

async function bindWith(journey: Journey, target: string, channel: 'mobile' | 'email'): Promise<void> {
  const bind = journey.page as PageHandle
  expect(journey.route()).toBe(BIND_PAGE)
  await bind.waitFor(() => bind.data().ready)
  agree(bind)
  if (channel === 'email') await bind.tapTab('email')
  bind.typeInto(`#${channel}`, target)
  bind.typeInto(`#${channel}-code`, await sendCodeVia(bind, env.sandbox, `#send-${channel}-code`, target))
  bind.tap('#submit')
}

async function home(journey: Journey, name: string): Promise<PageHandle> {
  const page = await journey.reach('pages/home/index')
  await page.waitFor(() => page.data().ready)
  expect(page.text('#name')).toBe(name)
  return page
}

const refusals = () => env.sandbox.requests().filter((request) => request.status !== 200)

test('bind by mobile → home', async () => {
  const journey = await fromLaunch()
  await bindWith(journey, '13800138000', 'mobile')
  await home(journey, '张三')
  expect(refusals()).toEqual([])
})

test('bind by email → home', async () => {
  const journey = await fromLaunch()
  await bindWith(journey, 'zhangsan@example.com', 'email')
  await home(journey, '张三')
  expect(refusals()).toEqual([])
})

test('second factor by SMS, with OneAccess type OTP_REST_SMS → home', async () => {
  const journey = await fromLaunch()
  await bindWith(journey, '13900139000', 'mobile')
  const mfa = await journey.reach('pages/mfa/index')
  await mfa.waitFor(() => mfa.data().target)
  mfa.typeInto('#code', await sendCodeVia(mfa, env.sandbox, '#send-code', '13900139000'))
  mfa.tap('#submit')
  await home(journey, '李四')
  expect(env.sandbox.outbox().map((sent) => sent.type)).toEqual(['BIND_MOBILE_SMS', 'OTP_REST_SMS'])
  expect(refusals()).toEqual([])
})

test('refresh on home: signed, accepted, the session token and its expiry kept', async () => {
  const journey = await fromLaunch()
  await bindWith(journey, '13800138000', 'mobile')
  const page = await home(journey, '张三')
  const before = journey.secure<StoredSession>('eiam.session') as StoredSession
  page.tap('#refresh')
  await page.waitFor(() => journey.state.requestsTo(PATHS.refresh).length && !page.data().refreshing)
  const after = journey.secure<StoredSession>('eiam.session') as StoredSession
  expect(journey.state.requestsTo(PATHS.refresh).map((request) => request.statusCode)).toEqual([200])
  expect(journey.state.requestsTo(PATHS.refresh)[0]?.headers['x-signature']).toBeTruthy()
  expect(after.sessionToken).toBe(before.sessionToken)
  expect(after.sessionExpiresAt).toBe(before.sessionExpiresAt)
  expect(after.idToken).not.toBe(before.idToken)
  expect(refusals()).toEqual([])
})
