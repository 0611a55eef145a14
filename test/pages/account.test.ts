/**
 * "My linked account" (pages/account/index, in the `pages/account` subpackage), reached from home: who is signed in and
 * this WeChat's link, in both dialects. OneAccess lists the links and unlinks behind a confirmation in the page;
 * BambooCloud says IT unlinks and copies a request for them.
 */
import { ONEACCESS_ENDPOINT_PATHS as PATHS, type Sandbox } from '../../sandbox'
import { TENANTS } from '../../miniprogram/config/tenant'
import { fill, strings } from '../../miniprogram/i18n/index'
import { ACCOUNT_STRINGS } from '../../miniprogram/pages/account/strings'
import { formatDateTime } from '../../miniprogram/utils/format'
import { JOURNEY_FINGERPRINT, startJourney, type Journey } from '../support/journey'
import { errorFault, useSandbox } from '../support/sandbox'
import type { PageHandle } from '../support/simulate'

const zh = ACCOUNT_STRINGS.zh
const ONEACCESS = { dialect: 'oneaccess' }

/** zhangsan signed in through launch, then the account page opened from home's `account` button. */
async function accountPage(
  sandbox: Sandbox,
  tenant: Record<string, unknown> = {},
): Promise<{ journey: Journey; account: PageHandle }> {
  sandbox.linkIdentity(JOURNEY_FINGERPRINT, 'zhangsan')
  const journey = startJourney({ sandbox, tenant })
  journey.open('/pages/launch/index')
  const home = await journey.nextReady()
  home.tap('#account')
  const account = await journey.next()
  expect(journey.urls().at(-1)).toBe('navigateTo /pages/account/index')
  await account.waitFor(() => account.data().ready && !account.data().loading)
  return { journey, account }
}

const signedPaths = (journey: Journey) =>
  journey.state.requests.filter((request) => request.headers['x-signature']).map((request) => request.path)

describe('a OneAccess tenant', () => {
  const env = useSandbox({ dialect: 'oneaccess' })

  test('shows who is signed in, masked, and the linked WeChat the tenant lists, with when it was linked', async () => {
    const { journey, account } = await accountPage(env.sandbox, ONEACCESS)
    expect(account.text('#name')).toBe('张三')
    expect(account.text('#mobile')).toBe('138****8000')
    expect(account.text('#email')).toBe('z***@example.com')
    const listed = account.text('#linked-list')
    expect(listed).toContain(`WeChat ${JOURNEY_FINGERPRINT.slice(-4)}`)
    const [social] = journey.state.requestsTo(PATHS.social)
    const boundAt = (JSON.parse(social?.responseText ?? '{}') as { social_accounts: { bound_at: string }[] })
      .social_accounts[0]?.bound_at as string
    expect(listed).toContain(zh.linkedSince.replace('{date}', formatDateTime(Date.parse(boundAt))))
    expect(account.node.text()).not.toContain('13800138000')
    expect(signedPaths(journey)).toEqual([PATHS.social])
    expect(journey.state.requestsTo(PATHS.social).map((request) => request.statusCode)).toEqual([200])
    expect(account.exists('#unlink')).toBe(true)
    expect(account.exists('#copy-request')).toBe(false)
  })

  test('unlink asks in the page, then unbinds, signs out everywhere and leaves launch waiting; the next sign-in binds', async () => {
    const { journey, account } = await accountPage(env.sandbox, ONEACCESS)
    account.tap('#unlink')
    expect(account.exists('#confirm-unlink')).toBe(true)
    expect(account.text('#confirm-text')).toBe(zh.confirmUnlink.replace('{user}', '张三'))
    expect(journey.state.modals).toEqual([])
    expect(journey.state.requestsTo(PATHS.unbind)).toEqual([])

    account.tap('#confirm-unlink')
    account.tap('#confirm-unlink')
    const launch = await journey.next()
    expect(journey.urls().at(-1)).toBe('reLaunch /pages/launch/index?manual=1')
    expect(journey.state.requestsTo(PATHS.unbind).map((request) => request.statusCode)).toEqual([200])
    expect(journey.state.requestsTo(PATHS.logout).map((request) => request.statusCode)).toEqual([200])
    expect(journey.secure('eiam.session')).toBeUndefined()
    expect(journey.state.storage.has('eiam.signOutNotice')).toBe(false)
    await launch.flush()
    expect(journey.pendingNavigation()).toEqual([])

    launch.tap('#sign-in')
    await journey.reach('pages/bind/index')
    expect(journey.route()).toBe('pages/bind/index')
    const logins = env.sandbox
      .requests()
      .filter((request) => request.path.endsWith('/login/wechat-miniprogram'))
    expect(logins).toHaveLength(2)
  })

  test('"not me" unlinks the same way and starts sign-in at once, which lands on the bind page', async () => {
    const { journey, account } = await accountPage(env.sandbox, ONEACCESS)
    account.tap('#rebind')
    expect(account.text('#confirm-text')).toBe(zh.confirmRebind.replace('{user}', '张三'))
    account.tap('#confirm-unlink')
    await journey.reach('pages/bind/index')
    expect(journey.urls()).toContain('reLaunch /pages/launch/index')
    expect(journey.state.requestsTo(PATHS.unbind).map((request) => request.statusCode)).toEqual([200])
    expect(journey.requestCounts()['login/wechat-miniprogram']).toBe(2)
  })

  test('cancel takes the confirmation away and sends nothing', async () => {
    const { journey, account } = await accountPage(env.sandbox, ONEACCESS)
    account.tap('#unlink')
    account.tap('#cancel-unlink')
    expect(account.exists('#confirm-unlink')).toBe(false)
    expect(account.exists('#unlink')).toBe(true)
    expect(journey.state.requestsTo(PATHS.unbind)).toEqual([])
  })

  test('a failed unlink says why, keeps the user signed in, and can be tried again', async () => {
    const { journey, account } = await accountPage(env.sandbox, ONEACCESS)
    env.sandbox.fault(
      errorFault(PATHS.unbind, 'IDAAS.SDK.COMMON.1008', '系统繁忙', { status: 500, times: 1 }),
    )
    account.tap('#unlink')
    account.tap('#confirm-unlink')
    await account.waitFor(() => account.exists('#message') && !account.data().unlinking)
    expect(account.text('#message')).toBe('系统繁忙')
    expect(journey.secure('eiam.session')).toBeDefined()
    expect(journey.pendingNavigation()).toEqual([])

    account.tap('#confirm-unlink')
    await journey.next()
    expect(journey.state.requestsTo(PATHS.unbind).map((request) => request.statusCode)).toEqual([500, 200])
  })

  test('when the list cannot be read it says why and offers to try again', async () => {
    env.sandbox.fault(
      errorFault(PATHS.social, 'IDAAS.SDK.COMMON.1008', '系统繁忙', { status: 500, times: 1 }),
    )
    const { journey, account } = await accountPage(env.sandbox, ONEACCESS)
    expect(account.text('#message')).toBe('系统繁忙')
    account.tap('#reload')
    await account.waitFor(
      () => !account.data().loading && account.data<{ linked: unknown[] }>().linked.length === 1,
    )
    expect(account.exists('#message')).toBe(false)
    expect(journey.state.requestsTo(PATHS.social).map((request) => request.statusCode)).toEqual([500, 200])
  })
})

