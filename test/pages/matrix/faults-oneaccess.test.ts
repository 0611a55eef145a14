/**
 * The fault matrix (test/support/matrix.ts) on the OneAccess dialect's signed calls, through the real pages against
 * the sandbox in that dialect: refresh on home, the linked accounts and the unlink on the account page, and sign-out
 * (which wipes the phone whatever the server answered, and leaves launch the date the session ends).
 */
import { strings } from '../../../miniprogram/i18n/index'
import type { StoredSession } from '../../../miniprogram/services/session'
import {
  afterLaunch,
  callsTo,
  casesOf,
  flowOf,
  loadingOf,
  nonEmpty,
  openedByTrigger,
  runFaultCase,
  secure,
  tapStage,
  useFaultMatrix,
  type Driver,
} from '../../support/matrix'
import { developTenantOf, loadPage, renderPage, type PageHandle, type PageId } from '../../support/simulate'
import type { WxNode } from '../../support/wx-node'

const zh = strings('zh')
const launch = loadPage('pages/launch/index')
const home = loadPage('pages/home/index')
const account = loadPage('pages/account/index')
const { handle, env } = useFaultMatrix('faults-oneaccess', { dialect: 'oneaccess' })

// every page copy of this file speaks the OneAccess dialect
const replaced = new Map<PageId, unknown>()
beforeAll(() => {
  for (const page of [launch, home, account]) {
    const develop = developTenantOf(page)
    replaced.set(page, develop.dialect)
    develop.dialect = 'oneaccess'
  }
})
afterAll(() => {
  for (const [page, dialect] of replaced) developTenantOf(page).dialect = dialect
})

/** zhangsan signed in through launch, as every driver starts. */
async function signedIn(): Promise<WxNode> {
  return afterLaunch(handle.sandbox, launch, { linkedTo: 'zhangsan' })
}

/** zhangsan signed in, on the home page once it shows him. */
async function onHome(): Promise<{ device: WxNode; page: PageHandle }> {
  const device = await signedIn()
  const page = renderPage(home)
  await page.waitFor(() => page.data().ready)
  return { device, page }
}

const refresh: Driver = {
  flow: 'oaRefresh',
  async prepare() {
    const { device, page } = await onHome()
    const before = secure<StoredSession>(device, 'eiam.session')
    return {
      ...tapStage(device, page, '#refresh', () => page.data().refreshing),
      shown: () => nonEmpty({ notice: page.text('#notice') }),
      busy: () => loadingOf(page, ['#refresh', '#sign-out']),
      async succeeded() {
        await page.waitFor(() => device.state.toasts.some((toast) => toast.title === zh.home.refreshed))
        await page.waitFor(() => !page.data().refreshing)
        const after = secure<StoredSession>(device, 'eiam.session')
        // OneAccess keeps the session token and its expiry; only the id_token is new
        expect(after?.sessionToken).toBe(before?.sessionToken)
        expect(after?.sessionExpiresAt).toBe(before?.sessionExpiresAt)
        expect(after?.idToken).not.toBe(before?.idToken)
        expect(nonEmpty({ notice: page.text('#notice') })).toEqual({})
      },
    }
  },
}

const social: Driver = {
  flow: 'social',
  async prepare() {
    const device = await signedIn()
    const opened = openedByTrigger(device, 'the account page', () => renderPage(account))
    const page = opened.page
    return {
      ...opened,
      settled: () => page().data().ready === true && !page().data().loading,
      shown: () => nonEmpty({ message: page().exists('#message') ? page().text('#message') : '' }),
      busy: () => loadingOf(page(), ['#unlink', '#rebind']),
      again: () => page().tap('#reload'),
      async succeeded() {
        await page().waitFor(
          () => page().data<{ linked: unknown[] }>().linked.length === 1 && !page().data().loading,
        )
        expect(page().exists('#message')).toBe(false)
        expect(page().exists('#unlink')).toBe(true)
      },
    }
  },
}

const unbind: Driver = {
  flow: 'unbind',
  async prepare() {
    const device = await signedIn()
    const page = renderPage(account)
    await page.waitFor(() => page.data<{ linked: unknown[] }>().linked.length === 1 && !page.data().loading)
    page.tap('#unlink')
    const navigated = device.state.navigation.length
    return {
      ...tapStage(device, page, '#confirm-unlink', () => page.data().unlinking),
      shown: () => nonEmpty({ message: page.exists('#message') ? page.text('#message') : '' }),
      busy: () => loadingOf(page, ['#confirm-unlink']),
      async succeeded() {
        await page.waitFor(() => device.state.navigation.length > navigated)
        expect(device.state.navigation.at(-1)).toEqual({
          method: 'reLaunch',
          url: '/pages/launch/index?manual=1',
        })
        expect(secure(device, 'eiam.session')).toBeUndefined()
      },
    }
  },
}

const logout: Driver = {
  flow: 'logout',
  async prepare() {
    const { device, page } = await onHome()
    const { sessionExpiresAt } = secure<StoredSession>(device, 'eiam.session') as StoredSession
    const navigated = device.state.navigation.length
    return {
      device,
      page: () => page,
      trigger: () => page.tap('#sign-out'),
      settled: () => device.state.navigation.length > navigated,
      shown: () => ({}),
      busy: () => loadingOf(page, ['#sign-out']),
      tapWhileBusy: () => page.tap('#sign-out'),
      again: () => page.tap('#sign-out'),
      async succeeded() {
        await page.waitFor(() => device.state.navigation.length > navigated)
        expect(device.state.navigation.slice(navigated)).toEqual([
          { method: 'reLaunch', url: '/pages/launch/index?manual=1' },
        ])
        expect(secure(device, 'eiam.session')).toBeUndefined()
        // the server's session is dead only when the logout was answered as documented: 200, empty
        const [call] = callsTo(device, flowOf('logout').path)
        const ended = call?.statusCode === 200 && !(call.responseText ?? '').trim()
        expect(device.state.storage.get('eiam.signOutNotice')?.value).toBe(
          ended ? undefined : sessionExpiresAt,
        )
      },
    }
  },
}

test.each(casesOf('oaRefresh'))('%s', (_name, fault) => runFaultCase(refresh, fault, env()))
test.each(casesOf('social'))('%s', (_name, fault) => runFaultCase(social, fault, env()))
test.each(casesOf('unbind'))('%s', (_name, fault) => runFaultCase(unbind, fault, env()))
test.each(casesOf('logout'))('%s', (_name, fault) => runFaultCase(logout, fault, env()))
