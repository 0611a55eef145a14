/**
 * The slider captcha for everyone: the arrow buttons and Check solve it against the sandbox without a drag, a mouse
 * drag (no touchend) is submitted by Check, the handle tells screen readers where it is, "Can't do the puzzle?" lists
 * what this tenant offers instead, and the puzzle's images are files that go away with the puzzle.
 */
import type { Sandbox } from '../../sandbox'
import { en } from '../../miniprogram/i18n/en'
import { zh } from '../../miniprogram/i18n/zh'
import { EIAM_PATHS } from '../../miniprogram/services/eiam'
import { TENANTS } from '../../miniprogram/config/tenant'
import { bodiesTo, installDevice, readyPuzzle, renderReady, serverLog } from '../support/captcha'
import { mfaOnTenant } from '../support/journey'
import { SEEDED, useSandbox } from '../support/sandbox'
import { launchApp, loadPage, renderPage, type PageHandle } from '../support/simulate'
import { USER_DATA_PATH, type WxNode } from '../support/wx-node'

const bind = loadPage('pages/bind/index')

interface CaptchaData {
  phase: string
  message: string
  background: string
  piece: string
  position: number
  max: number
  x: number
  widthPx: number
  helpOpen: boolean
}

const captcha = (page: PageHandle) => page.get('#captcha').data as unknown as CaptchaData
const inCaptcha = (id: string): [string, string] => ['#captcha', id]
const puzzleFiles = (device: WxNode) =>
  [...device.state.files.keys()].filter((file) => /\/captcha-/.test(file))
const pointOf = (body: Record<string, unknown> | undefined) =>
  JSON.parse(String(body?.point_json)) as { x: number; y: number }
const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47]

async function openPuzzle(
  page: PageHandle,
  sandbox: Sandbox,
  mobile: string,
): Promise<{ token: string; answer: number }> {
  page.typeInto('#mobile', mobile)
  page.tap('#send-mobile-code')
  const { token } = await readyPuzzle(page)
  const answer = sandbox.captchaAnswer(token)
  if (answer === undefined) throw new Error('no live puzzle')
  return { token, answer }
}

/** Taps the buttons a user would: the 10-px pair as close as it gets, then the 1-px pair the rest of the way. */
function moveWithButtons(page: PageHandle, to: number): void {
  const coarse = Math.floor(to / 10)
  for (let tap = 0; tap < coarse; tap += 1) page.tap(inCaptcha('#captcha-right'))
  for (let tap = coarse * 10; tap < Math.round(to); tap += 1) page.tap(inCaptcha('#captcha-right-fine'))
}

