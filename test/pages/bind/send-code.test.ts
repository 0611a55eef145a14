/**
 * Sending a code from the bind page: the slider captcha opens for exactly the typed phone or email, a solved
 * puzzle sends the code with the `type` of the flow, and only then does the 60 s countdown start on that button.
 *
 * The page's modules (and the countdown end times they keep in memory) live for the whole file, as in one run of
 * the mini program: each test sends to its own number so no test starts inside another one's countdown.
 */
import type { Sandbox } from '../../../sandbox'
import { encodePng } from '../../../sandbox/png'
import { zh } from '../../../miniprogram/i18n/zh'
import { EIAM_PATHS } from '../../../miniprogram/services/eiam'
import {
  bodiesTo,
  installDevice,
  openOnDevice,
  readyPuzzle,
  renderReady,
  requestCode,
  solveCaptcha,
  type ServerLog,
} from '../../support/captcha'
import { shortPath } from '../../support/journey'
import { useSandbox } from '../../support/sandbox'
import { loadPage, renderPage, type PageHandle } from '../../support/simulate'
import type { WxNode } from '../../support/wx-node'

const bind = loadPage('pages/bind/index')

interface CaptchaData {
  phase: string
  message: string
  sender: string
  show: boolean
}

const captchaData = (page: PageHandle) => page.get('#captcha').data as unknown as CaptchaData
const puzzlesServed = (sandbox: Sandbox) => bodiesTo(sandbox, EIAM_PATHS.captcha).length

