/**
 * "Didn't get the code?" under each code field once a code was sent: where it went (masked), when a new one can be
 * asked for (the live countdown), the other channel where this page and tenant offer it, and the support contact;
 * the same after the app is killed and reopened while the countdown runs.
 */
import type { Sandbox } from '../../sandbox'
import { en } from '../../miniprogram/i18n/en'
import { zh } from '../../miniprogram/i18n/zh'
import { EIAM_PATHS } from '../../miniprogram/services/eiam'
import { TENANTS } from '../../miniprogram/config/tenant'
import { installDevice, loadPageAfterRestart, renderReady, requestCode } from '../support/captcha'
import { mfaOnTenant } from '../support/journey'
import { SEEDED, useSandbox } from '../support/sandbox'
import { loadPage, renderPage, type PageHandle } from '../support/simulate'

const bind = loadPage('pages/bind/index')
const bindAfterRestart = loadPageAfterRestart('pages/bind/index')

const support = (lang: 'zh' | 'en') =>
  (lang === 'zh' ? zh : en).codes.helpSupport.replace('{contact}', TENANTS.develop.supportContact[lang])

/** Opens the help under the code field and answers what it says, part by part ('' for a part not shown). */
function openHelp(page: PageHandle) {
  page.tap('#code-help')
  const part = (id: string) => (page.exists(id) ? page.text(id) : '')
  return {
    target: part('#code-help-target'),
    resend: part('#code-help-resend'),
    channel: part('#code-help-channel'),
    support: part('#code-help-support'),
  }
}

describe('on a tenant whose bind offers SMS and email', () => {
  const env = useSandbox()

  test('nothing before a code is sent; after, where it went, the countdown, email instead and the support contact', async () => {
    installDevice(env.sandbox)
    const page = await renderReady(() => renderPage(bind))
    page.tap('#agree')
    page.typeInto('#mobile', '13800138031')
    expect(page.exists('#code-help')).toBe(false)

    await requestCode(page, env.sandbox, '#send-mobile-code', '13800138031')
    expect(page.text('#code-help')).toBe(zh.codes.help)
    const help = openHelp(page)
    expect(help.target).toBe(`${zh.codes.helpSentTo} 138****8031`)
    expect(help.resend).toMatch(/^(59|60) 秒后可重新获取。$/)
    expect(help.channel).toContain(zh.codes.helpOtherEmail)
    expect(help.support).toBe(support('zh'))
    // the code itself is nowhere in the page's data
    const code = env.sandbox.lastCode('13800138031') as string
    expect(JSON.stringify(page.data())).not.toContain(code)

    // "Use email": the email tab, the help closed, the phone kept; only the shown tab's help exists
    page.tap('#code-help-switch-channel')
    await page.flush()
    expect(page.data()).toMatchObject({ tab: 'email', codeHelpOpen: '', mobile: '13800138031' })
    expect(page.exists('#code-help')).toBe(false)
  })

  test('in English, after an email: the masked address and the spam-folder hint, SMS instead', async () => {
    installDevice(env.sandbox, { language: 'en' })
    const page = await renderReady(() => renderPage(bind))
    page.tap('#agree')
    await page.tapTab('email')
    page.typeInto('#email', SEEDED.zhangsan.email)
    await requestCode(page, env.sandbox, '#send-email-code', SEEDED.zhangsan.email, {
      path: EIAM_PATHS.emailSend,
    })
    const help = openHelp(page)
    expect(help.target).toBe(`${en.codes.helpSentTo} z***@example.com`)
    expect(page.text('#code-help-panel')).toContain(en.codes.helpEmail)
    expect(help.channel).toContain(en.codes.helpOtherMobile)
    expect(help.support).toBe(support('en'))
    // a second tap closes it
    page.tap('#code-help')
    expect(page.exists('#code-help-panel')).toBe(false)
  })

  test('the app killed and reopened while the countdown runs: the help is there again for the typed phone', async () => {
    installDevice(env.sandbox)
    const page = await renderReady(() => renderPage(bind))
    page.tap('#agree')
    page.typeInto('#mobile', '13800138032', { blur: true })
    await requestCode(page, env.sandbox, '#send-mobile-code', '13800138032')
    page.unload()

    const reopened = await renderReady(() => bindAfterRestart.render())
    await reopened.waitFor(() => reopened.exists('#code-help'))
    expect(openHelp(reopened).target).toBe(`${zh.codes.helpSentTo} 138****8032`)
  })
})

describe('on a tenant whose bind offers email only', () => {
  const env = useSandbox({ flows: ['VERIFY_EMAIL'] })

  test('there is no other channel to offer: where it went, the countdown and the support contact', async () => {
    installDevice(env.sandbox)
    const page = await renderReady(() => renderPage(bind))
    page.tap('#agree')
    page.typeInto('#email', SEEDED.lisi.email)
    await requestCode(page, env.sandbox, '#send-email-code', SEEDED.lisi.email, {
      path: EIAM_PATHS.emailSend,
    })
    const help = openHelp(page)
    expect(help).toMatchObject({ target: `${zh.codes.helpSentTo} l***@example.com`, channel: '' })
    expect(help.support).toBe(support('zh'))
  })
})

describe('on the second-factor page', () => {
  const develop = useSandbox()
  const trial = useSandbox({ clientId: TENANTS.trial.clientId })

  async function mfaHelp(sandbox: Sandbox, tenant: 'develop' | 'trial') {
    // fresh modules: the other test's countdown for the same phone lives in the shared ones
    const mfa = await mfaOnTenant(sandbox, tenant, { fresh: true })
    await requestCode(mfa, sandbox, '#send-code', SEEDED.lisi.mobile)
    return { mfa, help: openHelp(mfa) }
  }

  test('a tenant with email for the second factor offers it, and "Use email" switches the page', async () => {
    const { mfa, help } = await mfaHelp(develop.sandbox, 'develop')
    expect(help.target).toBe(`${zh.codes.helpSentTo} 139****9000`)
    expect(help.channel).toContain(zh.codes.helpOtherEmail)
    mfa.tap('#code-help-switch-channel')
    await mfa.flush()
    expect(mfa.data()).toMatchObject({ channel: 'email' })
  })

  test('a tenant without it offers no other channel, only the support contact', async () => {
    const { help } = await mfaHelp(trial.sandbox, 'trial')
    expect(help.channel).toBe('')
    expect(help.support).toContain(TENANTS.trial.supportContact.zh)
  })
})
