/**
 * The fault matrix (test/support/matrix.ts) on the password sign-in: the bind page's password tab
 * (username-password-bind, zhangsan), and the password page's change (pwd/update, zhaoliu: expired) and skip
 * (pwd/skip-update, sunqi: about to expire), each reached the real way.
 *
 * One deliberate difference from the other rows: a password is cleared as each attempt sends it, so "everything typed
 * kept" is the user name here, and the second try types the password again.
 */
import { EIAM_PATHS } from '../../../miniprogram/services/eiam'
import { agree, installDevice, renderReady } from '../../support/captcha'
import {
  callsTo,
  casesOf,
  loadingOf,
  nonEmpty,
  runFaultCase,
  secure,
  tapStage,
  STATE_TTL_S,
  useFaultMatrix,
  type Driver,
} from '../../support/matrix'
import { SEEDED } from '../../support/sandbox'
import { fillPasswordChange } from '../../support/journey'
import { loadPage, renderPage, type PageHandle } from '../../support/simulate'

const bind = loadPage('pages/bind/index', { tenant: { bindMethods: ['mobile', 'email', 'password'] } })
const passwordPage = loadPage('pages/password/index')
const { handle, env } = useFaultMatrix('faults-password', { stateTtlS: STATE_TTL_S })

const NEW_ONE = 'Changed#2027'

/** The bind page on its password tab, the agreement ticked, the user name and password typed. */
async function passwordTab(userName: string, password: string) {
  const device = installDevice(handle.sandbox)
  const page = await renderReady(() => renderPage(bind))
  await page.tapTab('password')
  agree(page)
  page.typeInto('#user-name', userName)
  page.typeInto('#password', password)
  return { device, page }
}

const homeReached = async (page: PageHandle, device: ReturnType<typeof installDevice>, before: number) => {
  await page.waitFor(() => device.state.navigation.length > before)
  expect(device.state.navigation.at(-1)).toEqual({ method: 'reLaunch', url: '/pages/home/index' })
  expect(secure(device, 'eiam.session')).toMatchObject({ sessionToken: expect.any(String) })
  expect(secure(device, 'eiam.flow')).toBeUndefined()
}

const passwordBind: Driver = {
  flow: 'passwordBind',
  async prepare() {
    const { device, page } = await passwordTab('zhangsan', SEEDED.zhangsan.password)
    const data = () => page.data<{ userName: string; submitting: boolean; codeEndsAt: unknown }>()
    return {
      ...tapStage(device, page, '#submit', () => data().submitting),
      shown: () =>
        nonEmpty({
          notice: page.text('#notice'),
          'user-name': page.fieldError('#user-name'),
          password: page.fieldError('#password'),
        }),
      typed: () => ({ userName: data().userName, input: page.get('#user-name').data?.value }),
      busy: () => loadingOf(page, ['#submit']),
      countdowns: () => data().codeEndsAt,
      // the user name is drafted, never the password; a bind that went home ended the flow and its draft
      draft: () =>
        device.state.navigation.length
          ? undefined
          : { tab: 'password', areaCode: '+86', mobile: '', email: '', userName: 'zhangsan' },
      again: () => {
        page.typeInto('#password', SEEDED.zhangsan.password)
        page.tap('#submit')
      },
      async succeeded() {
        await homeReached(page, device, 0)
        expect(callsTo(device, EIAM_PATHS.passwordBind).at(-1)?.json).toEqual({
          user_name: 'zhangsan',
          password: SEEDED.zhangsan.password,
        })
      },
    }
  },
}

/** The tab binds zhaoliu (expired) or sunqi (about to expire); the password page opens in its mode. */
async function atPasswordPage(user: 'zhaoliu' | 'sunqi') {
  const { device, page: tab } = await passwordTab(user, SEEDED[user].password)
  tab.tap('#submit')
  await tab.waitFor(() => device.state.navigation.length)
  tab.unload()
  const page = await renderReady(() => renderPage(passwordPage))
  const data = () => page.data<{ submitting: boolean }>()
  const shown = () =>
    nonEmpty({
      notice: page.text('#notice'),
      'old-password': page.fieldError('#old-password'),
      'new-password': page.fieldError('#new-password'),
      'confirm-password': page.fieldError('#confirm-password'),
    })
  return { device, page, data, shown, navigated: device.state.navigation.length }
}

const passwordUpdate: Driver = {
  flow: 'passwordUpdate',
  async prepare() {
    const { device, page, data, shown, navigated } = await atPasswordPage('zhaoliu')
    const fill = () => fillPasswordChange(page, SEEDED.zhaoliu.password, NEW_ONE)
    fill()
    return {
      ...tapStage(device, page, '#submit', () => data().submitting),
      shown,
      // every attempt clears the three passwords: nothing typed is left to keep (the page tests check the clearing)
      busy: () => loadingOf(page, ['#submit']),
      again: () => {
        fill()
        page.tap('#submit')
      },
      async succeeded() {
        await homeReached(page, device, navigated)
        expect(callsTo(device, EIAM_PATHS.passwordUpdate).at(-1)?.json).toEqual({
          old_password: SEEDED.zhaoliu.password,
          new_password: NEW_ONE,
        })
      },
    }
  },
}

const passwordSkip: Driver = {
  flow: 'passwordSkip',
  async prepare() {
    const { device, page, data, shown, navigated } = await atPasswordPage('sunqi')
    return {
      ...tapStage(device, page, '#skip', () => data().submitting),
      shown,
      busy: () => loadingOf(page, ['#submit', '#skip']),
      succeeded: () => homeReached(page, device, navigated),
    }
  },
}

test.each(casesOf('passwordBind'))('%s', (_name, fault) => runFaultCase(passwordBind, fault, env()))
test.each(casesOf('passwordUpdate'))('%s', (_name, fault) => runFaultCase(passwordUpdate, fault, env()))
test.each(casesOf('passwordSkip'))('%s', (_name, fault) => runFaultCase(passwordSkip, fault, env()))