describe('a puzzle solved without dragging', () => {
  const env = useSandbox()
  let page: PageHandle

  beforeEach(async () => {
    installDevice(env.sandbox)
    page = await renderReady(() => renderPage(bind))
    page.tap('#agree')
  })

  test('the 10-px buttons alone reach the gap, Check sends that position, and the code goes out', async () => {
    const { token, answer } = await openPuzzle(page, env.sandbox, '13800138001')
    const log = serverLog(env.sandbox)
    const taps = Math.round(answer / 10)
    for (let tap = 0; tap < taps; tap += 1) page.tap(inCaptcha('#captcha-right'))
    expect(captcha(page).position).toBe(taps * 10)
    // the piece moved on screen by the same amount, in rendered px
    expect(captcha(page).x).toBeCloseTo((taps * 10 * captcha(page).widthPx) / 310, 0)
    expect(log.since()).toEqual([])

    page.tap(inCaptcha('#captcha-check'))
    await page.waitFor(() => page.data<{ codeEndsAt: { mobile: number } }>().codeEndsAt.mobile > 0)
    expect(log.since()).toEqual([EIAM_PATHS.captchaVerify, EIAM_PATHS.smsSend])
    const [verify] = bodiesTo(env.sandbox, EIAM_PATHS.captchaVerify)
    expect(verify).toMatchObject({ token })
    expect(pointOf(verify).x).toBe(taps * 10)
    expect(env.sandbox.lastCode('13800138001')).toMatch(/^\d{6}$/)
  })

  test('the 1-px pair places the piece exactly; left stops at 0 and right at the far edge', async () => {
    const { answer } = await openPuzzle(page, env.sandbox, '13800138002')
    moveWithButtons(page, answer)
    expect(captcha(page).position).toBe(Math.round(answer))
    page.tap(inCaptcha('#captcha-left-fine'))
    expect(captcha(page).position).toBe(Math.round(answer) - 1)
    for (let tap = 0; tap < 40; tap += 1) page.tap(inCaptcha('#captcha-left'))
    expect(captcha(page).position).toBe(0)
    for (let tap = 0; tap < 40; tap += 1) page.tap(inCaptcha('#captcha-right'))
    expect(captcha(page).position).toBe(captcha(page).max)
    expect(captcha(page).max).toBe(310 - 47)
  })

  test('the handle is a slider for screen readers: its value is the position, between 0 and the far edge', async () => {
    await openPuzzle(page, env.sandbox, '13800138003')
    page.tap(inCaptcha('#captcha-right'))
    page.tap(inCaptcha('#captcha-right'))
    const handle = page.get(inCaptcha('#captcha-handle'))
    const attributes = handle.attributes as Record<string, unknown>
    expect(attributes).toMatchObject({
      'aria-role': 'slider',
      'aria-valuemin': 0,
      'aria-valuemax': 263,
      'aria-valuenow': 20,
      'aria-label': zh.captcha.handle,
    })
    for (const id of [
      '#captcha-left',
      '#captcha-right',
      '#captcha-left-fine',
      '#captcha-right-fine',
      '#captcha-check',
    ]) {
      expect(page.get(inCaptcha(id)).attributes).toMatchObject({ 'aria-role': 'button' })
    }
  })

  test('Check before any move says what to do and sends nothing', async () => {
    await openPuzzle(page, env.sandbox, '13800138004')
    const log = serverLog(env.sandbox)
    page.tap(inCaptcha('#captcha-check'))
    await page.flush()
    expect(captcha(page).message).toBe(zh.captcha.moveFirst)
    expect(captcha(page).phase).toBe('ready')
    expect(log.since()).toEqual([])
  })

  test('a wrong position by the buttons brings a new puzzle, which the buttons then solve', async () => {
    const first = await openPuzzle(page, env.sandbox, '13800138005')
    moveWithButtons(page, first.answer > 155 ? first.answer - 30 : first.answer + 30)
    page.tap(inCaptcha('#captcha-check'))
    const second = await page.waitFor(async () => {
      const next = await readyPuzzle(page)
      return next.token !== first.token ? next : undefined
    })
    if (!second) throw new Error('no second puzzle')
    expect(captcha(page).message).toBe(zh.captcha.failed)
    expect(captcha(page).position).toBe(0)
    moveWithButtons(page, env.sandbox.captchaAnswer(second.token) as number)
    page.tap(inCaptcha('#captcha-check'))
    await page.waitFor(() => page.data<{ codeEndsAt: { mobile: number } }>().codeEndsAt.mobile > 0)
    expect(bodiesTo(env.sandbox, EIAM_PATHS.smsSend)).toHaveLength(1)
  })

  test('with a mouse (a drag that ends without touchend), Check submits where the drag left the piece', async () => {
    const { answer } = await openPuzzle(page, env.sandbox, '13800138006')
    const px = (answer / 310) * captcha(page).widthPx
    page.dispatch(inCaptcha('#captcha-handle'), 'change', { x: px / 2, source: 'touch' })
    page.dispatch(inCaptcha('#captcha-handle'), 'change', { x: px, source: 'touch' })
    await page.flush()
    expect(bodiesTo(env.sandbox, EIAM_PATHS.captchaVerify)).toHaveLength(0)
    page.tap(inCaptcha('#captcha-check'))
    await page.waitFor(() => page.data<{ codeEndsAt: { mobile: number } }>().codeEndsAt.mobile > 0)
    expect(Math.abs(pointOf(bodiesTo(env.sandbox, EIAM_PATHS.captchaVerify)[0]).x - answer)).toBeLessThan(1)
  })

  test('a drag, then the buttons, moves on from where the drag left the piece; a touch without a drag sends nothing', async () => {
    await openPuzzle(page, env.sandbox, '13800138007')
    const widthPx = captcha(page).widthPx
    page.dispatch(inCaptcha('#captcha-handle'), 'change', { x: (100 / 310) * widthPx, source: 'touch' })
    page.tap(inCaptcha('#captcha-right'))
    expect(captcha(page).position).toBe(110)
    page.touch(inCaptcha('#captcha-handle'), 'touchend', { x: 0, y: 0 })
    await page.flush()
    expect(bodiesTo(env.sandbox, EIAM_PATHS.captchaVerify)).toHaveLength(0)
  })

  test('one puzzle costs at most 2 KB of setData, from the send tap until it can be solved', async () => {
    page.typeInto('#mobile', '13800138008')
    page.resetSetDataCalls()
    page.tap('#send-mobile-code')
    await readyPuzzle(page)
    await page.flush()
    const { bytes } = page.setDataCalls()
    expect(bytes).toBeLessThanOrEqual(2048)
  })
})

