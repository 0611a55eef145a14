/**
 * The password page (PASSWORD_EXPIRED: forced change; PASSWORD_WARN: change or skip), reached through the app's own
 * flow services: a sign-in, then the username-password bind the bind page's password tab makes, whose status answer
 * the flow routes to this page. (test/pages/bind/password.test.ts drives the same from the tab itself.)
 */
import { startSandbox, type Sandbox } from '../../sandbox'
import { strings } from '../../miniprogram/i18n/index'
import { EIAM_PATHS } from '../../miniprogram/services/eiam'
import { linkWithPassword, signIn } from '../../miniprogram/services/flow'
import { startJourney, type Journey } from '../support/journey'
import { SEEDED } from '../support/sandbox'
import type { PageHandle } from '../support/simulate'

const zh = strings('zh')
const en = strings('en')
const CHANGED_TO = 'Changed@2027'

let sandbox: Sandbox
beforeAll(async () => {
  sandbox = await startSandbox({ port: 0, hooks: true, log: () => undefined })
})
beforeEach(() => sandbox.reset())
afterAll(() => sandbox.close())

/** zhaoliu (expired) or sunqi (about to expire) binds by password; the page the flow opens is rendered. */
async function atPasswordPage(
  user: 'zhaoliu' | 'sunqi',
  options: { language?: string } = {},
): Promise<{ journey: Journey; page: PageHandle; stateToken: string }> {
  const journey = startJourney({ sandbox, wx: options.language ? { language: options.language } : {} })
  expect((await signIn()).route).toMatchObject({ url: '/pages/bind/index' })
  const route = await linkWithPassword(user, SEEDED[user].password)
  expect(route).toEqual({ kind: 'go', method: 'redirectTo', url: '/pages/password/index' })
  const bind = journey.state.requestsTo(EIAM_PATHS.passwordBind)[0]
  const stateToken = (JSON.parse(bind?.responseText ?? '{}') as { state_token: string }).state_token
  const page = journey.open(route.kind === 'go' ? route.url : '')
  await page.waitFor(() => page.data().ready)
  return { journey, page, stateToken }
}

function fill(page: PageHandle, values: { old?: string; new?: string; confirm?: string }) {
  if (values.old !== undefined) page.typeInto('#old-password', values.old)
  if (values.new !== undefined) page.typeInto('#new-password', values.new)
  if (values.confirm !== undefined) page.typeInto('#confirm-password', values.confirm)
}

const passwordsIn = (page: PageHandle) => {
  const { oldPassword, newPassword, confirmPassword } = page.data<Record<string, string>>()
  return [oldPassword, newPassword, confirmPassword]
}