describe('in the bind flow', () => {
  const env = useSandbox()
  /** The next sms/send answers 400 with this code (without its `IDAAS.` prefix) and message. */
  const refuseNextSend = (code: string, message: string) =>
    env.sandbox.fault({
      path: EIAM_PATHS.smsSend,
      status: 400,
      body: { error_code: `IDAAS.SDK.${code}`, error_msg: message },
    })
  let device: WxNode
  let page: PageHandle
  let log: ServerLog

  beforeEach(async () => {
    // a frozen clock: the countdown shows exactly what the page computed, however long the test takes
    jest.useFakeTimers()
    ;({ device, page, log } = await openOnDevice(env.sandbox, bind))
    page.tap('#agree')
  })
  afterEach(() => {
    jest.useRealTimers()
  })

  test('send opens the puzzle for exactly the typed phone, and the code goes out as BIND_MOBILE_SMS once it is solved', async () => {
    page.typeInto('#mobile', '138 0013 8000')
    page.tap('#send-mobile-code')
    expect(page.data().captcha).toEqual({ open: true, sender: '13800138000', channel: 'mobile' })
    const { token } = await readyPuzzle(page)
    expect(captchaData(page).sender).toBe('13800138000')
    // nothing is sent and nothing counts down before the puzzle is solved
    expect(log.since()).toEqual([EIAM_PATHS.captcha])
    expect(page.text('#send-mobile-code')).toBe(zh.form.send)

    await solveCaptcha(page, env.sandbox)
    await page.waitFor(() => page.data<{ codeEndsAt: { mobile: number } }>().codeEndsAt.mobile)
    expect(log.since()).toEqual([EIAM_PATHS.captcha, EIAM_PATHS.captchaVerify, EIAM_PATHS.smsSend])
    const [verify] = bodiesTo(env.sandbox, EIAM_PATHS.captchaVerify)
    expect(verify).toMatchObject({ token, sender: '13800138000' })
    expect(bodiesTo(env.sandbox, EIAM_PATHS.smsSend)).toEqual([
      { mobile: '13800138000', type: 'BIND_MOBILE_SMS', captcha_token: expect.stringContaining(token) },
    ])
    expect(env.sandbox.outbox()).toEqual([
      expect.objectContaining({ channel: 'sms', target: '13800138000', type: 'BIND_MOBILE_SMS' }),
    ])
    expect(page.data().codeEndsAt).toEqual({ mobile: Date.now() + 60000, email: 0 })
    expect(page.text('#send-mobile-code')).toBe('60 秒')
    expect(captchaData(page).show).toBe(false)
    expect(device.state.toasts).toContainEqual(expect.objectContaining({ title: zh.codes.sent }))
  })

  test('on the email tab the code goes to exactly the typed address as BIND_EMAIL_EMS', async () => {
    await page.tapTab('email')
    page.typeInto('#email', 'Zhangsan@Example.com')
    page.tap('#send-email-code')
    expect(page.data().captcha).toEqual({ open: true, sender: 'Zhangsan@Example.com', channel: 'email' })
    await solveCaptcha(page, env.sandbox)
    await page.waitFor(() => page.data<{ codeEndsAt: { email: number } }>().codeEndsAt.email)
    expect(log.since()).toEqual([EIAM_PATHS.captcha, EIAM_PATHS.captchaVerify, EIAM_PATHS.emailSend])
    expect(bodiesTo(env.sandbox, EIAM_PATHS.emailSend)).toEqual([
      { email: 'Zhangsan@Example.com', type: 'BIND_EMAIL_EMS', captcha_token: expect.any(String) },
    ])
    expect(page.text('#send-email-code')).toBe('60 秒')
    // the other tab's button is untouched
    expect(page.data().codeEndsAt).toMatchObject({ mobile: 0 })
  })

  test("the x sent is in the background image's own pixels: a 620-px-wide image counts double", async () => {
    const png = (width: number, height: number) =>
      encodePng({ width, height, channels: 3, pixels: new Uint8Array(width * height * 3) }).toString('base64')
    env.sandbox.fault({
      path: EIAM_PATHS.captcha,
      status: 200,
      body: {
        token: 'wide-puzzle',
        secretKey: null,
        originalImageBase64: png(620, 310),
        jigsawImageBase64: png(94, 310),
      },
    })
    page.typeInto('#mobile', '13600001111')
    page.tap('#send-mobile-code')
    const { token, widthPx } = await readyPuzzle(page)
    expect(token).toBe('wide-puzzle')

    const dropPx = widthPx / 4
    page.dispatch(['#captcha', '#captcha-handle'], 'change', { x: dropPx, source: 'touch' })
    page.touch(['#captcha', '#captcha-handle'], 'touchend', { x: dropPx, y: 0 })
    await page.waitFor(() => bodiesTo(env.sandbox, EIAM_PATHS.captchaVerify).length)

    const [verify] = bodiesTo(env.sandbox, EIAM_PATHS.captchaVerify)
    expect(JSON.parse(String(verify?.point_json))).toEqual({ x: 155, y: 5 })
    // the sandbox knows no such puzzle: a new one comes, from the sandbox itself
    await page.waitFor(() => puzzlesServed(env.sandbox) === 2 && captchaData(page).phase === 'ready')
  })

  test('a wrong drop says so, spends the puzzle and brings a new one; solving that one sends the code', async () => {
    page.typeInto('#mobile', '13900139000')
    page.tap('#send-mobile-code')
    const first = await solveCaptcha(page, env.sandbox, { missBy: 40 })
    await page.waitFor(() => puzzlesServed(env.sandbox) === 2 && captchaData(page).phase === 'ready')
    expect(captchaData(page).message).toBe(zh.captcha.failed)
    expect(page.text(['#captcha', '.captcha__message'])).toBe(zh.captcha.failed)
    expect(log.since()).toEqual([EIAM_PATHS.captcha, EIAM_PATHS.captchaVerify, EIAM_PATHS.captcha])
    expect(page.data().codeEndsAt).toMatchObject({ mobile: 0 })

    const second = await solveCaptcha(page, env.sandbox)
    expect(second).not.toBe(first)
    await page.waitFor(() => bodiesTo(env.sandbox, EIAM_PATHS.smsSend).length)
    expect(bodiesTo(env.sandbox, EIAM_PATHS.captchaVerify).map((body) => body.token)).toEqual([first, second])
    expect(log.since().map(shortPath)).toEqual([
      'captcha',
      'captcha/verify',
      'captcha',
      'captcha/verify',
      'sms/send',
    ])
  })

  test('refresh brings a new puzzle, and the new one is the one verified', async () => {
    page.typeInto('#mobile', '13700137000')
    page.tap('#send-mobile-code')
    const { token: first } = await readyPuzzle(page)
    page.tap(['#captcha', '#captcha-refresh'])
    await page.waitFor(() => puzzlesServed(env.sandbox) === 2 && captchaData(page).phase === 'ready')
    const solved = await solveCaptcha(page, env.sandbox)
    expect(solved).not.toBe(first)
    await page.waitFor(() => bodiesTo(env.sandbox, EIAM_PATHS.smsSend).length)
    expect(bodiesTo(env.sandbox, EIAM_PATHS.captchaVerify)).toEqual([
      expect.objectContaining({ token: solved }),
    ])
  })

  test('close puts the puzzle away, sends nothing, and the button opens a new one', async () => {
    page.typeInto('#mobile', '13600136000')
    page.tap('#send-mobile-code')
    await readyPuzzle(page)
    page.tap(['#captcha', '#captcha-close'])
    expect(page.data().captcha).toMatchObject({ open: false })
    expect(captchaData(page).show).toBe(false)
    await page.flush()
    expect(log.since()).toEqual([EIAM_PATHS.captcha])
    expect(page.data().codeEndsAt).toMatchObject({ mobile: 0 })

    page.tap('#send-mobile-code')
    await solveCaptcha(page, env.sandbox)
    await page.waitFor(() => bodiesTo(env.sandbox, EIAM_PATHS.smsSend).length)
    expect(log.since().map(shortPath)).toEqual(['captcha', 'captcha', 'captcha/verify', 'sms/send'])
  })

  test('a double tap on send opens one puzzle', async () => {
    page.typeInto('#mobile', '13500135000')
    page.tap('#send-mobile-code')
    page.tap('#send-mobile-code')
    await readyPuzzle(page)
    await page.flush()
    expect(log.since()).toEqual([EIAM_PATHS.captcha])
  })

  test('while the code is being sent the button shows loading and a tap opens nothing', async () => {
    // the sandbox holds the answer on a timer of its own: let real ones run
    jest.useRealTimers()
    env.sandbox.fault({ path: EIAM_PATHS.smsSend, delayMs: 200 })
    page.typeInto('#mobile', '13000130000')
    page.tap('#send-mobile-code')
    await solveCaptcha(page, env.sandbox)
    await page.waitFor(() => page.get('#send-mobile-code').data?.loading)
    page.tap('#send-mobile-code')
    expect(page.data().captcha).toMatchObject({ open: false })
    await page.waitFor(() => page.data<{ codeEndsAt: { mobile: number } }>().codeEndsAt.mobile)
    expect(page.get('#send-mobile-code').data).toMatchObject({ loading: false })
    expect(log.since()).toEqual([EIAM_PATHS.captcha, EIAM_PATHS.captchaVerify, EIAM_PATHS.smsSend])
  })

  test('a captcha token the server calls expired on send brings the puzzle back for the same phone', async () => {
    refuseNextSend('CAPTCHA.0003', 'CAPTCHA token 已过期')
    page.typeInto('#mobile', '13300133000')
    page.tap('#send-mobile-code')
    await solveCaptcha(page, env.sandbox)
    await page.waitFor(() => puzzlesServed(env.sandbox) === 2 && captchaData(page).phase === 'ready')
    expect(page.data().captcha).toEqual({ open: true, sender: '13300133000', channel: 'mobile' })
    expect(page.data().codeEndsAt).toMatchObject({ mobile: 0 })
    expect(page.data().sendingCode).toEqual({ mobile: false, email: false })

    await solveCaptcha(page, env.sandbox)
    await page.waitFor(() => page.data<{ codeEndsAt: { mobile: number } }>().codeEndsAt.mobile)
    const sendOnce = ['captcha', 'captcha/verify', 'sms/send']
    expect(log.since().map(shortPath)).toEqual([...sendOnce, ...sendOnce])
    expect(env.sandbox.lastCode('13300133000')).toMatch(/^\d{6}$/)
  })

  test('"resend too soon" from the server is shown at the code field and starts no countdown', async () => {
    refuseNextSend('CAPTCHA.0006', '验证码发送失败：请 42 秒后重试')
    page.typeInto('#mobile', '13200132000')
    await requestCode(page, env.sandbox, '#send-mobile-code', '13200132000')
    expect(page.fieldError('#mobile-code')).toBe('验证码发送失败：请 42 秒后重试')
    expect(page.data().codeEndsAt).toMatchObject({ mobile: 0 })
    expect(page.data().sendingCode).toMatchObject({ mobile: false })
    expect(page.data().mobile).toBe('13200132000')
  })

  test('while the countdown runs, a tap says how long to wait and opens no puzzle', async () => {
    page.typeInto('#mobile', '13100131000')
    await requestCode(page, env.sandbox, '#send-mobile-code', '13100131000')
    log.mark()
    jest.advanceTimersByTime(15000)
    expect(page.text('#send-mobile-code')).toBe('45 秒')
    page.tap('#send-mobile-code')
    expect(page.data().captcha).toMatchObject({ open: false })
    expect(device.state.toasts[device.state.toasts.length - 1]).toMatchObject({
      title: '45 秒后可重新获取验证码',
    })
    await page.flush()
    expect(log.since()).toEqual([])
  })

  test('the countdown runs out and the button sends again', async () => {
    page.typeInto('#mobile', '15000150000')
    await requestCode(page, env.sandbox, '#send-mobile-code', '15000150000')
    jest.advanceTimersByTime(59000)
    expect(page.text('#send-mobile-code')).toBe('1 秒')
    jest.advanceTimersByTime(1000)
    expect(page.text('#send-mobile-code')).toBe(zh.form.send)
    expect(page.data().codeEndsAt).toMatchObject({ mobile: 0 })
    page.tap('#send-mobile-code')
    expect(page.data().captcha).toMatchObject({ open: true, sender: '15000150000' })
  })
})

