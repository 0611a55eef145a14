/**
 * What the bind page keeps: each code countdown as an end time per purpose + channel + target (it survives leaving
 * the page, the app killed and reopened, the app in the background; another target frees the button; a tab switch
 * never resets the other tab), and the phone or email the user typed. Also its setData discipline: a keystroke
 * costs the page at most one setData, a countdown tick one setData in the countdown component only.
 *
 * Timers and the clock are fake in every test, so a countdown shows exactly the seconds the test moved.
 * Each test sends to its own number: the page's modules (and their countdown cache) live for the whole file.
 */
import { zh } from '../../../miniprogram/i18n/zh'
import { EIAM_PATHS } from '../../../miniprogram/services/eiam'
import {
  agree,
  installDevice,
  loadPageAfterRestart,
  renderReady,
  requestCode,
  serverLog,
} from '../../support/captcha'
import { useSandbox } from '../../support/sandbox'
import { loadPage, renderPage, type PageHandle } from '../../support/simulate'
import type { WxNode } from '../../support/wx-node'

const bind = loadPage('pages/bind/index')
/** The mini program killed and reopened: a fresh copy of every module, the same storage. */
const bindAfterRestart = loadPageAfterRestart('pages/bind/index')
const env = useSandbox()

interface BindData {
  [key: string]: unknown
  mobile: string
  email: string
  tab: string
  codeEndsAt: { mobile: number; email: number }
}

let device: WxNode
let page: PageHandle

beforeEach(async () => {
  jest.useFakeTimers()
  device = installDevice(env.sandbox)
  page = await renderReady(() => renderPage(bind))
  agree(page)
})
afterEach(() => {
  jest.useRealTimers()
})

/** Lets Vant's popup and tab transitions finish, so what follows measures the countdown alone. */
function settleTransitions(): void {
  jest.advanceTimersByTime(500)
}

async function sendMobileCode(mobile: string): Promise<void> {
  page.typeInto('#mobile', mobile)
  await requestCode(page, env.sandbox, '#send-mobile-code', mobile)
  expect(page.text('#send-mobile-code')).toBe('60 秒')
}

describe('the countdown', () => {
  test('survives leaving the page: coming back shows the seconds that are left', async () => {
    await sendMobileCode('13800138000')
    page.unload()
    jest.advanceTimersByTime(25000)
    const again = await renderReady(() => renderPage(bind))
    expect(again.data<BindData>().mobile).toBe('13800138000')
    expect(again.text('#send-mobile-code')).toBe('35 秒')
  })

  test('survives the app being killed and reopened (fresh modules, same storage), with the typed number', async () => {
    await sendMobileCode('13900139000')
    const sentAt = Date.now()
    page.unload()
    jest.advanceTimersByTime(12000)
    const log = serverLog(env.sandbox)
    const reopened = await renderReady(() => bindAfterRestart.render())
    expect(reopened.data<BindData>().mobile).toBe('13900139000')
    expect(reopened.data<BindData>().codeEndsAt.mobile).toBe(sentAt + 60000)
    expect(reopened.text('#send-mobile-code')).toBe('48 秒')
    // the state token is still young: the page carries on without a new login
    expect(device.state.loginCalls).toBe(1)
    expect(log.since()).not.toContain(EIAM_PATHS.login)

    jest.advanceTimersByTime(48000)
    expect(reopened.text('#send-mobile-code')).toBe(zh.form.send)
    agree(reopened)
    reopened.tap('#send-mobile-code')
    expect(reopened.data().captcha).toMatchObject({ open: true, sender: '13900139000' })
  })

  test('the app in the background: no ticks while hidden, the right seconds on return', async () => {
    await sendMobileCode('13700137000')
    settleTransitions()
    page.hide()
    page.resetSetDataCalls()
    jest.advanceTimersByTime(30000)
    expect(page.setDataCalls().count).toBe(0)
    page.show()
    expect(page.text('#send-mobile-code')).toBe('30 秒')
    jest.advanceTimersByTime(1000)
    expect(page.text('#send-mobile-code')).toBe('29 秒')
  })

  test('a countdown that ran out in the background frees the button on return', async () => {
    await sendMobileCode('13200132000')
    page.hide()
    jest.advanceTimersByTime(75000)
    page.show()
    expect(page.text('#send-mobile-code')).toBe(zh.form.send)
    expect(page.data<BindData>().codeEndsAt.mobile).toBe(0)
    page.tap('#send-mobile-code')
    expect(page.data().captcha).toMatchObject({ open: true, sender: '13200132000' })
  })

  test('another number frees the button; the number it was sent to shows its countdown again', async () => {
    await sendMobileCode('13600136000')
    jest.advanceTimersByTime(5000)
    page.typeInto('#mobile', '13600136001')
    expect(page.text('#send-mobile-code')).toBe(zh.form.send)
    expect(page.data<BindData>().codeEndsAt.mobile).toBe(0)
    page.tap('#send-mobile-code')
    expect(page.data().captcha).toMatchObject({ open: true, sender: '13600136001' })
    page.tap(['#captcha', '#captcha-close'])

    page.typeInto('#mobile', '136 0013 6000')
    expect(page.text('#send-mobile-code')).toBe('55 秒')
  })

  test('switching tabs keeps what was typed and never resets the other tab', async () => {
    await sendMobileCode('13500135000')
    page.typeInto('#mobile-code', '12')
    jest.advanceTimersByTime(10000)

    await page.tapTab('email')
    expect(page.data<BindData>().tab).toBe('email')
    page.typeInto('#email', 'zhangsan@example.com')
    await requestCode(page, env.sandbox, '#send-email-code', 'zhangsan@example.com', {
      path: EIAM_PATHS.emailSend,
    })
    expect(page.text('#send-email-code')).toBe('60 秒')
    jest.advanceTimersByTime(20000)

    await page.tapTab('mobile')
    expect(page.data<BindData>()).toMatchObject({ mobile: '13500135000', mobileCode: '12' })
    expect(page.get('#mobile').data?.value).toBe('13500135000')
    expect(page.text('#send-mobile-code')).toBe('30 秒')
    expect(page.text('#send-email-code')).toBe('40 秒')

    await page.tapTab('email')
    expect(page.get('#email').data?.value).toBe('zhangsan@example.com')
    expect(page.text('#send-email-code')).toBe('40 秒')
  })

  test('is kept in plain storage as an end time under a hash of the target, never the number itself', async () => {
    await sendMobileCode('13400134000')
    const endsAt = page.data<BindData>().codeEndsAt.mobile
    const stored = device.state.storage.get('eiam.countdowns')
    expect(stored).toMatchObject({ encrypted: false })
    const entries = Object.entries(stored?.value as Record<string, number>)
    expect(entries).toContainEqual([expect.stringMatching(/^bind:mobile:[0-9a-z]+$/), endsAt])
    expect(JSON.stringify(stored?.value)).not.toContain('13400134000')
  })
})