describe('forced mode (PASSWORD_EXPIRED)', () => {
  test('it says the password expired, offers no skip, and a change with the state token goes home', async () => {
    const { journey, page, stateToken } = await atPasswordPage('zhaoliu')

    expect(page.text('.heading')).toBe(zh.password.headingForced)
    expect(page.text('#message')).toContain('示例科技')
    expect(page.exists('#skip')).toBe(false)
    expect(journey.state.navigationBarTitles).toContain(zh.password.title)

    fill(page, { old: SEEDED.zhaoliu.password, new: CHANGED_TO, confirm: CHANGED_TO })
    page.tap('#submit')
    const home = await journey.next()
    expect(journey.urls()).toEqual(['reLaunch /pages/home/index'])
    const [update] = journey.state.requestsTo(EIAM_PATHS.passwordUpdate)
    expect(update?.json).toEqual({ old_password: SEEDED.zhaoliu.password, new_password: CHANGED_TO })
    expect(update?.headers['x-state-token']).toBe(stateToken)
    expect(journey.secure('eiam.flow')).toBeUndefined()
    await home.waitFor(() => home.data().ready)
    expect(home.text('#name')).toBe('赵六')
  })

  test('empty fields and a confirm that differs are refused at their fields, and nothing is sent', async () => {
    const { journey, page } = await atPasswordPage('zhaoliu')

    page.tap('#submit')
    expect(page.fieldError('#old-password')).toBe(zh.password.oldRequired)
    expect(page.fieldError('#new-password')).toBe(zh.password.newRequired)
    expect(page.fieldError('#confirm-password')).toBe(zh.password.confirmRequired)
    fill(page, { old: 'anything', new: 'short', confirm: 'Short' })
    expect(page.fieldError('#old-password')).toBe('')
    page.tap('#submit')
    expect(page.fieldError('#confirm-password')).toBe(zh.password.confirmMismatch)
    // the tenant owns the rules: a short new password is not the client's to refuse
    expect(page.fieldError('#new-password')).toBe('')
    await page.flush()
    expect(journey.state.requestsTo(EIAM_PATHS.passwordUpdate)).toHaveLength(0)
  })

  test("the tenant's refusals stand at the field they name, every attempt clears the fields, and a right change then goes home", async () => {
    const { journey, page } = await atPasswordPage('zhaoliu')

    fill(page, { old: 'Wrong@2026', new: CHANGED_TO, confirm: CHANGED_TO })
    page.tap('#submit')
    expect(passwordsIn(page)).toEqual(['', '', ''])
    await page.waitFor(() => page.fieldError('#old-password'))
    expect(page.fieldError('#old-password')).toBe('old_password 参数错误')
    expect(page.data().submitting).toBe(false)

    fill(page, { old: SEEDED.zhaoliu.password, new: 'Short@7', confirm: 'Short@7' })
    expect(page.fieldError('#old-password')).toBe('')
    page.tap('#submit')
    await page.waitFor(() => page.fieldError('#new-password'))
    expect(page.fieldError('#new-password')).toBe('参数 new_password 格式不正确')
    expect(passwordsIn(page)).toEqual(['', '', ''])

    fill(page, { old: SEEDED.zhaoliu.password, new: CHANGED_TO, confirm: CHANGED_TO })
    page.tap('#submit')
    await journey.next()
    expect(journey.urls()).toEqual(['reLaunch /pages/home/index'])
    expect(journey.state.requestsTo(EIAM_PATHS.passwordUpdate)).toHaveLength(3)
  })

  test('hiding the page clears every password from its data and from the fields', async () => {
    const { page } = await atPasswordPage('zhaoliu')
    fill(page, { old: SEEDED.zhaoliu.password, new: CHANGED_TO, confirm: CHANGED_TO })

    page.hide()
    expect(passwordsIn(page)).toEqual(['', '', ''])
    for (const field of ['#old-password', '#new-password', '#confirm-password']) {
      const vant = page.get(field).instance as unknown as { value: string; data: { innerValue: string } }
      expect([vant.value, vant.data.innerValue]).toEqual(['', ''])
    }
    expect(JSON.stringify(page.data())).not.toContain(CHANGED_TO)
  })

  test('offline, the change fails with a message, the fields are cleared and the buttons work again', async () => {
    const { journey, page } = await atPasswordPage('zhaoliu')
    journey.state.options.offline = true

    fill(page, { old: SEEDED.zhaoliu.password, new: CHANGED_TO, confirm: CHANGED_TO })
    page.tap('#submit')
    await page.waitFor(() => page.text('#notice'))
    expect(page.text('#notice')).toBe(zh.error.network)
    expect(passwordsIn(page)).toEqual(['', '', ''])
    expect(page.data().submitting).toBe(false)
  })

  test('reopened after its state token expired, the page signs in again and follows the answer (home: WeChat is linked)', async () => {
    const { journey } = await atPasswordPage('zhaoliu')
    const record = journey.secure<{ issuedAt: number }>('eiam.flow')
    journey.setSecure('eiam.flow', { ...record, issuedAt: 0 })

    journey.open('/pages/password/index')
    await journey.next()
    expect(journey.urls()).toEqual(['reLaunch /pages/home/index'])
    expect(journey.state.requestsTo(EIAM_PATHS.passwordUpdate)).toHaveLength(0)
  })
})

describe('warning mode (PASSWORD_WARN)', () => {
  test('it says the password expires soon; skip with the state token goes home', async () => {
    const { journey, page, stateToken } = await atPasswordPage('sunqi', { language: 'en' })

    expect(page.text('.heading')).toBe(en.password.headingWarning)
    expect(page.text('#skip')).toBe(en.password.skip)
    page.tap('#skip')
    const home = await journey.next()
    expect(journey.urls()).toEqual(['reLaunch /pages/home/index'])
    const [skip] = journey.state.requestsTo(EIAM_PATHS.passwordSkip)
    expect(skip?.method).toBe('GET')
    expect(skip?.headers['x-state-token']).toBe(stateToken)
    expect(journey.state.requestsTo(EIAM_PATHS.passwordUpdate)).toHaveLength(0)
    await home.waitFor(() => home.data().ready)
    expect(home.text('#name')).toBe('孙七')
  })

  test('changing the password instead goes home, and the next password bind needs the new password', async () => {
    const { journey, page } = await atPasswordPage('sunqi')

    fill(page, { old: SEEDED.sunqi.password, new: CHANGED_TO, confirm: CHANGED_TO })
    page.tap('#submit')
    await journey.next()
    expect(journey.urls()).toEqual(['reLaunch /pages/home/index'])
    expect(journey.state.requestsTo(EIAM_PATHS.passwordSkip)).toHaveLength(0)
    sandbox.reset()
    await signIn()
    await expect(linkWithPassword('sunqi', SEEDED.sunqi.password)).resolves.toMatchObject({
      url: '/pages/password/index',
    })
  })
})
