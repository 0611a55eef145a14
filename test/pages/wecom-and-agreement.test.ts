/**
 * Inside WeCom the launch page says the app must be opened from WeChat instead of failing at login; and the agreement
 * the user accepted is kept by version: it stands across restarts, and a raised version asks again before the next
 * send or bind.
 */
import { strings } from '../../miniprogram/i18n/index'
import { installDevice, loadPageAfterRestart, renderReady, serverLog } from '../support/captcha'
import { startJourney } from '../support/journey'
import { useSandbox } from '../support/sandbox'
import { loadPage, renderPage } from '../support/simulate'

const zh = strings('zh')
const env = useSandbox()
const bind = loadPage('pages/bind/index')
const bindRaised = loadPage('pages/bind/index', { tenant: { agreementVersion: 2 } })
/** The mini program killed and reopened on the bind page: fresh modules, the same storage. */
const bindAfterRestart = loadPageAfterRestart('pages/bind/index')

describe('inside WeCom', () => {
  test('launch says to open the app from WeChat, offers only "not now", and never calls login', async () => {
    const journey = startJourney({ sandbox: env.sandbox, wx: { environment: 'wxwork' } })
    const launch = journey.open('/pages/launch/index')
    await launch.flush()
    expect(launch.text('#wecom')).toBe(zh.wecom.title)
    expect(launch.text('#error')).toContain(zh.wecom.message)
    expect(launch.exists('#sign-in')).toBe(false)
    expect(launch.exists('#support-code')).toBe(true)
    launch.tap('#not-now')
    expect(journey.state.exitMiniProgramCalls).toBe(1)
    expect(journey.state.loginCalls).toBe(0)
    expect(journey.state.requests).toHaveLength(0)
    expect(journey.state.realtimeLog.map((line) => line.args[1])).toEqual([
      expect.objectContaining({ step: 'wecom', outcome: 'error', kind: 'wecom' }),
    ])
  })

  test('a page that signs in by itself (bind, reloaded without a flow) gets the same message instead of a login', async () => {
    const device = installDevice(env.sandbox, { environment: 'wxwork' })
    const page = renderPage(bind)
    await page.waitFor(() => page.data().notice)
    expect(page.text('#notice')).toBe(zh.wecom.message)
    expect(device.state.loginCalls).toBe(0)
  })
})

describe('the agreement, versioned', () => {
  test('accepted once, it stands across restarts; raised by the tenant, it is asked again before the next send', async () => {
    const device = installDevice(env.sandbox)
    const log = serverLog(env.sandbox)
    const first = await renderReady(() => renderPage(bind))
    expect(first.data().agreed).toBe(false)
    first.tap('#agree')
    expect(device.state.storage.get('eiam.agreement')).toEqual({ value: { version: 1 }, encrypted: false })
    first.unload()

    const again = await renderReady(() => bindAfterRestart.render())
    expect(again.data().agreed).toBe(true)
    expect(again.exists('#agree-error')).toBe(false)
    again.unload()

    const raised = await renderReady(() => renderPage(bindRaised))
    expect(raised.data().agreed).toBe(false)
    expect(raised.text('#agree-error')).toBe(zh.agreement.updated)
    log.mark()
    raised.typeInto('#mobile', '13800138000')
    raised.tap('#send-mobile-code')
    expect(raised.text('#agree-error')).toBe(zh.agreement.updated)
    expect(raised.data<{ captcha: { open: boolean } }>().captcha.open).toBe(false)
    raised.tap('#submit')
    expect(raised.text('#agree-error')).toBe(zh.agreement.updated)
    await raised.flush()
    expect(log.since()).toEqual([])

    raised.tap('#agree')
    expect(raised.exists('#agree-error')).toBe(false)
    expect(device.state.storage.get('eiam.agreement')).toEqual({ value: { version: 2 }, encrypted: false })
    raised.tap('#send-mobile-code')
    expect(raised.data<{ captcha: { open: boolean } }>().captcha.open).toBe(true)
  })
})