describe('what the user typed', () => {
  test('the tab, area, phone and email survive a reload; codes do not', async () => {
    page.dispatch('#area', 'change', { value: '1' })
    page.typeInto('#mobile', '5123 4567', { blur: true })
    page.typeInto('#mobile-code', '123456')
    await page.tapTab('email')
    page.typeInto('#email', 'lisi@example.com', { blur: true })
    page.unload()
    await page.flush()

    const reopened = await renderReady(() => bindAfterRestart.render())
    expect(reopened.data<BindData>()).toMatchObject({
      tab: 'email',
      areaCode: '+852',
      mobile: '5123 4567',
      email: 'lisi@example.com',
      mobileCode: '',
      emailCode: '',
    })
    expect(reopened.get('#email').data?.value).toBe('lisi@example.com')
    // kept encrypted, like the tokens
    expect(device.state.storage.get('eiam.draft')).toMatchObject({ encrypted: true })
  })

  test('typed without leaving the field, the number survives the page hiding and the app being killed', async () => {
    page.typeInto('#mobile', '13500135001')
    // the app goes to the background (home button, a call) and WeChat later kills it: no blur, no unload
    page.hide()
    await page.flush()

    const reopened = await renderReady(() => bindAfterRestart.render())
    expect(reopened.data<BindData>()).toMatchObject({ tab: 'mobile', mobile: '13500135001' })
    expect(reopened.get('#mobile').data?.value).toBe('13500135001')
  })

  test('a reload after the state token aged out signs in again and keeps the number and its countdown', async () => {
    await sendMobileCode('13100131000')
    page.unload()
    // 11 minutes later: the state token (10 minutes) is too old to carry on with
    jest.advanceTimersByTime(11 * 60 * 1000)
    page = await renderReady(() => bindAfterRestart.render())
    expect(device.state.loginCalls).toBe(2)
    expect(page.data<BindData>()).toMatchObject({ mobile: '13100131000', flow: 'bind' })
    expect(page.text('#send-mobile-code')).toBe(zh.form.send)
  })
})

describe('setData discipline', () => {
  test('typing one character costs the page one setData', () => {
    page.typeInto('#mobile', '1590015900')
    page.resetSetDataCalls()
    page.typeInto('#mobile', '15900159000')
    const summary = page.setDataCalls()
    const onPage = summary.calls.filter((call) => call.component === 'pages/bind/index')
    expect(onPage).toEqual([{ component: 'pages/bind/index', keys: ['mobile'], bytes: 24 }])
  })

  test('typing one character while an error shows clears it in the same setData', () => {
    page.typeInto('#mobile', '138', { blur: true })
    page.resetSetDataCalls()
    page.typeInto('#mobile', '1380')
    const onPage = page.setDataCalls().calls.filter((call) => call.component === 'pages/bind/index')
    expect(onPage).toEqual([
      expect.objectContaining({ component: 'pages/bind/index', keys: ['mobile', 'errors.mobile'] }),
    ])
  })

  test('one countdown tick is one setData, in the countdown component only', async () => {
    await sendMobileCode('13300133000')
    settleTransitions()
    page.resetSetDataCalls()
    jest.advanceTimersByTime(1000)
    const summary = page.setDataCalls()
    expect(summary.calls).toEqual([
      // {"seconds":59,"text":"59 秒"}
      { component: expect.not.stringMatching(/^pages\//), keys: ['seconds', 'text'], bytes: 30 },
    ])
    expect(page.text('#send-mobile-code')).toBe('59 秒')
  })
})