describe('the puzzle images are files', () => {
  const env = useSandbox()

  test('written under the user-data folder, the page gets their paths, and each goes with its puzzle', async () => {
    const device = installDevice(env.sandbox)
    const page = await renderReady(() => renderPage(bind))
    page.tap('#agree')
    const first = await openPuzzle(page, env.sandbox, '13800138010')
    const files = puzzleFiles(device)
    expect(files).toHaveLength(2)
    expect(files.every((file) => file.startsWith(`${USER_DATA_PATH}/captcha-`))).toBe(true)
    expect([captcha(page).background, captcha(page).piece].sort()).toEqual([...files].sort())
    for (const file of files)
      expect([...(device.state.files.get(file) ?? []).slice(0, 4)]).toEqual(PNG_SIGNATURE)

    // replaced: a new puzzle's files, none of the old
    page.tap(inCaptcha('#captcha-refresh'))
    await page.waitFor(async () => ((await readyPuzzle(page)).token !== first.token ? true : undefined))
    await page.flush()
    const replaced = puzzleFiles(device)
    expect(replaced).toHaveLength(2)
    expect(replaced.some((file) => files.includes(file))).toBe(false)

    // closed: none left
    page.tap(inCaptcha('#captcha-close'))
    await page.flush()
    expect(puzzleFiles(device)).toEqual([])
  })

  test('a solved puzzle leaves no file behind', async () => {
    const device = installDevice(env.sandbox)
    const page = await renderReady(() => renderPage(bind))
    page.tap('#agree')
    const { answer } = await openPuzzle(page, env.sandbox, '13800138011')
    moveWithButtons(page, answer)
    page.tap(inCaptcha('#captcha-check'))
    await page.waitFor(() => page.data<{ codeEndsAt: { mobile: number } }>().codeEndsAt.mobile > 0)
    await page.flush()
    expect(puzzleFiles(device)).toEqual([])
  })

  test('when the folder is full the images come as data URLs and the puzzle still works', async () => {
    const device = installDevice(env.sandbox, { fileStorageLimitBytes: 1024 })
    const page = await renderReady(() => renderPage(bind))
    page.tap('#agree')
    const { answer } = await openPuzzle(page, env.sandbox, '13800138012')
    expect(captcha(page).background).toMatch(/^data:image\/png;base64,iVBOR/)
    expect(captcha(page).piece).toMatch(/^data:image\/png;base64,iVBOR/)
    expect([...device.state.files.keys()]).toEqual([])
    moveWithButtons(page, answer)
    page.tap(inCaptcha('#captcha-check'))
    await page.waitFor(() => page.data<{ codeEndsAt: { mobile: number } }>().codeEndsAt.mobile > 0)
  })

  test('at launch, puzzle files an earlier run left are swept; other files stay', async () => {
    const device = installDevice(env.sandbox)
    const stale = [`${USER_DATA_PATH}/captcha-abc-1-bg.png`, `${USER_DATA_PATH}/captcha-abc-1-piece.png`]
    const other = `${USER_DATA_PATH}/notes.txt`
    for (const file of [...stale, other]) device.state.files.set(file, new Uint8Array([1, 2, 3]))
    launchApp()
    await new Promise((resolve) => setTimeout(resolve, 0))
    await new Promise((resolve) => setTimeout(resolve, 0))
    expect([...device.state.files.keys()]).toEqual([other])
  })
})

