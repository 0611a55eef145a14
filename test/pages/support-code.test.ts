/**
 * Support without guesswork, through the real pages: every error an employee can see carries the support code of the
 * attempt (id `support-code`), the denied page always does, and the real-time log lines of the attempt are filtered
 * by that same code. A spy on the real-time log across a whole journey and the provoked errors finds no token,
 * verification code, WeChat code, phone number or email in it.
 */
import { strings } from '../../miniprogram/i18n/index'
import { EIAM_PATHS } from '../../miniprogram/services/eiam'
import type { RealtimeLogLine } from '../support/wx-node'
import { installDevice, renderReady, requestCode } from '../support/captcha'
import { launchAs, startJourney, type Journey } from '../support/journey'
import { errorFault, SEEDED, useSandbox } from '../support/sandbox'
import { loadPage, renderPage, type PageHandle } from '../support/simulate'

const zh = strings('zh')
const env = useSandbox()
const CODE_FORM = /^[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}$/

/** The attempt's code as the app stored it. */
function storedCode(journey: Journey): string {
  const entry = journey.state.storage.get('eiam.support')?.value as { code?: string } | undefined
  if (!entry?.code) throw new Error('no support code in storage')
  return entry.code
}

/** What the page shows under its errors: the code, or undefined when there is no `#support-code`. */
function shownCode(page: PageHandle): string | undefined {
  if (!page.exists('#support-code')) return undefined
  const text = page.text('#support-code')
  const match = /([0-9A-Z]{4}-[0-9A-Z]{4})/.exec(text)
  expect(text).toContain(zh.support.hint)
  return match?.[1]
}

type Step = {
  support: string
  step: string
  outcome: string
  kind?: string
  status?: number
  errorCode?: string
}
const stepsOf = (lines: RealtimeLogLine[]) => lines.map((line) => line.args[1] as Step)

/** Launch → bind, by a fresh WeChat identity. */
async function onBindPage(journey: Journey): Promise<PageHandle> {
  journey.open('/pages/launch/index')
  const bind = await journey.reach('pages/bind/index')
  await bind.waitFor(() => bind.data().ready)
  return bind
}

