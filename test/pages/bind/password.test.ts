/**
 * The bind page's password tab (tenant option `bindMethods` with `password`), reached the real way (launch → login →
 * SOCIAL_BIND → bind page), against the sandbox's seeded passwords: each seeded user's outcome, wrong credentials,
 * the lockout, the password statuses through the password page, and where the password is (never) kept.
 */
import type { BindMethod } from '../../../miniprogram/config/types'
import { strings } from '../../../miniprogram/i18n/index'
import { EIAM_PATHS } from '../../../miniprogram/services/eiam'
import { formatClockUp } from '../../../miniprogram/utils/format'
import { appPage, fillPasswordChange, startJourney, type Journey } from '../../support/journey'
import { errorFault, SEEDED, useSandbox } from '../../support/sandbox'
import { developTenantOf, type PageHandle, renderPage } from '../../support/simulate'

const zh = strings('zh')
const env = useSandbox()
const BIND_PAGE = 'pages/bind/index'

/** The bind page's own copy of the develop tenant: set per test, put back after it. */
const bindTenant = developTenantOf(appPage(BIND_PAGE))
const defaultMethods = bindTenant.bindMethods
afterEach(() => {
  bindTenant.bindMethods = defaultMethods
})

async function atBindPage(
  methods: BindMethod[] = ['mobile', 'email', 'password'],
  sandbox = env.sandbox,
): Promise<{ journey: Journey; bind: PageHandle }> {
  bindTenant.bindMethods = methods
  const journey = startJourney({ sandbox })
  journey.open('/pages/launch/index')
  const bind = await journey.nextReady()
  expect(journey.route()).toBe(BIND_PAGE)
  return { journey, bind }
}

const tabTitles = (page: PageHandle) =>
  page
    .get('#tabs')
    .querySelectorAll('.van-tab')
    .map((tab) => tab.text())

/** Opens the password tab, accepts the agreement once, types the credentials and taps bind. */
async function bindByPassword(bind: PageHandle, userName: string, password: string): Promise<void> {
  if (bind.data().tab !== 'password') await bind.tapTab('password')
  if (!bind.data().agreed) bind.tap('#agree')
  bind.typeInto('#user-name', userName)
  bind.typeInto('#password', password)
  bind.tap('#submit')
}

const passwordBinds = (journey: Journey) => journey.state.requestsTo(EIAM_PATHS.passwordBind)

describe('which tabs show', () => {
  test('the tenant option adds the password tab after the code tabs; its fields and toggle are there', async () => {
    const { bind } = await atBindPage()
    expect(tabTitles(bind)).toEqual([zh.bind.tabMobile, zh.bind.tabEmail, zh.bind.tabPassword])
    await bind.tapTab('password')
    expect(
      ['#user-name', '#password', '#show-password', '#agree', '#submit'].map((id) => bind.exists(id)),
    ).toEqual([true, true, true, true, true])
    expect(bind.exists('#send-mobile-code')).toBe(true) // the code tabs are still there
    expect(bind.text('.intro')).toBe(zh.bind.introWithPassword.replace('{organisation}', '示例科技'))
  })

  test('a tenant of passwords only gets the password tab alone, with no one-tap and no captcha to open', async () => {
    const { bind } = await atBindPage(['password'])
    expect(tabTitles(bind)).toEqual([zh.bind.tabPassword])
    expect(bind.data().tab).toBe('password')
    expect(bind.exists('#one-tap')).toBe(false)
    expect(bind.text('.intro')).toBe(zh.bind.introPassword.replace('{organisation}', '示例科技'))
  })

  describe('when socialBindOrRegisterFlow names only VERIFY_PASSWORD (no method this app has a code tab for)', () => {
    const onlyPassword = useSandbox({ flows: ['VERIFY_PASSWORD'] })

    test('the option decides: with password, the password tab alone; without, the "no methods" message', async () => {
      const { bind } = await atBindPage(['mobile', 'email', 'password'], onlyPassword.sandbox)
      expect(tabTitles(bind)).toEqual([zh.bind.tabPassword])
      expect(bind.exists('#no-methods')).toBe(false)
      bind.unload()
      const { bind: without } = await atBindPage(['mobile', 'email'], onlyPassword.sandbox)
      expect(without.exists('#no-methods')).toBe(true)
      expect(without.exists('#tabs')).toBe(false)
    })
  })

  test('without the option there is no password tab', async () => {
    const { bind } = await atBindPage(['mobile', 'email'])
    expect(tabTitles(bind)).toEqual([zh.bind.tabMobile, zh.bind.tabEmail])
    expect(bind.exists('#user-name')).toBe(false)
  })
})