/** Opens the help of the bind page's puzzle (sent to `target` on `tab`) and answers what it lists. */
async function helpOfBindPuzzle(page: PageHandle, tab: 'mobile' | 'email', target: string) {
  page.tap('#agree')
  if (tab === 'mobile') {
    page.typeInto('#mobile', target)
    page.tap('#send-mobile-code')
  } else {
    page.typeInto('#email', target)
    page.tap('#send-email-code')
  }
  await readyPuzzle(page)
  page.tap(inCaptcha('#captcha-help'))
  return {
    channel: page.exists(inCaptcha('#captcha-help-channel'))
      ? page.text(inCaptcha('#captcha-help-channel'))
      : '',
    oneTap: page.exists(inCaptcha('#captcha-help-one-tap')),
    support: page.text(inCaptcha('#captcha-help-support')),
  }
}

describe('"Can\'t do the puzzle?" on a tenant with both channels', () => {
  const env = useSandbox()

  test('on SMS it offers email, one-tap and the support contact; "Use email" closes the puzzle on the email tab', async () => {
    installDevice(env.sandbox)
    const page = await renderReady(() => renderPage(bind))
    const help = await helpOfBindPuzzle(page, 'mobile', '13800138020')
    expect(help.channel).toContain(zh.captcha.helpEmail)
    expect(help.oneTap).toBe(true)
    expect(help.support).toBe(zh.captcha.helpSupport.replace('{contact}', TENANTS.develop.supportContact.zh))

    page.tap(inCaptcha('#captcha-switch-channel'))
    await page.flush()
    expect(page.data()).toMatchObject({ tab: 'email', captcha: { open: false } })
    expect(page.data<{ mobile: string }>().mobile).toBe('13800138020')
  })

  test('on email it offers SMS instead, in English too', async () => {
    installDevice(env.sandbox, { language: 'en' })
    const page = await renderReady(() => renderPage(bind))
    await page.tapTab('email')
    const help = await helpOfBindPuzzle(page, 'email', SEEDED.zhangsan.email)
    expect(help.channel).toContain(en.captcha.helpMobile)
    expect(help.support).toContain(TENANTS.develop.supportContact.en)
  })
})

describe('"Can\'t do the puzzle?" on a tenant whose flows offer email only', () => {
  const env = useSandbox({ flows: ['VERIFY_EMAIL'] })

  test('there is no other channel and no one-tap to offer: only the support contact', async () => {
    installDevice(env.sandbox)
    const page = await renderReady(() => renderPage(bind))
    expect(page.data()).toMatchObject({ showMobile: false, tab: 'email' })
    const help = await helpOfBindPuzzle(page, 'email', SEEDED.zhangsan.email)
    expect(help).toEqual({
      channel: '',
      oneTap: false,
      support: zh.captcha.helpSupport.replace('{contact}', TENANTS.develop.supportContact.zh),
    })
  })
})

describe('"Can\'t do the puzzle?" on the second-factor page', () => {
  const develop = useSandbox()
  const trial = useSandbox({ clientId: TENANTS.trial.clientId })

  async function mfaHelp(sandbox: Sandbox, tenant: 'develop' | 'trial') {
    const mfa = await mfaOnTenant(sandbox, tenant)
    mfa.tap('#send-code')
    await readyPuzzle(mfa)
    mfa.tap(inCaptcha('#captcha-help'))
    return mfa
  }

  test('a tenant with email for the second factor offers it, and "Use email" switches the page', async () => {
    const mfa = await mfaHelp(develop.sandbox, 'develop')
    expect(mfa.text(inCaptcha('#captcha-help-channel'))).toContain(zh.captcha.helpEmail)
    expect(mfa.exists(inCaptcha('#captcha-help-one-tap'))).toBe(false)
    mfa.tap(inCaptcha('#captcha-switch-channel'))
    await mfa.flush()
    expect(mfa.data()).toMatchObject({ channel: 'email', captcha: { open: false } })
  })

  test('a tenant without it offers only the support contact', async () => {
    const mfa = await mfaHelp(trial.sandbox, 'trial')
    expect(mfa.exists(inCaptcha('#captcha-help-channel'))).toBe(false)
    expect(mfa.text(inCaptcha('#captcha-help-support'))).toContain(TENANTS.trial.supportContact.zh)
  })
})
