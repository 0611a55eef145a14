/**
 * `npm run screenshots [-- --update-docs]`: every page in its main states (tools/lib/shots-plan.ts), in Chinese and
 * English, light and dark, at the font scales 1.0, 1.3 and 1.6, as PNG files in reports/screenshots/ (git-ignored).
 *
 * 1. Chromium and a CJK font: Debian's `chromium` and `fonts-noto-cjk`, installed with apt-get when missing.
 * 2. The pages: jest project "shots" of tools/jest.config.js (tools/drivers/shots-*.run.ts, one file per language)
 *    drives the real pages under miniprogram-simulate against the sandbox and writes each state as a standalone HTML
 *    page (DOM + simulate's compiled WXSS + app.wxss) into .tmp/shots/.
 * 3. The pictures: playwright-core drives /usr/bin/chromium (fresh profile, no network but file: and data: URLs) at
 *    375 × 667 and 320 × 667 CSS px, device scale 2, light and dark (dark at the standard scale and 375 px) through
 *    colour-scheme emulation; each PNG is decoded and must show something (distinct colours, content below the
 *    navigation bar) or the run fails. Every state at every scale and width is checked in light: nothing may pass the
 *    screen's edge or be cut off by its container, and every button must be 44 px tall at least; the run fails and
 *    names the elements otherwise. Names carry the scale and, for 320 px, the width: `bind-empty.zh.light.fs1.3.w320.png`.
 * 4. `--update-docs` copies DOCS_SELECTION into docs/screenshots/ for the README.
 *
 * The HTML is an approximation of the phone: WeChat's built-in components are styled by hand (shots-css.ts), Vant's
 * icon font (a CDN font) is replaced by a few characters, and selector queries measure nothing under jsdom, so
 * position-measured details (the tab underline) sit where Vant puts them without a measurement.
 */
import fs from 'node:fs'
import path from 'node:path'
import { chromium, type Page } from 'playwright-core'
import { runJestProject } from './lib/run-jest'
import { fail, isMainModule, plural, runCli, seconds } from '../scripts/lib/errors'
import { ROOT, displayPath } from '../scripts/lib/paths'
import { CHROMIUM_FLAGS, CHROMIUM_PATH, ensureBrowser } from './lib/shots-chromium'
import {
  checkKey,
  DEVICE_SCALE_FACTOR,
  DOCS_DIR,
  DOCS_SELECTION,
  drawingsOf,
  HTML_DIR,
  LANGUAGES,
  manifestName,
  MIN_TAP_TARGET_PX,
  missingScenes,
  PHONE_VIEWPORT,
  pngName,
  scaleTag,
  SHOTS_DIR,
  TAP_TARGET_SELECTORS,
  THEMES,
  WIDTHS,
  type RenderedScene,
  type Theme,
} from './lib/shots-plan'
import { blankProblem, tiledProblem, decodePng, pixelStats, type PixelStats } from './lib/shots-png'
import { makeTempDir, removeTempDir } from '../scripts/lib/temp'

const PAGE_RUN_TIMEOUT_MS = 5 * 60_000
/** The navigation bar drawn above every page (shots-css.ts), left out of the blank check. */
const NAVIGATION_BAR_CSS_PX = 44

export interface Overflow {
  /** the layout viewport's width */
  width: number
  /** the widest the document gets */
  scrollWidth: number
  /** the outermost elements whose right edge passes the screen: `tag.class "text" → right px` */
  offScreen: string[]
  /** the outermost elements cut off by a container that hides its overflow (`.card`), same form */
  cutOff: string[]
  /** buttons drawn less than 44 px tall: `tag.class "text" → height px` */
  shortTargets: string[]
  /** elements whose text is drawn outside them, same form as offScreen */
  textPast: string[]
}

/**
 * Runs in the page (as source text: functions compiled by tsx carry helpers the page does not have). Content of a
 * scrolling container (the tab bar) may be wider than the screen; anything else may not pass the screen's right edge
 * nor the edge of a container that hides its overflow.
 */