describe('binding by password', () => {
  test.each([
    ['zhangsan', 'reLaunch /pages/home/index'],
    ['lisi', 'redirectTo /pages/mfa/index'],
    ['wangwu', 'reLaunch /pages/denied/index'],
    ['zhaoliu', 'redirectTo /pages/password/index'],
    ['sunqi', 'redirectTo /pages/password/index'],
  ] as const)('%s binds with the seeded password and goes where the answer says', async (user, next) => {
    const { journey, bind } = await atBindPage()
    await bindByPassword(bind, ` ${user} `, SEEDED[user].password)
    await bind.waitFor(() => journey.pendingNavigation().length > 0)
    expect(journey.urls().at(-1)).toBe(next)
    const [request] = passwordBinds(journey)
    expect(request?.json).toEqual({ user_name: user, password: SEEDED[user].password })
    expect(request?.headers['x-state-token']).toBeTruthy()
    // nothing but the request holds the password: not the page, not storage
    expect(bind.data().password).toBe('')
    expect(JSON.stringify([...journey.state.storage.values()])).not.toContain(SEEDED[user].password)
  })

  test('empty fields and an unticked agreement are refused at their places, and nothing is sent', async () => {
    const { journey, bind } = await atBindPage(['password'])
    bind.tap('#submit')
    expect(bind.fieldError('#user-name')).toBe(zh.validation.userNameRequired)
    expect(bind.fieldError('#password')).toBe(zh.validation.passwordRequired)
    expect(bind.text('#agree-error')).toBe(zh.validation.agreementRequired)
    bind.typeInto('#user-name', '   ')
    bind.typeInto('#password', 'something')
    bind.tap('#submit')
    expect(bind.fieldError('#user-name')).toBe(zh.validation.userNameRequired)
    await bind.flush()
    expect(passwordBinds(journey)).toHaveLength(0)
  })

  test("a wrong password: the server's message under the password field, the field emptied, the user name kept", async () => {
    const { journey, bind } = await atBindPage()
    await bindByPassword(bind, 'zhangsan', 'Zhangsan@2025')
    await bind.waitFor(() => bind.fieldError('#password'))
    expect(bind.fieldError('#password')).toBe('password 参数错误')
    expect(bind.data()).toMatchObject({ userName: 'zhangsan', password: '', submitting: false })
    expect(bind.text('#notice')).toBe('')

    // the field was emptied: the user types it again, and the right one goes home
    bind.typeInto('#password', SEEDED.zhangsan.password)
    expect(bind.fieldError('#password')).toBe('')
    bind.tap('#submit')
    await journey.next()
    expect(journey.urls().at(-1)).toBe('reLaunch /pages/home/index')
  })

  test('the user name is kept in the draft across a reload; the password never is', async () => {
    const { journey, bind } = await atBindPage()
    await bind.tapTab('password')
    bind.typeInto('#user-name', 'lisi')
    bind.typeInto('#password', 'Half-typed#1')
    bind.hide()
    expect(bind.data().password).toBe('')
    expect(journey.secure('eiam.draft')).toMatchObject({ tab: 'password', userName: 'lisi' })
    expect(JSON.stringify([...journey.state.storage.values()])).not.toContain('Half-typed#1')

    // the app killed and reopened: fresh modules, the same storage
    bind.unload()
    const reopened = appPage(BIND_PAGE, { fresh: true })
    developTenantOf(reopened).bindMethods = ['mobile', 'email', 'password']
    const again = renderPage(reopened)
    await again.waitFor(() => again.data().ready)
    expect(again.data()).toMatchObject({ tab: 'password', userName: 'lisi', password: '' })
  })

  test('hiding the page empties the password from its data and its field, and hides it again', async () => {
    const { bind } = await atBindPage(['password'])
    bind.typeInto('#password', 'Shown#Secret1')
    bind.tap('#show-password')
    expect(bind.data().passwordShown).toBe(true)
    expect(bind.get('#password').data?.password).toBe(false)
    expect(bind.get('#show-password').text()).toBe(zh.bind.hidePassword)

    bind.hide()
    expect(bind.data()).toMatchObject({ password: '', passwordShown: false })
    const field = bind.get('#password').instance as unknown as { value: string; data: { innerValue: string } }
    expect([field.value, field.data.innerValue]).toEqual(['', ''])
    expect(bind.get('#password').data?.password).toBe(true)
    expect(JSON.stringify(bind.data())).not.toContain('Shown#Secret1')
  })
})

