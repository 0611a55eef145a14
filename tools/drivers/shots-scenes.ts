/**
 * The page run of `npm run screenshots` (jest project "shots" of tools/jest.config.js; one file per language, so the
 * two run side by side): every scene of tools/lib/shots-plan.ts reached the way a user reaches it — real pages,
 * the real sandbox behind them (its captcha images, its masked phone, its claims) — at each font scale (WeChat's
 * setting changed while the app was in the background: the page hides and shows), and written as a standalone HTML
 * page into $EIAM_SHOTS_DIR with a manifest. tools/screenshots.ts draws them with Chromium.
 */
import fs from 'node:fs'
import path from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import { startSandbox, type Sandbox } from '../../sandbox'
import { EIAM_PATHS } from '../../miniprogram/services/eiam'
import {
  FONT_SCALES,
  htmlName,
  manifestName,
  NARROW_WIDTH,
  PHONE_VIEWPORT,
  SCENES,
  WIDTHS,
  type Language,
  type RenderedScene,
} from '../lib/shots-plan'
import { readyPuzzle, requestCode } from '../../test/support/captcha'
import { startJourney, type Journey } from '../../test/support/journey'
import { SEEDED } from '../../test/support/sandbox'
import { pageHtml } from './shots-html'
import type { PageHandle, PageId } from '../../test/support/simulate'

const WAIT_MS = 15000
/** Vant's popup transition (300 ms), with room: what is captured is the state after it. */
const TRANSITION_MS = 450
const MOBILE = { zhangsan: SEEDED.zhangsan.mobile, unknown: '13600136000' }

/** simulate.ts's PageHandle keeps the world it rendered; its id is the PageId, and simulate's `<style>` id. */
function pageIdOf(page: PageHandle): PageId {
  const id = (page as unknown as { world?: { id?: unknown } }).world?.id
  if (typeof id !== 'string')
    throw new Error('PageHandle no longer exposes its world id: update shots-scenes.ts')
  return id as PageId
}