const FIND_OVERFLOW = `(() => {
  const width = document.documentElement.clientWidth
  const describe = (element, box) => {
    const name = element.tagName.toLowerCase() + (element.classList[0] ? '.' + element.classList[0].replace(/^[\\w-]*?--/, '') : '')
    const text = (element.textContent || '').replace(/\\s+/g, ' ').trim().slice(0, 40)
    return name + (text ? ' "' + text + '"' : '') + ' → right ' + Math.round(box.right) + ' px'
  }
  const containers = (element) => {
    let clipper
    for (let parent = element.parentElement; parent && parent !== document.body; parent = parent.parentElement) {
      const overflow = getComputedStyle(parent).overflowX
      if (overflow === 'auto' || overflow === 'scroll') return { scrolls: true }
      if (overflow !== 'visible' && !clipper) clipper = parent
    }
    return { scrolls: false, clipper }
  }
  const flagged = new Set()
  const offScreen = []
  const cutOff = []
  for (const element of document.body.querySelectorAll('*')) {
    const box = element.getBoundingClientRect()
    if (!box.width || !box.height) continue
    const { scrolls, clipper } = containers(element)
    if (scrolls) continue
    let list
    if (clipper && box.right > clipper.getBoundingClientRect().right + 0.5) list = cutOff
    else if (box.right > width + 0.5) list = offScreen
    if (!list) continue
    flagged.add(element)
    if (element.parentElement && flagged.has(element.parentElement)) continue
    list.push(describe(element, box))
  }
  const shortTargets = []
  for (const element of document.body.querySelectorAll(${JSON.stringify(TAP_TARGET_SELECTORS.join(','))})) {
    const box = element.getBoundingClientRect()
    if (!box.width || !box.height || box.height >= ${MIN_TAP_TARGET_PX} - 0.5) continue
    shortTargets.push(describe(element, box).replace(/→ right \\d+ px$/, '→ height ' + Math.round(box.height) + ' px'))
  }
  // text drawn outside the element that holds it (a label wrapped past a fixed height, a word wider than its column);
  // intended truncation (text-overflow: ellipsis) and WeChat's own navigation bar aside
  const textPast = []
  const texts = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT)
  for (let node = texts.nextNode(); node; node = texts.nextNode()) {
    const holder = node.parentElement
    if (!holder || !node.textContent.trim() || holder.closest('.wx-shot-navbar')) continue
    if (getComputedStyle(holder).textOverflow === 'ellipsis') continue
    const box = holder.getBoundingClientRect()
    if (!box.width || !box.height) continue
    const range = document.createRange()
    range.selectNodeContents(node)
    const past = Array.from(range.getClientRects()).some((line) =>
      line.width > 0 && (line.right > box.right + 2 || line.left < box.left - 2 || line.bottom > box.bottom + 6 || line.top < box.top - 6))
    if (past && !flagged.has(holder)) {
      flagged.add(holder)
      textPast.push(describe(holder, box))
    }
  }
  return { width, scrollWidth: document.documentElement.scrollWidth, offScreen, cutOff, shortTargets, textPast }
})()`

export interface ShotRecord {
  file: string
  scene: string
  lang: string
  theme: Theme
  scale: number
  /** the viewport's CSS width */
  viewport: number
  width: number
  height: number
  bytes: number
  stats: PixelStats
}

function readManifests(htmlDir: string): RenderedScene[] {
  return LANGUAGES.flatMap((lang) => {
    const file = path.join(htmlDir, manifestName(lang))
    if (!fs.existsSync(file)) fail(`The page run wrote no ${manifestName(lang)}: see its output above.`)
    return JSON.parse(fs.readFileSync(file, 'utf8')) as RenderedScene[]
  })
}

async function load(page: Page, file: string, theme: Theme): Promise<void> {
  await page.emulateMedia({ colorScheme: theme })
  await page.goto(`file://${file}`, { waitUntil: 'load' })
  await page.evaluate('document.fonts.ready.then(() => true)')
}

