/**
 * The bind page's two Vant tabs, shown as the login's `socialBindOrRegisterFlow` allows (both when it says
 * nothing), and the mobile tab's area code: +86 by default, the list from the country-codes API, the built-in list
 * when that call fails.
 */
import { fill } from '../../../miniprogram/i18n/index'
import { zh } from '../../../miniprogram/i18n/zh'
import { EIAM_PATHS } from '../../../miniprogram/services/eiam'
import {
  installDevice,
  loadPageAfterRestart,
  renderReady,
  serverLog,
  serverPaths,
} from '../../support/captcha'
import { useSandbox } from '../../support/sandbox'
import { loadPage, renderPage, type PageHandle } from '../../support/simulate'

const bind = loadPage('pages/bind/index')
/** The area list is fetched once per app run: these start the app afresh. */
const bindInFreshApp = [loadPageAfterRestart('pages/bind/index'), loadPageAfterRestart('pages/bind/index')]

const tabTitles = (page: PageHandle) =>
  page
    .get('#tabs')
    .querySelectorAll('.van-tab')
    .map((tab) => tab.text())

const areaNames = (page: PageHandle) => page.data<{ areaNames: string[] }>().areaNames

describe.each([
  ['says nothing (data: null)', [], ['手机号', '邮箱'], 'mobile'],
  ['allows both', ['VERIFY_PHONE', 'VERIFY_EMAIL'], ['手机号', '邮箱'], 'mobile'],
  ['allows the phone only', ['VERIFY_PHONE'], ['手机号'], 'mobile'],
  ['allows the email only', ['VERIFY_EMAIL'], ['邮箱'], 'email'],
  [
    'lists the email beside a method this app does not know',
    ['VERIFY_FACE', 'VERIFY_EMAIL'],
    ['邮箱'],
    'email',
  ],
])('when socialBindOrRegisterFlow %s', (_, flows, titles, first) => {
  const env = useSandbox({ flows })

  test(`the page shows the tabs ${titles.join(' + ')}, ${first} first`, async () => {
    installDevice(env.sandbox)
    const page = await renderReady(() => renderPage(bind))
    expect(tabTitles(page)).toEqual(titles)
    expect(page.data().tab).toBe(first)
    expect(page.exists('#mobile')).toBe(titles.includes(zh.bind.tabMobile))
    expect(page.exists('#email')).toBe(titles.includes(zh.bind.tabEmail))
    // one-tap is a phone number: it goes with the mobile tab
    expect(page.exists('#one-tap')).toBe(titles.includes(zh.bind.tabMobile))
    if (titles.length === 2) {
      await page.tapTab('email')
      expect(page.data().tab).toBe('email')
    } else {
      const other = first === 'mobile' ? 'email' : 'mobile'
      await expect(page.tapTab(other)).rejects.toThrow('has no tab named')
      expect(page.exists(`#${other}`)).toBe(false)
    }
  })
})

describe('when socialBindOrRegisterFlow lists only methods this app cannot offer', () => {
  const env = useSandbox({ flows: ['VERIFY_USERNAME', 'VERIFY_FACE'] })

  test('the page says so with the support contact, offers no tab, no code and no one-tap, only "not now"', async () => {
    installDevice(env.sandbox)
    const page = await renderReady(() => renderPage(bind))

    expect(page.text('#no-methods')).toBe(
      fill(zh.bind.noMethods, { organisation: '示例科技', contact: 'IT 服务台 · it-help@example.com' }),
    )
    for (const id of ['#tabs', '#mobile', '#email', '#submit', '#one-tap', '#agree']) {
      expect(page.exists(id)).toBe(false)
    }
    expect(page.exists('#not-now')).toBe(true)
    // the sign-in that brought the list, and nothing else: no country codes for a phone field it does not show
    expect(serverPaths(env.sandbox)).toEqual([EIAM_PATHS.login])
  })
})

describe('the area code', () => {
  const env = useSandbox()

  test('is +86 by default, with the list of the country-codes API', async () => {
    installDevice(env.sandbox)
    env.sandbox.fault({
      path: EIAM_PATHS.countryCodes,
      status: 200,
      body: {
        phoneAreaCodeDefinitions: [
          {
            areaCode: '+86',
            countryCode: 'CN',
            displayMapping: { zh: '中国大陆', en: 'Chinese mainland' },
            mobileRegex: '^(\\+86){0,1}\\-?1\\d{10}$',
          },
          {
            areaCode: '+44',
            countryCode: 'GB',
            displayMapping: { zh: '英国', en: 'United Kingdom' },
            mobileRegex: '^(\\+44){0,1}\\-?7\\d{9}$',
          },
        ],
        preferredAreaCode: '+86',
      },
    })
    const page = await renderReady(() => bindInFreshApp[0]!.render())
    expect(page.text('#area')).toBe('+86▾')
    expect(areaNames(page)).toEqual(['+86 中国大陆', '+44 英国'])

    page.dispatch('#area', 'change', { value: '1' })
    expect(page.text('#area')).toBe('+44▾')
    page.typeInto('#mobile', '612345678', { blur: true })
    expect(page.fieldError('#mobile')).toBe('这不是有效的 +44 手机号')
    page.typeInto('#mobile', '7123 456789', { blur: true })
    expect(page.fieldError('#mobile')).toBe('')
  })

  test('falls back to the built-in list when country-codes fails, and asks again next time', async () => {
    const device = installDevice(env.sandbox)
    env.sandbox.fault({ path: EIAM_PATHS.countryCodes, status: 500 })
    const fresh = bindInFreshApp[1]!
    const page = await renderReady(() => fresh.render())
    expect(device.state.requestsTo(EIAM_PATHS.countryCodes)).toEqual([
      expect.objectContaining({ statusCode: 500 }),
    ])
    expect(page.data().notice).toBe('')
    expect(page.text('#area')).toBe('+86▾')
    expect(areaNames(page)).toEqual([
      '+86 中国大陆',
      '+852 中国香港',
      '+853 中国澳门',
      '+886 中国台湾',
      '+65 新加坡',
      '+1 美国',
    ])
    page.dispatch('#area', 'change', { value: '1' })
    page.typeInto('#mobile', '1234 5678', { blur: true })
    expect(page.fieldError('#mobile')).toBe('这不是有效的 +852 手机号')
    page.unload()

    const log = serverLog(env.sandbox)
    const again = await renderReady(() => fresh.render())
    expect(log.since()).toEqual([EIAM_PATHS.countryCodes])
    // the area picked before is kept with the draft
    expect(again.text('#area')).toBe('+852▾')
  })

  test('the names follow the user language', async () => {
    installDevice(env.sandbox, { language: 'en' })
    const page = await renderReady(() => renderPage(bind))
    expect(areaNames(page)[0]).toBe('+86 Chinese mainland')
    expect(tabTitles(page)).toEqual(['Mobile', 'Email'])
  })
})
