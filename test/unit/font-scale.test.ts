/**
 * WeChat's text size setting as the app applies it (utils/font-scale.ts): the clamped factor, the page style it
 * gives, and when field labels move above their fields.
 */
import { freshApp, patchWx, type FreshApp } from '../support/fresh-app'
import type { WxNodeOptions } from '../support/wx-node'
import {
  clampFontScale,
  FONT_SCALE_MAX,
  FONT_SCALE_MIN,
  labelsAboveFor,
  pageStyleFor,
} from '../../miniprogram/utils/font-scale'

type FontScale = typeof import('../../miniprogram/utils/font-scale')

describe('clampFontScale', () => {
  test('keeps a factor inside 1.0–1.6 as it is', () => {
    expect([FONT_SCALE_MIN, FONT_SCALE_MAX]).toEqual([1, 1.6])
    expect(clampFontScale(1)).toBe(1)
    expect(clampFontScale(1.3)).toBe(1.3)
    expect(clampFontScale(1.6)).toBe(1.6)
  })

  test('raises a smaller factor to 1 and lowers a larger one to 1.6', () => {
    expect(clampFontScale(0.99)).toBe(1)
    expect(clampFontScale(0.5)).toBe(1)
    expect(clampFontScale(1.61)).toBe(1.6)
    expect(clampFontScale(2)).toBe(1.6)
  })

  test('rounds to two decimals', () => {
    expect(clampFontScale(1.234)).toBe(1.23)
    expect(clampFontScale(1.236)).toBe(1.24)
    expect(clampFontScale(1.599)).toBe(1.6)
    expect(clampFontScale(1.004)).toBe(1)
  })

  test('answers 1 for anything unusable', () => {
    for (const reported of [0, -1, -0.5, Number.NaN, Infinity, -Infinity, '1.3', null, undefined, {}]) {
      expect(clampFontScale(reported)).toBe(1)
    }
  })
})

describe('pageStyleFor', () => {
  test("is empty at the standard size, where app.wxss's default applies, and sets --font-scale otherwise", () => {
    expect(pageStyleFor(1)).toBe('')
    expect(pageStyleFor(1.3)).toBe('--font-scale: 1.3;')
    expect(pageStyleFor(1.6)).toBe('--font-scale: 1.6;')
  })
})

describe('labelsAboveFor', () => {
  test('at 375 px: beside the field below a factor of 1.1, above it from 1.1 on', () => {
    expect(labelsAboveFor(1, 375)).toBe(false)
    expect(labelsAboveFor(1.09, 375)).toBe(false)
    expect(labelsAboveFor(1.1, 375)).toBe(true)
    expect(labelsAboveFor(1.6, 375)).toBe(true)
  })

  test('at 320 px already at the standard size; on a wider phone only with larger text', () => {
    expect(labelsAboveFor(1, 320)).toBe(true)
    expect(labelsAboveFor(1, 414)).toBe(false)
    expect(labelsAboveFor(1.2, 414)).toBe(false)
    expect(labelsAboveFor(1.3, 414)).toBe(true)
  })

  test('takes the design width of 375 px when the window reports no width', () => {
    expect(labelsAboveFor(1, 0)).toBe(false)
    expect(labelsAboveFor(1, -320)).toBe(false)
    expect(labelsAboveFor(1.2, 0)).toBe(true)
    expect(labelsAboveFor(1.2, -320)).toBe(true)
  })
})

describe('reading the device', () => {
  let app: FreshApp<FontScale>
  const start = (options: WxNodeOptions = {}) => {
    app?.uninstall()
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- a fresh module copy per app
    app = freshApp(() => require('../../miniprogram/utils/font-scale') as FontScale, options)
  }
  afterAll(() => app.uninstall())

  test("fontScale is WeChat's text size setting, clamped", () => {
    start({ fontSizeScaleFactor: 1.25 })
    expect(app.modules.fontScale()).toBe(1.25)
    start({ fontSizeScaleFactor: 2.5 })
    expect(app.modules.fontScale()).toBe(1.6)
    start()
    expect(app.modules.fontScale()).toBe(1)
  })

  test('fontScale is 1 when the base library reports no factor or cannot be asked', () => {
    start()
    patchWx(app.wx, 'getAppBaseInfo', () => ({ language: 'zh_CN' }))
    expect(app.modules.fontScale()).toBe(1)
    patchWx(app.wx, 'getAppBaseInfo', () => {
      throw new Error('getAppBaseInfo:fail')
    })
    expect(app.modules.fontScale()).toBe(1)
  })

  test("windowWidth is the window's width, and 375 when it reports none or cannot be asked", () => {
    start({ windowWidth: 320 })
    expect(app.modules.windowWidth()).toBe(320)
    patchWx(app.wx, 'getWindowInfo', () => ({ windowWidth: 0 }))
    expect(app.modules.windowWidth()).toBe(375)
    patchWx(app.wx, 'getWindowInfo', () => ({}))
    expect(app.modules.windowWidth()).toBe(375)
    patchWx(app.wx, 'getWindowInfo', () => {
      throw new Error('getWindowInfo:fail')
    })
    expect(app.modules.windowWidth()).toBe(375)
  })
})