export function renderScenes(lang: Language): void {
  const outDir = process.env.EIAM_SHOTS_DIR
  const rendered: RenderedScene[] = []
  let sandbox: Sandbox

  beforeAll(async () => {
    if (!outDir) throw new Error('EIAM_SHOTS_DIR is not set: run npm run screenshots')
    fs.mkdirSync(outDir, { recursive: true })
    sandbox = await startSandbox({ port: 0, hooks: true, log: () => undefined, mode: 'auto' })
  })
  afterAll(async () => {
    await sandbox?.close()
    if (outDir)
      fs.writeFileSync(path.join(outDir, manifestName(lang)), `${JSON.stringify(rendered, null, 2)}\n`)
  })

  const journeyFor = (fingerprint: string) =>
    startJourney({
      sandbox,
      fingerprint: `${fingerprint}-${lang}`,
      fresh: true,
      wx: { language: lang === 'zh' ? 'zh_CN' : 'en' },
    })

  function capture(scene: string, page: PageHandle, journey: Journey, scale: number, window: number): void {
    if (!SCENES.some((known) => known.name === scene)) throw new Error(`unknown scene ${scene}`)
    const titles = journey.state.navigationBarTitles
    const title = titles[titles.length - 1] ?? ''
    const html = htmlName(scene, lang, scale, window)
    fs.writeFileSync(
      path.join(outDir as string, html),
      pageHtml({ page, pageId: pageIdOf(page), title, lang }),
    )
    rendered.push({
      scene,
      lang,
      scale,
      widths: [window],
      html,
      title,
      route: String(page.instance.route),
    })
  }

  /**
   * The user changed WeChat's text size (or the window is another phone's) and came back: the page reads both again
   * when it shows.
   */
  async function viewedAt(page: PageHandle, journey: Journey, scale: number, window: number): Promise<void> {
    const options = journey.state.options
    if (
      (options.fontSizeScaleFactor ?? 1) === scale &&
      (options.windowWidth ?? PHONE_VIEWPORT.width) === window
    )
      return
    options.fontSizeScaleFactor = scale
    options.windowWidth = window
    page.hide()
    page.show()
    await page.flush()
  }

  /** The scene at every font scale and width, through the app's own reading of them; back at 1 and 375 afterwards. */
  async function captureScales(
    scene: string,
    page: PageHandle,
    journey: Journey,
    windows: readonly number[] = WIDTHS,
  ): Promise<void> {
    for (const window of windows) {
      for (const scale of FONT_SCALES) {
        await viewedAt(page, journey, scale, window)
        capture(scene, page, journey, scale, window)
      }
    }
    await viewedAt(page, journey, 1, PHONE_VIEWPORT.width)
  }

  async function settle(page: PageHandle): Promise<void> {
    await page.waitFor(() => page.data().ready !== false && !page.data().lookingUp, WAIT_MS)
    await page.flush(5)
  }

  /** From launch to the page the sign-in leads to, rendered and settled. */
  async function signedInTo(journey: Journey, route: string): Promise<PageHandle> {
    journey.open('/pages/launch/index')
    const page = await journey.reach(route)
    await settle(page)
    return page
  }

  test('launch: as a visitor first sees it, waiting for a tap', async () => {
    const journey = journeyFor('fp-shots-launch-idle')
    const launch = journey.open('/pages/launch/index?manual=1')
    await launch.flush()
    await captureScales('launch', launch, journey)
  })

  test('launch: the sign-in fails and the page offers a retry', async () => {
    sandbox.fault({ path: EIAM_PATHS.login, times: 1, status: 503 })
    const journey = journeyFor('fp-shots-launch')
    const launch = journey.open('/pages/launch/index')
    await launch.waitFor(() => launch.data().phase === 'error', WAIT_MS)
    await launch.flush()
    await captureScales('launch-error', launch, journey)
  })

  test('bind: empty, with field errors, with the captcha open, counting down', async () => {
    const journey = journeyFor('fp-shots-bind')
    const bind = await signedInTo(journey, 'pages/bind/index')
    await captureScales('bind-empty', bind, journey)

    bind.typeInto('#mobile', '1380013', { blur: true })
    bind.typeInto('#mobile-code', '12', { blur: true })
    bind.tap('#send-mobile-code')
    await bind.waitFor(() => bind.data<{ errors: { agree: string } }>().errors.agree, WAIT_MS)
    await captureScales('bind-errors', bind, journey)

    bind.typeInto('#mobile', MOBILE.zhangsan, { blur: true })
    bind.typeInto('#mobile-code', '')
    bind.tap('#agree')
    bind.tap('#send-mobile-code')
    await readyPuzzle(bind)
    await sleep(TRANSITION_MS)
    await captureScales('bind-captcha', bind, journey, [PHONE_VIEWPORT.width])
    // the puzzle sizes itself from the window when it loads: a new one on a 320-px phone
    journey.state.options.windowWidth = NARROW_WIDTH
    bind.tap(['#captcha', '#captcha-refresh'])
    await readyPuzzle(bind)
    await bind.flush()
    await captureScales('bind-captcha', bind, journey, [NARROW_WIDTH])

    // close and reopen: requestCode taps send itself, then solves the puzzle
    bind.tap(['#captcha', '#captcha-close'])
    await sleep(TRANSITION_MS)
    const code = await requestCode(bind, sandbox, '#send-mobile-code', MOBILE.zhangsan)
    if (!code) throw new Error('no code was sent')
    await bind.waitFor(() => /\d/.test(bind.text('#send-mobile-code')), WAIT_MS)
    bind.tap('#code-help')
    await sleep(TRANSITION_MS)
    await captureScales('bind-countdown', bind, journey)
  })

  test('register: a bind to an unknown mobile continues on the register page', async () => {
    const journey = journeyFor('fp-shots-register')
    const bind = await signedInTo(journey, 'pages/bind/index')
    bind.typeInto('#mobile', MOBILE.unknown, { blur: true })
    bind.tap('#agree')
    const code = await requestCode(bind, sandbox, '#send-mobile-code', MOBILE.unknown)
    if (!code) throw new Error('no code was sent for the register journey')
    bind.typeInto('#mobile-code', code)
    bind.tap('#submit')
    const register = await journey.reach('pages/register/index')
    await settle(register)
    await captureScales('register', register, journey)
  })

  test('mfa, denied and home: an identity bound to lisi, wangwu, zhangsan', async () => {
    for (const [scene, user, route] of [
      ['mfa', 'lisi', 'pages/mfa/index'],
      ['denied', 'wangwu', 'pages/denied/index'],
      ['home', 'zhangsan', 'pages/home/index'],
    ] as const) {
      const journey = journeyFor(`fp-shots-${scene}`)
      sandbox.linkIdentity(`fp-shots-${scene}-${lang}`, user)
      const page = await signedInTo(journey, route)
      await captureScales(scene, page, journey)
      journey.end()
    }
  })

  /** Home's `account` button, then the account page settled (its linked accounts read). */
  async function accountOf(journey: Journey): Promise<PageHandle> {
    const home = await signedInTo(journey, 'pages/home/index')
    home.tap('#account')
    const account = await journey.next()
    await account.waitFor(() => account.data().ready && !account.data().loading, WAIT_MS)
    await settle(account)
    return account
  }

  test('account: a OneAccess tenant lists the linked WeChat and confirms an unlink in the page', async () => {
    const oneAccess = await startSandbox({ port: 0, hooks: true, log: () => undefined, dialect: 'oneaccess' })
    try {
      const fingerprint = `fp-shots-account-${lang}`
      oneAccess.linkIdentity(fingerprint, 'zhangsan')
      const journey = startJourney({
        sandbox: oneAccess,
        fingerprint,
        fresh: true,
        wx: { language: lang === 'zh' ? 'zh_CN' : 'en' },
        tenant: { dialect: 'oneaccess' },
      })
      const account = await accountOf(journey)
      await captureScales('account', account, journey)
      account.tap('#unlink')
      await account.flush()
      await captureScales('account-confirm', account, journey)
      journey.end()
    } finally {
      await oneAccess.close()
    }
  })

  test('account: a BambooCloud tenant says IT unlinks and offers the request to copy', async () => {
    const journey = journeyFor('fp-shots-account-it')
    sandbox.linkIdentity(`fp-shots-account-it-${lang}`, 'zhangsan')
    await captureScales('account-it', await accountOf(journey), journey)
  })
}