describe('signing out of a OneAccess tenant from home', () => {
  const env = useSandbox({ dialect: 'oneaccess' })

  async function signOutFromHome(): Promise<{ journey: Journey; launch: PageHandle; sessionEndsAt: number }> {
    env.sandbox.linkIdentity(JOURNEY_FINGERPRINT, 'zhangsan')
    const journey = startJourney({ sandbox: env.sandbox, tenant: ONEACCESS })
    journey.open('/pages/launch/index')
    const home = await journey.nextReady()
    const { sessionExpiresAt } = journey.secure('eiam.session') as { sessionExpiresAt: number }
    home.tap('#sign-out')
    const launch = await journey.next()
    await launch.flush()
    expect(journey.urls().at(-1)).toBe('reLaunch /pages/launch/index?manual=1')
    expect(journey.secure('eiam.session')).toBeUndefined()
    return { journey, launch, sessionEndsAt: sessionExpiresAt }
  }

  test('makes the signed logout, wipes the phone, and launch has nothing more to say', async () => {
    const { journey, launch } = await signOutFromHome()
    expect(journey.state.requestsTo(PATHS.logout).map((request) => request.statusCode)).toEqual([200])
    expect(launch.exists('#signed-out')).toBe(false)
    expect(journey.pendingNavigation()).toEqual([])
  })

  test('when the logout fails, the phone is wiped all the same and launch says until when the session lives', async () => {
    env.sandbox.fault({ path: PATHS.logout, times: 1, drop: true })
    const { journey, launch, sessionEndsAt } = await signOutFromHome()
    expect(journey.state.requestsTo(PATHS.logout)).toHaveLength(1)
    expect(launch.text('#signed-out')).toBe(
      fill(strings('zh').launch.signedOutLocally, { until: formatDateTime(sessionEndsAt) }),
    )
    launch.tap('#sign-in')
    expect(launch.exists('#signed-out')).toBe(false)
    expect(journey.state.storage.has('eiam.signOutNotice')).toBe(false)
    // signed in again: the identity is still linked
    await journey.reach('pages/home/index')
  })
})

describe('a BambooCloud tenant', () => {
  const env = useSandbox()

  test('says IT unlinks, in the admin console, and copies a ready-to-send request; nothing is signed or sent', async () => {
    const { journey, account } = await accountPage(env.sandbox)
    const sent = journey.state.requests.length
    expect(account.text('#message')).toBe(zh.itOnly.replace('{contact}', TENANTS.develop.supportContact.zh))
    expect(account.text('#linked-list')).toContain(zh.thisWechat)
    expect(account.exists('#unlink')).toBe(false)
    const request = zh.request
      .replace('{organisation}', TENANTS.develop.name.zh)
      .replace('{userName}', 'zhangsan')
      .replace('{mobile}', '138****8000')
      .replace('{date}', formatDateTime(Date.now()).slice(0, 10))
    expect(account.text('#request')).toBe(request)

    account.tap('#copy-request')
    await account.waitFor(() => account.text('#message') === zh.copied)
    expect(journey.state.clipboard).toBe(request)
    expect(journey.state.requests).toHaveLength(sent)
    expect(signedPaths(journey)).toEqual([])
  })

  test('a copy the phone refuses says so and leaves the text to select by hand', async () => {
    const { journey, account } = await accountPage(env.sandbox)
    journey.state.options.clipboardFails = true
    account.tap('#copy-request')
    await account.waitFor(() => account.text('#message') === zh.copyFailed)
    expect(account.exists('#request')).toBe(true)
  })
})
