/**
 * The pure parts of `npm run screenshots`: the blank check (PNG decoding and pixel counts), the CSS that turns a
 * simulated page into a phone-sized HTML page, the plan of scenes, and how Chromium and the CJK font get installed.
 * The screenshots themselves run with `npm run screenshots`.
 */
import { PNG } from 'pngjs'
import { ScriptError } from '../../scripts/lib/errors'
import {
  ensureBrowser,
  installPlan,
  missingPackages,
  type BrowserProbe,
  type CommandResult,
  type Runner,
} from '../../tools/lib/shots-chromium'
import { appStylesForPage, navigationBarCss, rpxToVw } from '../../tools/lib/shots-css'
import {
  DOCS_SELECTION,
  drawingsOf,
  FONT_SCALES,
  htmlName,
  LANGUAGES,
  missingScenes,
  pngName,
  SCENES,
  THEMES,
  WIDTHS,
  type RenderedScene,
} from '../../tools/lib/shots-plan'
import { blankProblem, decodePng, pixelStats, tiledProblem, type Pixels } from '../../tools/lib/shots-png'

/** Encodes RGBA pixels with PNG row filter `filterType` (0-4, or -1: the best per row, as Chromium does). */
function encodePng(pixels: Pixels, filterType = -1): Buffer {
  const png = new PNG({ width: pixels.width, height: pixels.height })
  png.data = Buffer.from(pixels.data)
  return PNG.sync.write(png, { filterType })
}

/** A light page with a dark bar on top and, below it, `drawn` rows of varied "text" pixels. */
function page(
  width: number,
  height: number,
  options: { bar: number; drawn: number; channels?: 3 | 4 },
): Pixels {
  const channels = options.channels ?? 4
  const data = new Uint8Array(width * height * channels)
  for (let y = 0; y < height; y += 1) {
    for (let x = 0; x < width; x += 1) {
      const at = (y * width + x) * channels
      const inBar = y < options.bar
      const inText = !inBar && y < options.bar + options.drawn && x % 3 !== 0
      const shade = inBar ? 20 : inText ? (x * 7 + y * 13) % 200 : 245
      data.set(channels === 4 ? [shade, shade, inText ? 255 - shade : shade, 255] : [shade, shade, shade], at)
    }
  }
  return { width, height, channels, data }
}

describe('the blank check', () => {
  test('decodes what was encoded, with every PNG row filter', () => {
    for (const filterType of [0, 1, 2, 3, 4, -1]) {
      const pixels = page(9, 10, { bar: 2, drawn: 5 })
      const decoded = decodePng(encodePng(pixels, filterType))
      expect(decoded).toMatchObject({ width: 9, height: 10, channels: 4 })
      expect(Buffer.from(decoded.data).equals(Buffer.from(pixels.data))).toBe(true)
    }
  })

  test('a page with only its navigation bar drawn is blank', () => {
    const stats = pixelStats(decodePng(encodePng(page(60, 80, { bar: 10, drawn: 0 }))), { skipRows: 10 })
    expect(stats.distinctColours).toBe(1)
    expect(blankProblem(stats)).toBe('only 1 distinct colours below the navigation bar')
  })

  test('a page with text below the navigation bar is not blank', () => {
    const stats = pixelStats(decodePng(encodePng(page(60, 80, { bar: 10, drawn: 30 }))), { skipRows: 10 })
    expect(stats.distinctColours).toBeGreaterThan(16)
    expect(stats.contentShare).toBeGreaterThan(0.2)
    expect(blankProblem(stats)).toBeUndefined()
  })

  test('a speck of colour on an empty page is still blank', () => {
    const pixels = page(100, 100, { bar: 0, drawn: 0 })
    for (let x = 0; x < 20; x += 1) pixels.data.set([x * 10, 0, 0, 255], x * 4)
    const stats = pixelStats(pixels)
    expect(stats.distinctColours).toBeGreaterThanOrEqual(16)
    expect(blankProblem(stats)).toMatch(/only 0\.\d+% of the pixels below the navigation bar differ/)
  })

  test('what is not a PNG is refused with a reason', () => {
    expect(() => decodePng(Buffer.from('GIF89a, a picture but not a PNG'))).toThrow('not a PNG file')
  })
})