describe('the lockout', () => {
  test('the 5th wrong try locks the tab until the time the tenant says; the other tabs stay usable', async () => {
    const { journey, bind } = await atBindPage()
    for (let attempt = 1; attempt <= 5; attempt++) {
      await bindByPassword(bind, 'wangwu', `Wrong#${attempt}`)
      await bind.waitFor(() => passwordBinds(journey).length === attempt && !bind.data().submitting)
    }
    const lockedAt = Date.now()
    await bind.waitFor(() => bind.exists('#password-locked'))
    const text = bind.text('#password-locked')
    const expected = [lockedAt, lockedAt + 2000].map((at) =>
      zh.bind.passwordLocked.replace('{time}', formatClockUp(at + 15 * 60_000)),
    )
    expect(expected).toContain(text)
    expect(bind.get('#submit').data?.disabled).toBe(true)

    // the bind button does nothing on this tab while locked, even to the right password
    bind.typeInto('#password', SEEDED.wangwu.password)
    bind.tap('#submit')
    await bind.flush()
    expect(passwordBinds(journey)).toHaveLength(5)

    await bind.tapTab('mobile')
    expect(bind.get('#submit').data?.disabled).toBe(false)
    bind.typeInto('#mobile', SEEDED.zhangsan.mobile)
    bind.tap('#send-mobile-code')
    await bind.waitFor(() => bind.find(['#captcha', '#captcha-handle']))
  })

  test('when the lock ends the bind button works again, and a lock whose end is not said only shows the message', async () => {
    const { journey, bind } = await atBindPage(['password'])
    env.sandbox.fault(
      errorFault(EIAM_PATHS.passwordBind, 'IDAAS.SDK.LOGIN.1003', '用户已锁定，0 分 1 秒后解锁'),
    )
    await bindByPassword(bind, 'zhangsan', 'Wrong#1')
    await bind.waitFor(() => bind.data().lockedUntil)
    expect(bind.get('#submit').data?.disabled).toBe(true)
    await bind.waitFor(() => !bind.data().lockedUntil, 3000)
    expect(bind.exists('#password-locked')).toBe(false)
    expect(bind.get('#submit').data?.disabled).toBe(false)

    env.sandbox.fault(errorFault(EIAM_PATHS.passwordBind, 'IDAAS.SDK.LOGIN.1003', 'User locked'))
    await bindByPassword(bind, 'zhangsan', 'Wrong#2')
    await bind.waitFor(() => bind.text('#notice'))
    expect(bind.text('#notice')).toBe('User locked')
    expect(bind.data().lockedUntil).toBe(0)
    expect(passwordBinds(journey)).toHaveLength(2)
  })
})

describe('the password statuses, from the tab', () => {
  test('expired (赵六): the forced password page, change, then home', async () => {
    const { journey, bind } = await atBindPage()
    await bindByPassword(bind, 'zhaoliu', SEEDED.zhaoliu.password)
    const page = await journey.nextReady()
    expect(page.data().mode).toBe('forced')
    expect(page.exists('#skip')).toBe(false)
    fillPasswordChange(page, SEEDED.zhaoliu.password, 'Zhaoliu@2027')
    page.tap('#submit')
    const home = await journey.nextReady()
    expect(journey.urls()).toEqual([
      'redirectTo /pages/bind/index',
      'redirectTo /pages/password/index',
      'reLaunch /pages/home/index',
    ])
    expect(home.text('#name')).toBe('赵六')
    const secrets = [SEEDED.zhaoliu.password, 'Zhaoliu@2027']
    const stored = JSON.stringify([...journey.state.storage.values()])
    expect(secrets.filter((secret) => stored.includes(secret))).toEqual([])
  })

  test('about to expire (孙七): the warning page, skip, then home', async () => {
    const { journey, bind } = await atBindPage()
    await bindByPassword(bind, 'sunqi', SEEDED.sunqi.password)
    const page = await journey.nextReady()
    expect(page.data().mode).toBe('warning')
    page.tap('#skip')
    const home = await journey.nextReady()
    expect(journey.urls().at(-1)).toBe('reLaunch /pages/home/index')
    expect(home.text('#name')).toBe('孙七')
  })
})
