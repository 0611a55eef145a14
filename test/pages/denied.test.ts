/**
 * The denied page (ACCESS_DENIED): says access was refused by policy and where to get help, and its way back opens
 * launch in manual mode, so a refused user is never looped back here by an automatic sign-in.
 */

import { fill, strings } from '../../miniprogram/i18n/index'
import { JOURNEY_FINGERPRINT, startJourney } from '../support/journey'
import { useSandbox } from '../support/sandbox'

const zh = strings('zh')
const en = strings('en')

const env = useSandbox()

test("it says the organisation's policy refused access and whom to contact, and asks the tenant nothing", async () => {
  const journey = startJourney({ sandbox: env.sandbox })
  const denied = journey.open('/pages/denied/index')
  await denied.flush()

  expect(denied.text('.heading')).toBe(zh.denied.heading)
  const message = denied.text('#message')
  expect(message).toContain(fill(zh.denied.message, { organisation: '示例科技' }))
  expect(message).toContain(fill(zh.denied.help, { contact: 'IT 服务台 · it-help@example.com' }))
  expect(denied.text('#back')).toBe(zh.denied.back)
  expect(journey.state.navigationBarTitles).toEqual([zh.denied.title])
  expect(journey.state.requests).toHaveLength(0)
  expect(journey.state.loginCalls).toBe(0)
})

test('in English it says the same', async () => {
  const journey = startJourney({ sandbox: env.sandbox, wx: { language: 'en' } })
  const denied = journey.open('/pages/denied/index')
  await denied.flush()

  const message = denied.text('#message')
  expect(message).toContain("Example Tech's access policy does not allow you to use this application.")
  expect(message).toContain(fill(en.denied.help, { contact: 'IT service desk · it-help@example.com' }))
  expect(denied.text('#back')).toBe(en.denied.back)
})

test('a refused sign-in lands here; "back" opens launch waiting for a tap, with no new sign-in', async () => {
  env.sandbox.linkIdentity(JOURNEY_FINGERPRINT, 'wangwu')
  const journey = startJourney({ sandbox: env.sandbox })
  journey.open('/pages/launch/index')
  const denied = await journey.next()
  expect(journey.route()).toBe('pages/denied/index')

  denied.tap('#back')
  const launch = await journey.next()
  expect(journey.urls()).toEqual(['reLaunch /pages/denied/index', 'reLaunch /pages/launch/index?manual=1'])
  await launch.flush()
  expect(launch.data().phase).toBe('idle')
  expect(journey.pendingNavigation()).toEqual([])
  expect(journey.state.loginCalls).toBe(1)
  expect(journey.requestCounts()).toEqual({ 'login/wechat-miniprogram': 1 })

  // only the user's own tap tries again, and policy refuses again
  launch.tap('#sign-in')
  await journey.next()
  expect(journey.route()).toBe('pages/denied/index')
  expect(journey.requestCounts()).toEqual({ 'login/wechat-miniprogram': 2 })
})