describe('in the register flow (login answered USER_REGISTER)', () => {
  const env = useSandbox({ mode: 'register' })
  let page: PageHandle

  beforeEach(async () => {
    installDevice(env.sandbox)
    page = await renderReady(() => renderPage(bind))
    page.tap('#agree')
  })

  test('the page opens in its register flow', () => {
    expect(page.data()).toMatchObject({ flow: 'register', purpose: 'register', intro: zh.bind.registerIntro })
  })

  test('a mobile code goes out as REGISTER_SMS', async () => {
    page.typeInto('#mobile', '18800188000')
    await requestCode(page, env.sandbox, '#send-mobile-code', '18800188000')
    expect(bodiesTo(env.sandbox, EIAM_PATHS.smsSend)).toEqual([
      { mobile: '18800188000', type: 'REGISTER_SMS', captcha_token: expect.any(String) },
    ])
  })

  test('an email code goes out as REGISTER_EMS', async () => {
    await page.tapTab('email')
    page.typeInto('#email', 'newcomer@example.com')
    await requestCode(page, env.sandbox, '#send-email-code', 'newcomer@example.com', {
      path: EIAM_PATHS.emailSend,
    })
    expect(bodiesTo(env.sandbox, EIAM_PATHS.emailSend)).toEqual([
      { email: 'newcomer@example.com', type: 'REGISTER_EMS', captcha_token: expect.any(String) },
    ])
  })
})

