/**
 * The fault matrix (test/support/matrix.ts) on the launch page's login and the home page's refresh: each fault that
 * can happen to the call, through the real page against the sandbox.
 */
import { strings } from '../../../miniprogram/i18n/index'
import type { StoredSession } from '../../../miniprogram/services/session'
import { FINGERPRINT, installDevice } from '../../support/captcha'
import {
  casesOf,
  loadingOf,
  nonEmpty,
  runFaultCase,
  secure,
  seedCountdown,
  STATE_TTL_S,
  useFaultMatrix,
  type Driver,
} from '../../support/matrix'
import { loadPage, renderPage, type PageHandle } from '../../support/simulate'

const zh = strings('zh')
const launch = loadPage('pages/launch/index')
const home = loadPage('pages/home/index')
const { handle, env } = useFaultMatrix('faults-launch-home', { stateTtlS: STATE_TTL_S })

/** Launch opens (the trigger) and signs in: SOCIAL_BIND leads to the bind page. */
const login: Driver = {
  flow: 'login',
  async prepare() {
    const device = installDevice(handle.sandbox)
    seedCountdown(device)
    let opened: PageHandle | undefined
    const page = (): PageHandle => {
      if (!opened) throw new Error('launch is not open yet')
      return opened
    }
    return {
      device,
      page,
      trigger: () => {
        opened = renderPage(launch)
      },
      settled: () => page().data().phase === 'error',
      shown: () => nonEmpty({ error: page().text('#error') }),
      typed: () => ({}),
      busy: () => loadingOf(page(), ['#sign-in']),
      countdowns: () => ({}),
      tapWhileBusy: () => page().tap('#sign-in'),
      again: () => page().tap('#sign-in'),
      async succeeded() {
        await page().waitFor(() => device.state.navigation.length)
        expect(device.state.navigation).toEqual([{ method: 'redirectTo', url: '/pages/bind/index' }])
        expect(secure(device, 'eiam.flow')).toMatchObject({ flow: 'bind', page: 'bind' })
        expect(nonEmpty({ error: page().text('#error') })).toEqual({})
      },
    }
  },
}

/** zhangsan signed in through launch; home shows him; the trigger is "refresh". */
const refresh: Driver = {
  flow: 'refresh',
  async prepare() {
    handle.sandbox.linkIdentity(FINGERPRINT, 'zhangsan')
    const device = installDevice(handle.sandbox)
    seedCountdown(device)
    const opening = renderPage(launch)
    await opening.waitFor(() => device.state.navigation.length)
    opening.unload()
    const page = renderPage(home)
    await page.waitFor(() => page.data().ready)
    const before = secure<StoredSession>(device, 'eiam.session')
    return {
      device,
      page: () => page,
      trigger: () => page.tap('#refresh'),
      settled: () => !page.data().refreshing,
      shown: () => nonEmpty({ notice: page.text('#notice') }),
      typed: () => ({}),
      busy: () => loadingOf(page, ['#refresh', '#sign-out']),
      countdowns: () => ({}),
      tapWhileBusy: () => page.tap('#refresh'),
      again: () => page.tap('#refresh'),
      async succeeded() {
        await page.waitFor(() => device.state.toasts.some((toast) => toast.title === zh.home.refreshed))
        await page.waitFor(() => !page.data().refreshing)
        expect(secure<StoredSession>(device, 'eiam.session')?.sessionToken).not.toBe(before?.sessionToken)
        expect(nonEmpty({ notice: page.text('#notice') })).toEqual({})
        expect(page.text('#name')).toBe('张三')
        expect(loadingOf(page, ['#refresh', '#sign-out'])).toEqual([])
      },
    }
  },
}

test.each(casesOf('login'))('%s', (_name, fault) => runFaultCase(login, fault, env()))
test.each(casesOf('refresh'))('%s', (_name, fault) => runFaultCase(refresh, fault, env()))