describe('the support code under every error', () => {
  test('on launch: a failed sign-in shows it, and the log line of that step is filtered by it', async () => {
    env.sandbox.fault({ path: EIAM_PATHS.login, times: 1, status: 503 })
    const journey = startJourney({ sandbox: env.sandbox })
    const launch = journey.open('/pages/launch/index')
    await launch.waitFor(() => launch.data().phase === 'error')
    await launch.flush()
    const code = storedCode(journey)
    expect(code).toMatch(CODE_FORM)
    expect(shownCode(launch)).toBe(code)
    expect(journey.state.realtimeLog.map((line) => [line.level, line.filters])).toEqual([['warn', [code]]])
    expect(stepsOf(journey.state.realtimeLog)).toEqual([
      expect.objectContaining({
        support: code,
        step: 'login/wechat-miniprogram',
        kind: 'server',
        status: 503,
      }),
    ])

    // the retry is a new attempt: a new code, shown nowhere until something fails again
    launch.tap('#sign-in')
    await journey.reach('pages/bind/index')
    expect(storedCode(journey)).not.toBe(code)
  })

  test('on the bind page: a notice, a refusal at the code field and a missing tick each show it; fixing them hides it', async () => {
    const journey = startJourney({ sandbox: env.sandbox })
    const bind = await onBindPage(journey)
    const code = storedCode(journey)
    expect(shownCode(bind)).toBeUndefined()

    bind.tap('#send-mobile-code')
    expect(bind.fieldError('#mobile')).toBe(zh.validation.mobileRequired)
    expect(shownCode(bind)).toBe(code)
    bind.typeInto('#mobile', SEEDED.zhangsan.mobile)
    bind.tap('#agree')
    await bind.flush()
    expect(shownCode(bind)).toBeUndefined()

    const sent = await requestCode(bind, env.sandbox, '#send-mobile-code', SEEDED.zhangsan.mobile)
    const wrong = sent === '000000' ? '111111' : '000000'
    bind.typeInto('#mobile-code', wrong)
    bind.tap('#submit')
    await bind.waitFor(() => bind.fieldError('#mobile-code'))
    expect(shownCode(bind)).toBe(code)

    env.sandbox.fault(
      errorFault(EIAM_PATHS.bind, 'IDAAS.SDK.COMMON.1008', '系统繁忙', { status: 500, times: 1 }),
    )
    bind.typeInto('#mobile-code', String(sent))
    bind.tap('#submit')
    await bind.waitFor(() => bind.data().notice)
    expect(bind.text('#notice')).toBe('系统繁忙')
    expect(shownCode(bind)).toBe(code)
    const failures = stepsOf(journey.state.realtimeLog).filter((step) => step.outcome === 'error')
    expect(failures.map((step) => [step.step, step.kind, step.errorCode, step.status])).toEqual([
      ['social/bind', 'rejected', 'SDK.COMMON.1006', 400],
      ['social/bind', 'server', 'SDK.COMMON.1008', 500],
    ])
    for (const line of journey.state.realtimeLog) expect(line.filters).toEqual([code])
  })

  test('on the mfa page: a failed look-up of the phone shows it', async () => {
    env.sandbox.fault({ path: EIAM_PATHS.mobileByToken, times: 1, status: 500 })
    const { journey, page: mfa } = await launchAs(env.sandbox, { user: 'lisi', reach: 'pages/mfa/index' })
    await mfa.waitFor(() => mfa.data().notice)
    expect(shownCode(mfa)).toBe(storedCode(journey))
  })

  test('on home: a failed refresh shows it', async () => {
    const { journey: signedIn, page: home } = await launchAs(env.sandbox, {
      user: 'zhangsan',
      reach: 'pages/home/index',
    })
    await home.waitFor(() => home.data().ready)
    expect(shownCode(home)).toBeUndefined()
    env.sandbox.fault({ path: EIAM_PATHS.refresh, times: 1, status: 500 })
    home.tap('#refresh')
    await home.waitFor(() => home.data().notice)
    expect(shownCode(home)).toBe(storedCode(signedIn))
  })

  test('on the denied page it is always shown: the code of the attempt the policy refused', async () => {
    const { journey, page: denied } = await launchAs(env.sandbox, {
      user: 'wangwu',
      reach: 'pages/denied/index',
    })
    await denied.flush()
    const code = storedCode(journey)
    expect(shownCode(denied)).toBe(code)
    expect(stepsOf(journey.state.realtimeLog)).toEqual([
      expect.objectContaining({
        support: code,
        step: 'login/wechat-miniprogram',
        outcome: 'ok',
        answer: 'ACCESS_DENIED',
      }),
    ])
  })
})