describe('on the narrowest phones', () => {
  const env = useSandbox()

  test('at 320 px the piece dragged onto the gap passes: its x is scaled up to the 310-px puzzle', async () => {
    installDevice(env.sandbox, { windowWidth: 320 })
    const page = await renderReady(() => renderPage(bind))
    page.tap('#agree')
    page.typeInto('#mobile', '13100131009')
    page.tap('#send-mobile-code')
    const { token, widthPx } = await readyPuzzle(page)
    // far enough from 310 px that scaling the wrong way misses by more than the 5 px the server allows
    expect(widthPx).toBeLessThan(270)
    const answer = env.sandbox.captchaAnswer(token) as number

    await solveCaptcha(page, env.sandbox)
    await page.waitFor(() => bodiesTo(env.sandbox, EIAM_PATHS.smsSend).length)

    const [verify] = bodiesTo(env.sandbox, EIAM_PATHS.captchaVerify)
    const sent = JSON.parse(String(verify?.point_json)) as { x: number }
    expect(Math.abs(sent.x - answer)).toBeLessThanOrEqual(1)
    expect(bodiesTo(env.sandbox, EIAM_PATHS.smsSend)).toEqual([
      { mobile: '13100131009', type: 'BIND_MOBILE_SMS', captcha_token: expect.stringContaining(token) },
    ])
  })
})
