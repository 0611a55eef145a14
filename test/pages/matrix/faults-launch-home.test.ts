/**
 * The fault matrix (test/support/matrix.ts) on the launch page's login and the home page's refresh: each fault that
 * can happen to the call, through the real page against the sandbox.
 */
import { strings } from '../../../miniprogram/i18n/index'
import type { StoredSession } from '../../../miniprogram/services/session'
import { installDevice } from '../../support/captcha'
import * as matrix from '../../support/matrix'
import { loadPage, renderPage } from '../../support/simulate'

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
    const opened = matrix.openedByTrigger(device, 'launch', () => renderPage(launch))
    const page = opened.page
    return {
      ...opened,
      settled: () => page().data().phase === 'error',
      shown: () => matrix.nonEmpty({ error: page().text('#error') }),
      busy: () => matrix.loadingOf(page(), ['#sign-in']),
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
    const device = await matrix.afterLaunch(handle.sandbox, launch, { linkedTo: 'zhangsan', countdown: true })
    const page = renderPage(home)
    await page.waitFor(() => page.data().ready)
    const before = matrix.secure<StoredSession>(device, 'eiam.session')
    return {
      ...matrix.tapStage(device, page, '#refresh', () => page.data().refreshing),
      shown: () => matrix.nonEmpty({ notice: page.text('#notice') }),
      busy: () => matrix.loadingOf(page, ['#refresh', '#sign-out']),
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