describe('phone-sized CSS', () => {
  test('750 rpx are the window width, whatever the number looks like; px stay px', () => {
    expect(rpxToVw('padding: 48rpx 32rpx; width: 750rpx; margin: -15rpx .5rpx; border: 1px solid')).toBe(
      'padding: 6.4vw 4.2667vw; width: 100vw; margin: -2vw 0.0667vw; border: 1px solid',
    )
  })

  test('app.wxss reaches the page: `page` becomes the body, prefixed classes and words containing "page" do not', () => {
    const css =
      'page{--a:1}@media (prefers-color-scheme:dark){page{--a:2}}.main--page{min-height:100vh;padding:48rpx}.pages>page,x{}'
    expect(appStylesForPage(css)).toBe(
      'body{--a:1}@media (prefers-color-scheme:dark){body{--a:2}}.main--page{min-height:100vh;padding:6.4vw}.pages>body,x{}',
    )
  })

  test('the navigation bar takes theme.json’s colours, the dark ones under dark colour scheme', () => {
    const css = navigationBarCss(
      { navBackground: '#ffffff', navTextStyle: 'black', background: '#f5f6f7' },
      { navBackground: '#191919', navTextStyle: 'white', background: '#111111' },
    )
    expect(css).toContain('background:#ffffff;color:#000000')
    expect(css).toMatch(
      /@media \(prefers-color-scheme: dark\)\{\.wx-shot-navbar\{background:#191919;color:#ffffff\}/,
    )
  })
})

describe('the plan', () => {
  /** What a complete page run lists: every scene at every scale, once per window width. */
  const everything = (): RenderedScene[] =>
    LANGUAGES.flatMap((lang) =>
      SCENES.flatMap((scene) =>
        FONT_SCALES.flatMap((scale) =>
          WIDTHS.map((window) => ({
            scene: scene.name,
            lang,
            scale,
            widths: [window],
            html: htmlName(scene.name, lang, scale, window),
            title: '',
            route: scene.page,
          })),
        ),
      ),
    )

  test('covers every page of the journey, each state in both languages and themes, at three font scales', () => {
    expect(new Set(SCENES.map((scene) => scene.page))).toEqual(
      new Set(
        ['launch', 'bind', 'register', 'mfa', 'denied', 'home', 'account'].map(
          (name) => `pages/${name}/index`,
        ),
      ),
    )
    expect(LANGUAGES).toEqual(['zh', 'en'])
    expect(THEMES).toEqual(['light', 'dark'])
    expect(FONT_SCALES).toEqual([1, 1.3, 1.6])
    expect(WIDTHS).toEqual([375, 320])
    for (const pick of DOCS_SELECTION) expect(SCENES.map((scene) => scene.name)).toContain(pick.scene)
  })

  test("a picture's name carries its scale, and its width when narrow", () => {
    expect(pngName('bind-empty', 'zh', 'light', 1.3)).toBe('bind-empty.zh.light.fs1.3.png')
    expect(pngName('bind-empty', 'zh', 'dark', 1)).toBe('bind-empty.zh.dark.fs1.0.png')
    expect(pngName('home', 'en', 'light', 1.6, 320)).toBe('home.en.light.fs1.6.w320.png')
  })

  test('both themes at the standard scale and 375 px; light elsewhere, and every light drawing is checked', () => {
    const [wide, narrow] = everything().filter((entry) => entry.scene === 'home')
    expect(drawingsOf(wide as RenderedScene)).toEqual([
      { width: 375, theme: 'light', file: 'home.zh.light.fs1.0.png', check: true },
      { width: 375, theme: 'dark', file: 'home.zh.dark.fs1.0.png', check: false },
    ])
    expect(drawingsOf(narrow as RenderedScene)).toEqual([
      { width: 320, theme: 'light', file: 'home.zh.light.fs1.0.w320.png', check: true },
    ])
    expect(drawingsOf({ ...(wide as RenderedScene), scale: 1.6 }).map((drawing) => drawing.file)).toEqual([
      'home.zh.light.fs1.6.png',
    ])
    const drawings = everything().flatMap(drawingsOf)
    // per scene and language: 3 at the standard scale (two themes, one narrow), 2 at each larger one
    expect(drawings).toHaveLength(LANGUAGES.length * SCENES.length * 7)
    expect(new Set(drawings.map((drawing) => drawing.file)).size).toBe(drawings.length)
  })

  test('a page run that skipped a scene in one language, one scale or one width is caught', () => {
    expect(missingScenes(everything())).toEqual([])
    const withoutCaptcha = everything().filter(
      (entry) => !(entry.scene === 'bind-captcha' && entry.lang === 'en' && entry.scale === 1.3),
    )
    expect(missingScenes(withoutCaptcha)).toEqual([
      'bind-captcha.en.fs1.3.w375',
      'bind-captcha.en.fs1.3.w320',
    ])
    const captchaOnlyWide = everything().filter(
      (entry) => !(entry.scene === 'bind-captcha' && entry.widths.includes(320) && entry.scale === 1),
    )
    // the 375-px rendering drawn at 320 px would not do: the page laid out for another window
    expect(missingScenes(captchaOnlyWide)).toEqual([
      'bind-captcha.zh.fs1.0.w320',
      'bind-captcha.en.fs1.0.w320',
    ])
  })
})

// ---- installing the browser ---------------------------------------------------------------------------------------

const ok = (stdout = ''): CommandResult => ({ status: 0, stdout, stderr: '' })
const failed = (stderr: string, status = 100): CommandResult => ({ status, stdout: '', stderr })
const notFound: CommandResult = { status: null, stdout: '', stderr: '', error: 'spawnSync sudo ENOENT' }

/** A system where `answers` say how commands end; every call is recorded, and apt-get installs what it is asked. */
function system(answers: Record<string, CommandResult>, installed: { chromium: boolean; font: boolean }) {
  const calls: string[] = []
  const run: Runner = (command, args) => {
    const line = [command, ...args].join(' ')
    calls.push(line)
    const answer = answers[line] ?? answers[command] ?? ok()
    if (answer.status === 0 && /apt-get install/.test(line)) {
      installed.chromium = true
      installed.font = true
    }
    return answer
  }
  const probe: BrowserProbe = {
    chromiumInstalled: () => installed.chromium,
    cjkFontInstalled: () => installed.font,
  }
  return { run, probe, calls, installed }
}

describe('installing Chromium and the CJK font', () => {
  test('nothing is installed when both are there', () => {
    const { run, probe, calls } = system({}, { chromium: true, font: true })
    expect(ensureBrowser({ run, probe, uid: 1000, log: () => undefined }).installed).toEqual([])
    expect(calls).toEqual([])
  })

  test('as root, apt-get updates and installs both packages, naming what was missing', () => {
    const { run, probe, calls } = system({}, { chromium: false, font: true })
    expect(missingPackages(probe)).toEqual(['chromium'])
    const lines: string[] = []
    expect(ensureBrowser({ run, probe, uid: 0, log: (line) => lines.push(line) }).installed).toEqual([
      'chromium',
    ])
    expect(calls).toEqual([
      'apt-get --version',
      'apt-get update',
      'apt-get install -y chromium fonts-noto-cjk',
    ])
    expect(lines[0]).toBe('screenshots: installing chromium (missing)')
  })

  test('another user goes through passwordless sudo', () => {
    const { run, probe, calls } = system({}, { chromium: false, font: false })
    ensureBrowser({ run, probe, uid: 1000, log: () => undefined })
    expect(calls).toEqual([
      'apt-get --version',
      'sudo -n true',
      'sudo -n apt-get update',
      'sudo -n apt-get install -y chromium fonts-noto-cjk',
    ])
  })

  test('without root or sudo it stops with one sentence saying what to run', () => {
    const { run, probe } = system({ sudo: notFound }, { chromium: false, font: false })
    expect(installPlan({ uid: 1000, run })).toMatchObject({ kind: 'impossible' })
    expect(() => ensureBrowser({ run, probe, uid: 1000, log: () => undefined })).toThrow(
      "Screenshots need Debian's chromium and fonts-noto-cjk, and this user is not root and cannot use sudo without a password: install them yourself as root (apt-get update && apt-get install -y chromium fonts-noto-cjk) and run npm run screenshots again.",
    )
  })

  test('a sudo that wants a password counts as no sudo', () => {
    const { run } = system(
      { 'sudo -n true': failed('sudo: a password is required', 1) },
      { chromium: false, font: false },
    )
    expect(installPlan({ uid: 1000, run })).toMatchObject({ kind: 'impossible' })
  })

  test('a system without apt-get is told so', () => {
    const { run, probe } = system(
      { 'apt-get --version': { ...notFound, error: 'spawnSync apt-get ENOENT' } },
      { chromium: false, font: true },
    )
    expect(() => ensureBrowser({ run, probe, uid: 0, log: () => undefined })).toThrow(
      /there is no apt-get on this system/,
    )
  })

  test('a failing apt-get stops the run with its last words', () => {
    const { run, probe } = system(
      { 'apt-get install -y chromium fonts-noto-cjk': failed('E: Unable to locate package chromium') },
      { chromium: false, font: false },
    )
    let error: unknown
    try {
      ensureBrowser({ run, probe, uid: 0, log: () => undefined })
    } catch (caught) {
      error = caught
    }
    expect(error).toBeInstanceOf(ScriptError)
    expect((error as Error).message).toBe(
      'Installing chromium and fonts-noto-cjk failed (apt-get install -y chromium fonts-noto-cjk: exit 100, E: Unable to locate package chromium); install them as root and retry.',
    )
  })
})

describe('the garbled-capture check', () => {
  const image = (width: number, height: number, paint: (x: number, y: number) => number) => {
    const data = new Uint8Array(width * height * 3)
    for (let y = 0; y < height; y += 1) {
      for (let x = 0; x < width; x += 1) data.fill(paint(x, y), (y * width + x) * 3, (y * width + x) * 3 + 3)
    }
    return { width, height, channels: 3 as const, data }
  }

  test('flags a capture whose right half repeats its left half', () => {
    const tiled = image(200, 100, (x, y) => ((x % 100) * 7 + y * 3) % 256)
    expect(tiledProblem(tiled)).toMatch(/same tile repeated/)
  })

  test('passes a page whose halves share only their background', () => {
    const page = image(200, 100, (x, y) => (x < 60 && y % 10 < 3 ? 20 : 245))
    expect(tiledProblem(page)).toBeUndefined()
  })
})
