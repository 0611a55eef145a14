/**
 * Text that follows WeChat's font setting: every page reads `fontSizeScaleFactor`, clamps it to 1.0–1.6 and puts it on
 * its root through `<page-meta page-style>` as `--font-scale`, which every text size of the WXSS multiplies; the
 * standard size costs no setData. The WXSS itself keeps body text at 14 px or more at scale 1.
 */
import fs from 'node:fs'
import path from 'node:path'
import { clampFontScale } from '../../miniprogram/utils/font-scale'
import { loadPage, MINIPROGRAM_ROOT, renderPage, useWx, type PageHandle } from '../support/simulate'

const PAGES = ['launch', 'bind', 'register', 'mfa', 'denied', 'home', 'password', 'account'] as const
const loaded = Object.fromEntries(PAGES.map((name) => [name, loadPage(`pages/${name}/index`)]))

const pageStyle = (page: PageHandle) => String(page.pageMeta()['page-style'] ?? '')

test('the reported factor is clamped to 1.0–1.6, two decimals; anything unusable is the standard size', () => {
  expect([0.8, 1, 1.12, 1.3, 1.456, 1.6, 2, 3.5].map(clampFontScale)).toEqual([
    1, 1, 1.12, 1.3, 1.46, 1.6, 1.6, 1.6,
  ])
  expect([undefined, null, Number.NaN, -1, 0, '1.3', Infinity].map(clampFontScale)).toEqual([
    1, 1, 1, 1, 1, 1, 1,
  ])
})

describe.each(PAGES)('pages/%s/index', (name) => {
  test('carries the scale WeChat reports on its root, and a new one when it shows again', () => {
    // offline: each page shows its own failure state; the root style does not depend on the network
    const { state, uninstall } = useWx({ offline: true, fontSizeScaleFactor: 1.3 })
    try {
      const page = renderPage(loaded[name] as ReturnType<typeof loadPage>)
      expect(pageStyle(page)).toBe('--font-scale: 1.3;')
      state.options.fontSizeScaleFactor = 2.4
      page.hide()
      page.show()
      expect(pageStyle(page)).toBe('--font-scale: 1.6;')
    } finally {
      uninstall()
    }
  })
})

test('at the standard size the page sets no style and spends no setData on it', () => {
  const { uninstall } = useWx({ offline: true })
  try {
    const page = renderPage(loaded.denied as ReturnType<typeof loadPage>)
    expect(pageStyle(page)).toBe('')
    expect(page.setDataCalls().calls.flatMap((call) => call.keys)).not.toContain('pageStyle')
  } finally {
    uninstall()
  }
})

/**
 * Marks whose size does not follow the text: the launch brand and the denied icon (aria-hidden), the captcha's knob
 * arrow (aria-hidden) and its close cross (a symbol in a 44-px target, labelled for screen readers).
 */
const FIXED_DECORATIONS = ['.launch__brand', '.denied__icon', '.captcha__knob', '.captcha__close']

test('every text size in our WXSS is px × --font-scale, 14 px or more at scale 1 (decorations aside)', () => {
  const files = [
    'app.wxss',
    ...['pages', 'components'].flatMap((folder) =>
      fs
        .readdirSync(path.join(MINIPROGRAM_ROOT, folder))
        .map((entry) => path.join(folder, entry, 'index.wxss'))
        .filter((file) => fs.existsSync(path.join(MINIPROGRAM_ROOT, file))),
    ),
  ]
  const problems: string[] = []
  for (const file of files) {
    const css = fs.readFileSync(path.join(MINIPROGRAM_ROOT, file), 'utf8')
    for (const rule of css.matchAll(/([^{}]+)\{([^}]*)\}/g)) {
      const selector = (rule[1] ?? '').trim()
      for (const size of (rule[2] ?? '').matchAll(/(?:^|[;\s])(font-size|--[\w-]*font-size):\s*([^;]+);/g)) {
        const value = (size[2] ?? '').trim()
        if (FIXED_DECORATIONS.includes(selector)) continue
        const scaled = /^calc\((\d+(?:\.\d+)?)px \* var\(--font-scale(?:, 1)?\)\)$/.exec(value)
        if (!scaled) problems.push(`${file} ${selector}: ${value} does not follow --font-scale`)
        else if (Number(scaled[1]) < 14 && !/caret/.test(selector))
          problems.push(`${file} ${selector}: ${value} is under 14 px at scale 1`)
      }
    }
  }
  expect(problems).toEqual([])
})
