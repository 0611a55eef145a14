/**
 * The fault matrix (test/support/matrix.ts) on the launch page's login and the home page's refresh: each fault that
 * can happen to the call, through the real page against the sandbox.
 */
import { strings } from '../../../miniprogram/i18n/index'
import type { StoredSession } from '../../../miniprogram/services/session'
import { FINGERPRINT, installDevice } from '../../support/captcha'
import * as matrix from '../../support/matrix'
import { loadPage, renderPage, type PageHandle } from '../../support/simulate'

const zh = strings('zh')
const launch = loadPage('pages/launch/index')
const home = loadPage('pages/home/index')
const { handle, env } = matrix.useFaultMatrix('faults-launch-home', { stateTtlS: matrix.STATE_TTL_S })

/** Launch opens (the trigger) and signs in: SOCIAL_BIND leads to the bind page. */
const login: matrix.Driver = {
  flow: 'login',
  async prepare() {
    const device = installDevice(handle.sandbox)
    matrix.seedCountdown(device)
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
      shown: () => matrix.nonEmpty({ error: page().text('#error') }),
      typed: () => ({}),
      busy: () => matrix.loadingOf(page(), ['#sign-in']),
      countdowns: () => ({}),
      tapWhileBusy: () => page().tap('#sign-in'),
      again: () => page().tap('#sign-in'),
      async succeeded() {
        await page().waitFor(() => device.state.navigation.length)
        expect(device.state.navigation).toEqual([{ method: 'redirectTo', url: '/pages/bind/index' }])
        expect(matrix.secure(device, 'eiam.flow')).toMatchObject({ flow: 'bind', page: 'bind' })
        expect(matrix.nonEmpty({ error: page().text('#error') })).toEqual({})
      },
    }
  },
}

/** zhangsan signed in through launch; home shows him; the trigger is "refresh". */
const refresh: matrix.Driver = {
  flow: 'refresh',
  async prepare() {
    handle.sandbox.linkIdentity(FINGERPRINT, 'zhangsan')
    const device = installDevice(handle.sandbox)
    matrix.seedCountdown(device)
    const opening = renderPage(launch)
    await opening.waitFor(() => device.state.navigation.length)
    opening.unload()
    const page = renderPage(home)
    await page.waitFor(() => page.data().ready)
    const before = matrix.secure<StoredSession>(device, 'eiam.session')
    return {
      device,
      page: () => page,
      trigger: () => page.tap('#refresh'),
      settled: () => !page.data().refreshing,
      shown: () => matrix.nonEmpty({ notice: page.text('#notice') }),
      typed: () => ({}),
      busy: () => matrix.loadingOf(page, ['#refresh', '#sign-out']),
      countdowns: () => ({}),
      tapWhileBusy: () => page.tap('#refresh'),
      again: () => page.tap('#refresh'),
      async succeeded() {
        await page.waitFor(() => device.state.toasts.some((toast) => toast.title === zh.home.refreshed))
        await page.waitFor(() => !page.data().refreshing)
        expect(matrix.secure<StoredSession>(device, 'eiam.session')?.sessionToken).not.toBe(
          before?.sessionToken,
        )
        expect(matrix.nonEmpty({ notice: page.text('#notice') })).toEqual({})
        expect(page.text('#name')).toBe('张三')
        expect(matrix.loadingOf(page, ['#refresh', '#sign-out'])).toEqual([])
      },
    }
  },
}

test.each(matrix.casesOf('login'))('%s', (_name, fault) => matrix.runFaultCase(login, fault, env()))
test.each(matrix.casesOf('refresh'))('%s', (_name, fault) => matrix.runFaultCase(refresh, fault, env()))
