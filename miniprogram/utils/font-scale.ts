/**
 * WeChat's text size setting, as this app applies it. `wx.getAppBaseInfo().fontSizeScaleFactor` says how much larger
 * than standard the user wants text (1 = standard); the app scales its text by it, clamped to 1.0–1.6 (smaller would
 * go below 14 px body text; larger no longer fits a 320-px screen), through one CSS variable, `--font-scale`, which
 * every text size in the WXSS multiplies (app.wxss, and Vant's size variables set there).
 */
export const FONT_SCALE_MIN = 1
export const FONT_SCALE_MAX = 1.6

/** A reported factor as the app uses it: a number in 1.0–1.6, two decimals; anything unusable is 1. */
export function clampFontScale(reported: unknown): number {
  const value = typeof reported === 'number' ? reported : Number.NaN
  if (!Number.isFinite(value) || value <= 0) return FONT_SCALE_MIN
  return Math.round(Math.min(FONT_SCALE_MAX, Math.max(FONT_SCALE_MIN, value)) * 100) / 100
}

/** The user's factor now (1 where the base library reports none). */
export function fontScale(): number {
  try {
    return clampFontScale(wx.getAppBaseInfo().fontSizeScaleFactor)
  } catch {
    return FONT_SCALE_MIN
  }
}

/** The page root's style for a factor: '' at 1, where app.wxss's default applies. */
export const pageStyleFor = (scale: number): string =>
  scale === FONT_SCALE_MIN ? '' : `--font-scale: ${scale};`

/** The phone width the layout is drawn for; a narrower window makes the same text relatively larger. */
const DESIGN_WIDTH_PX = 375
/** From this much text per screen width on, a field's label goes above it: beside it, the input gets too narrow. */
const LABELS_ABOVE_FROM = 1.1

/** Whether fields put their label above them: large text, a narrow phone (320 px at the standard size), or both. */
export function labelsAboveFor(scale: number, windowWidth: number): boolean {
  const width = windowWidth > 0 ? windowWidth : DESIGN_WIDTH_PX
  return (scale * DESIGN_WIDTH_PX) / width >= LABELS_ABOVE_FROM
}

/** The window's width in CSS px (the design width where it cannot be read). */
export function windowWidth(): number {
  try {
    return wx.getWindowInfo().windowWidth || DESIGN_WIDTH_PX
  } catch {
    return DESIGN_WIDTH_PX
  }
}