export async function screenshots(
  options: { rootDir?: string; updateDocs?: boolean; log?: (line: string) => void } = {},
) {
  const started = Date.now()
  const rootDir = options.rootDir ?? ROOT
  const log = options.log ?? console.log
  const htmlDir = path.resolve(rootDir, HTML_DIR)
  const shotsDir = path.resolve(rootDir, SHOTS_DIR)
  const timingsMs: Record<string, number> = {}

  const browser = ensureBrowser({ log })
  timingsMs.browserSetup = browser.ms
  if (browser.installed.length)
    log(`screenshots: installed ${browser.installed.join(', ')} in ${seconds(browser.ms)}`)

  log('screenshots: rendering the pages in miniprogram-simulate against the sandbox (jest project "shots")')
  fs.rmSync(htmlDir, { recursive: true, force: true })
  fs.mkdirSync(htmlDir, { recursive: true })
  const pageRun = await runJestProject({
    rootDir,
    project: 'shots',
    env: { EIAM_SHOTS_DIR: htmlDir },
    timeoutMs: PAGE_RUN_TIMEOUT_MS,
  })
  timingsMs.pages = pageRun.ms
  const rendered = readManifests(htmlDir)
  const missing = missingScenes(rendered)
  if (missing.length)
    fail(`The page run rendered no ${missing.join(', ')}: see tools/drivers/shots-scenes.ts.`)
  log(`screenshots: ${plural(rendered.length, 'page state')} rendered in ${seconds(pageRun.ms)}`)

  fs.rmSync(shotsDir, { recursive: true, force: true })
  fs.mkdirSync(shotsDir, { recursive: true })
  const drawStarted = Date.now()
  const profile = makeTempDir('eiam-shots-chromium-')
  const shots: ShotRecord[] = []
  const blank: string[] = []
  /** per check key (`bind-empty.zh.fs1.3.w320`) */
  const overflow: Record<string, Overflow> = {}
  try {
    const context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM_PATH,
      headless: true,
      args: CHROMIUM_FLAGS,
      viewport: PHONE_VIEWPORT,
      deviceScaleFactor: DEVICE_SCALE_FACTOR,
      isMobile: false,
      colorScheme: 'light',
      locale: 'zh-CN',
    })
    try {
      // nothing leaves the machine: the pages are files, their images data URLs
      await context.route('**/*', (route) =>
        /^(file|data):/.test(route.request().url()) ? route.continue() : route.abort(),
      )
      // one tab per language, side by side (two cores); results are sorted back into plan order below
      const draw = async (page: Page, entries: RenderedScene[]) => {
        for (const entry of entries) await drawScene(page, entry)
      }
      const drawScene = async (page: Page, entry: RenderedScene) => {
        const html = path.join(htmlDir, entry.html)
        for (const drawing of drawingsOf(entry)) {
          await page.setViewportSize({ width: drawing.width, height: PHONE_VIEWPORT.height })
          await load(page, html, drawing.theme)
          if (drawing.check) {
            overflow[checkKey(entry.scene, entry.lang, entry.scale, drawing.width)] = (await page.evaluate(
              FIND_OVERFLOW,
            )) as Overflow
          }
          const file = drawing.file
          let png = await page.screenshot({ path: path.join(shotsDir, file), fullPage: true })
          for (let retry = 0; retry < 2 && tiledProblem(decodePng(png)); retry += 1) {
            png = await page.screenshot({ path: path.join(shotsDir, file), fullPage: true })
          }
          const pixels = decodePng(png)
          const stats = pixelStats(pixels, { skipRows: NAVIGATION_BAR_CSS_PX * DEVICE_SCALE_FACTOR })
          const problem = blankProblem(stats) || tiledProblem(pixels)
          if (problem) blank.push(`${file} (${problem})`)
          shots.push({
            file,
            scene: entry.scene,
            lang: entry.lang,
            theme: drawing.theme,
            scale: entry.scale,
            viewport: drawing.width,
            width: stats.width,
            height: stats.height,
            bytes: png.length,
            stats,
          })
        }
      }
      const first = context.pages()[0] ?? (await context.newPage())
      const tabs = [first, ...(await Promise.all(LANGUAGES.slice(1).map(() => context.newPage())))]
      await Promise.all(
        LANGUAGES.map((lang, index) =>
          draw(
            tabs[index] as Page,
            rendered.filter((entry) => entry.lang === lang),
          ),
        ),
      )
      const order = (shot: ShotRecord) =>
        rendered.findIndex(
          (entry) => entry.scene === shot.scene && entry.lang === shot.lang && entry.scale === shot.scale,
        )
      shots.sort(
        (a, b) =>
          order(a) - order(b) || b.viewport - a.viewport || THEMES.indexOf(a.theme) - THEMES.indexOf(b.theme),
      )
    } finally {
      await context.close()
    }
  } finally {
    removeTempDir(profile)
  }
  timingsMs.draw = Date.now() - drawStarted

  log('')
  log(
    `screenshots in ${displayPath(shotsDir, rootDir)} (${WIDTHS.join(' and ')} × ${PHONE_VIEWPORT.height} CSS px at ×${DEVICE_SCALE_FACTOR}, full page):`,
  )
  for (const shot of shots) {
    log(
      `  ${shot.file.padEnd(42)} ${String(shot.width).padStart(4)}×${String(shot.height).padEnd(5)} ${String(Math.round(shot.bytes / 1024)).padStart(4)} KB  ${String(shot.stats.distinctColours).padStart(4)} colours  ${(shot.stats.contentShare * 100).toFixed(1).padStart(5)}% content`,
    )
  }
  log('')
  const misfits: string[] = []
  for (const width of WIDTHS) {
    for (const scale of [...new Set(rendered.map((entry) => entry.scale))]) {
      const keys = rendered
        .filter((entry) => entry.scale === scale && entry.widths.includes(width))
        .map((entry) => checkKey(entry.scene, entry.lang, entry.scale, width))
      const failing = keys.flatMap((key) => {
        const result = overflow[key]
        if (!result) return []
        const problems = [
          ...result.offScreen.map((offender) => `past the screen: ${offender}`),
          ...result.cutOff.map((offender) => `cut off: ${offender}`),
          ...result.shortTargets.map((offender) => `under ${MIN_TAP_TARGET_PX} px: ${offender}`),
          ...result.textPast.map((offender) => `text past its box: ${offender}`),
        ]
        return problems.length
          ? [`  ${key} (document ${result.scrollWidth} px wide): ${problems.join('; ')}`]
          : []
      })
      log(
        failing.length
          ? `${width} px, ${scaleTag(scale)}: ${plural(failing.length, 'state')} of ${keys.length} do not fit:`
          : `${width} px, ${scaleTag(scale)}: all ${keys.length} states fit, every button ${MIN_TAP_TARGET_PX} px or taller`,
      )
      for (const line of failing) log(line)
      misfits.push(...failing)
    }
  }

  let docs: string[] = []
  if (options.updateDocs) {
    const docsDir = path.resolve(rootDir, DOCS_DIR)
    fs.mkdirSync(docsDir, { recursive: true })
    docs = DOCS_SELECTION.map(({ scene, lang, theme }) => pngName(scene, lang, theme, 1))
    for (const stale of fs
      .readdirSync(docsDir)
      .filter((name) => name.endsWith('.png') && !docs.includes(name))) {
      fs.rmSync(path.join(docsDir, stale))
    }
    for (const name of docs) fs.copyFileSync(path.join(shotsDir, name), path.join(docsDir, name))
    log(`docs: ${docs.join(', ')} → ${displayPath(docsDir, rootDir)}`)
  }

  timingsMs.total = Date.now() - started
  fs.writeFileSync(
    path.join(shotsDir, 'summary.json'),
    `${JSON.stringify({ generatedAt: new Date().toISOString(), shots, overflow, blank, docs, timingsMs }, null, 2)}\n`,
  )
  log('')
  log(
    `screenshots: ${plural(shots.length, 'PNG')} in ${seconds(timingsMs.total)} (pages ${seconds(timingsMs.pages)}, Chromium ${seconds(timingsMs.draw)})`,
  )
  if (blank.length) {
    fail(`${plural(blank.length, 'screenshot')} came out wrong (blank or garbled): ${blank.join('; ')}.`)
  }
  if (misfits.length) {
    fail(
      `${plural(misfits.length, 'state')} do not fit the screen (overflow, cut off, or a button under ${MIN_TAP_TARGET_PX} px): see the list above.`,
    )
  }
  return { shots, overflow, docs, timingsMs }
}

function parseArgs(argv: string[]): { updateDocs: boolean } {
  let updateDocs = false
  for (const arg of argv) {
    if (arg === '--update-docs') updateDocs = true
    else fail(`Unknown option ${arg}: screenshots takes --update-docs.`)
  }
  return { updateDocs }
}

if (isMainModule(__filename)) {
  void runCli(async () => {
    await screenshots(parseArgs(process.argv.slice(2)))
  })
}