describe('the real-time log keeps no secret', () => {
  test('across a whole journey with its provoked errors: no token, code, WeChat code, phone or email', async () => {
    // fresh module copies: nothing an earlier test left in the shared ones (a puzzle, a cached code) is reused
    const journey = startJourney({ sandbox: env.sandbox, fresh: true })
    const bind = await onBindPage(journey)
    bind.typeInto('#mobile', SEEDED.zhangsan.mobile)
    bind.tap('#agree')
    // one-tap refusals first: their lines carry WeChat's errno, never the event
    bind.dispatch('#one-tap', 'getphonenumber', {
      errMsg: 'getPhoneNumber:fail no permission',
      errno: 1400001,
    })
    bind.dispatch('#one-tap', 'getphonenumber', { errMsg: 'getPhoneNumber:ok', code: '' })
    const sent = String(await requestCode(bind, env.sandbox, '#send-mobile-code', SEEDED.zhangsan.mobile))
    bind.typeInto('#mobile-code', sent === '000000' ? '111111' : '000000')
    bind.tap('#submit')
    await bind.waitFor(() => bind.fieldError('#mobile-code'))
    bind.typeInto('#mobile-code', sent)
    bind.tap('#submit')
    const home = await journey.reach('pages/home/index')
    await home.waitFor(() => home.data().ready)
    home.tap('#refresh')
    await home.waitFor(() => !home.data().refreshing)

    const secrets = new Set<string>([
      sent,
      SEEDED.zhangsan.mobile,
      SEEDED.zhangsan.email,
      ...journey.state.loginCodes,
    ])
    for (const request of journey.state.requests) {
      const answer = JSON.parse(request.responseText || '{}') as Record<string, unknown>
      for (const key of ['state_token', 'session_token', 'id_token', 'captcha_token', 'token', 'secretKey']) {
        if (typeof answer[key] === 'string' && answer[key]) secrets.add(answer[key] as string)
      }
      const wechatCode = (request.json as { code?: unknown } | undefined)?.code
      if (typeof wechatCode === 'string') secrets.add(wechatCode)
      const state = request.headers['x-state-token']
      if (state) secrets.add(state)
    }
    expect(secrets.size).toBeGreaterThan(8)
    const log = JSON.stringify(journey.state.realtimeLog)
    expect([...secrets].filter((secret) => log.includes(secret))).toEqual([])
    expect(log).not.toMatch(/138\d{8}|zhangsan/)

    const steps = stepsOf(journey.state.realtimeLog)
    const described = steps.map((step) => `${step.step} ${step.outcome}${step.kind ? ` ${step.kind}` : ''}`)
    // the country codes arrive whenever they do: their line is somewhere after the login's
    expect(described).toContain('country-codes ok')
    expect(described.filter((line) => line !== 'country-codes ok')).toEqual([
      'login/wechat-miniprogram ok',
      'one-tap error one-tap-quota',
      'one-tap error one-tap-no-code',
      'captcha ok',
      'captcha/verify ok',
      'sms/send ok',
      'social/bind error rejected',
      'social/bind ok',
      'sso/session-token/id-token ok',
    ])
    expect(steps.find((step) => step.kind === 'one-tap-quota')).toMatchObject({ errorCode: '1400001' })
    for (const step of steps) expect(step).toMatchObject({ baseLibrary: '3.6.6', platform: 'ios' })
  })
})

describe('the funnel', () => {
  const bindAnalytics = loadPage('pages/bind/index', { tenant: { analytics: true } })
  // its own module copy (with the default spelled out): the shared one carries the earlier journeys' puzzles
  const bindDefault = loadPage('pages/bind/index', { tenant: { analytics: false } })

  test('with analytics on, a bind reports page shown, code sent and bound, with enumerations only', async () => {
    const device = installDevice(env.sandbox)
    const bind = await renderReady(() => renderPage(bindAnalytics))
    bind.typeInto('#mobile', SEEDED.zhangsan.mobile)
    bind.tap('#agree')
    const sent = String(await requestCode(bind, env.sandbox, '#send-mobile-code', SEEDED.zhangsan.mobile))
    bind.typeInto('#mobile-code', sent)
    bind.tap('#submit')
    await bind.waitFor(() => device.state.navigation.length)
    expect(device.state.reportedEvents).toEqual([
      { eventId: 'bind_page_shown', data: { flow: 'bind' } },
      { eventId: 'code_sent', data: { channel: 'mobile' } },
      { eventId: 'bound', data: { channel: 'mobile', flow: 'bind' } },
    ])
  })

  test('off by default: nothing is reported', async () => {
    const device = installDevice(env.sandbox)
    const bind = await renderReady(() => renderPage(bindDefault))
    bind.typeInto('#mobile', SEEDED.zhangsan.mobile)
    bind.tap('#agree')
    await requestCode(bind, env.sandbox, '#send-mobile-code', SEEDED.zhangsan.mobile)
    expect(device.state.reportedEvents).toEqual([])
    expect(device.state.calls).not.toContain('reportEvent')
  })
})
