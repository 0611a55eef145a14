/**
 * What `npm run screenshots` renders: each page in its main states, in Chinese and English, light and dark, at three
 * font scales and two widths; which of them the README shows (docs/screenshots/); and where the files go. Pure: names and paths only.
 */
import path from 'node:path'

export const LANGUAGES = ['zh', 'en'] as const
export type Language = (typeof LANGUAGES)[number]
export const THEMES = ['light', 'dark'] as const
export type Theme = (typeof THEMES)[number]

export interface Scene {
  name: string
  /** the page route it shows */
  page: string
  description: string
}

/** In journey order. The bind states are taken one after another on the same page, as a user goes through them. */
export const SCENES: readonly Scene[] = [
  {
    name: 'launch',
    page: 'pages/launch/index',
    description: 'first page: who the app is for, sign in and "not now" (the review kit\'s first frame)',
  },
  {
    name: 'launch-error',
    page: 'pages/launch/index',
    description: 'sign-in failed (server answered 503), with retry',
  },
  { name: 'bind-empty', page: 'pages/bind/index', description: 'bind page as opened after SOCIAL_BIND' },
  {
    name: 'bind-errors',
    page: 'pages/bind/index',
    description: 'invalid mobile and code, agreement not ticked, send tapped',
  },
  { name: 'bind-captcha', page: 'pages/bind/index', description: 'slider captcha open with its puzzle' },
  {
    name: 'bind-countdown',
    page: 'pages/bind/index',
    description: 'code sent, resend countdown running, "Didn\'t get the code?" open',
  },
  {
    name: 'register',
    page: 'pages/register/index',
    description: 'register page after bind answered USER_REGISTER',
  },
  { name: 'mfa', page: 'pages/mfa/index', description: 'second factor by SMS to the masked phone' },
  { name: 'denied', page: 'pages/denied/index', description: 'refused by the organisation policy' },
  {
    name: 'home',
    page: 'pages/home/index',
    description: 'signed in: who, session expiry, refresh, my linked account, sign out',
  },
  {
    name: 'account',
    page: 'pages/account/index',
    description: 'my linked account, OneAccess tenant: who, the linked WeChat, unlink and "not me"',
  },
  {
    name: 'account-confirm',
    page: 'pages/account/index',
    description: 'my linked account, OneAccess tenant: the unlink confirmation shown in the page',
  },
  {
    name: 'account-it',
    page: 'pages/account/index',
    description: 'my linked account, BambooCloud tenant: IT unlinks, the request to copy for them',
  },
]

/**
 * WeChat's text size settings every scene is rendered at (`fontSizeScaleFactor`; the app clamps to 1.0–1.6): the
 * standard size, a large one and the largest the app follows. A picture's scale is in its name (`fs1.3`).
 */
export const FONT_SCALES = [1, 1.3, 1.6] as const
export type FontScale = (typeof FONT_SCALES)[number]
export const scaleTag = (scale: number) => `fs${scale.toFixed(1)}`

/** The narrowest phones WeChat runs on; every scene is laid out and checked there too. */
export const NARROW_WIDTH = 320
export const PHONE_VIEWPORT = { width: 375, height: 667 }
/**
 * Every scene is rendered once per width, with the test wx's window that wide: the app lays out by it (labels go above
 * fields on a narrow phone, the captcha sizes its puzzle from it).
 */
export const WIDTHS = [PHONE_VIEWPORT.width, NARROW_WIDTH] as const
export const DEVICE_SCALE_FACTOR = 2

/** What the README shows: a few, both languages and both themes represented. */
export const DOCS_SELECTION: readonly { scene: string; lang: Language; theme: Theme }[] = [
  { scene: 'bind-empty', lang: 'zh', theme: 'light' },
  { scene: 'bind-captcha', lang: 'zh', theme: 'dark' },
  { scene: 'mfa', lang: 'en', theme: 'light' },
  { scene: 'home', lang: 'en', theme: 'dark' },
  { scene: 'account', lang: 'zh', theme: 'light' },
]

export const SHOTS_DIR = path.join('reports', 'screenshots')
export const DOCS_DIR = path.join('docs', 'screenshots')
/** Where the page run writes its HTML pages and manifests. */
export const HTML_DIR = path.join('.tmp', 'shots')

const widthTag = (width: number) => (width === PHONE_VIEWPORT.width ? '' : `.w${width}`)
/** `bind-empty.zh.light.fs1.3.png`; `.w320` before `.png` for the narrow phone. */
export const pngName = (
  scene: string,
  lang: Language,
  theme: Theme,
  scale = 1,
  width: number = PHONE_VIEWPORT.width,
) => `${scene}.${lang}.${theme}.${scaleTag(scale)}${widthTag(width)}.png`
export const htmlName = (scene: string, lang: Language, scale = 1, window: number = PHONE_VIEWPORT.width) =>
  `${scene}.${lang}.${scaleTag(scale)}${widthTag(window)}.html`
export const manifestName = (lang: Language) => `manifest.${lang}.json`

/** One rendered page, as the page run lists it in its manifest. */
export interface RenderedScene {
  scene: string
  lang: Language
  /** the font scale the app was given (fontSizeScaleFactor) */
  scale: number
  /** the viewport widths it is drawn at: the window width it was rendered for */
  widths: number[]
  /** file name inside HTML_DIR */
  html: string
  title: string
  route: string
}

export interface Drawing {
  width: number
  theme: Theme
  file: string
  /** measured for overflow and tap targets (light only: the theme changes colours, not layout) */
  check: boolean
}

/** What is drawn of one rendering: at 375 px both themes at the standard scale, light otherwise; 320 px in light. */
export function drawingsOf(entry: RenderedScene): Drawing[] {
  return entry.widths.flatMap((width) => {
    const themes: readonly Theme[] = width === PHONE_VIEWPORT.width && entry.scale === 1 ? THEMES : ['light']
    return themes.map((theme) => ({
      width,
      theme,
      file: pngName(entry.scene, entry.lang, theme, entry.scale, width),
      check: theme === 'light',
    }))
  })
}

/** The key a check result is kept under: `bind-empty.zh.fs1.3.w320`. */
export const checkKey = (scene: string, lang: Language, scale: number, width: number) =>
  `${scene}.${lang}.${scaleTag(scale)}.w${width}`

/** Every scene × language × scale × width that a set of manifests lacks, as its check key. */
export function missingScenes(rendered: readonly RenderedScene[]): string[] {
  const have = new Set(
    rendered.flatMap((entry) =>
      entry.widths.map((width) => checkKey(entry.scene, entry.lang, entry.scale, width)),
    ),
  )
  return LANGUAGES.flatMap((lang) =>
    SCENES.flatMap((scene) =>
      FONT_SCALES.flatMap((scale) => WIDTHS.map((width) => checkKey(scene.name, lang, scale, width))),
    ),
  ).filter((key) => !have.has(key))
}

/**
 * What the user taps, by the class simulate gives it (prefixed, so matched by suffix): Vant's buttons and the captcha's
 * own buttons and links. Each must be 44 px tall at least wherever it is drawn.
 */
export const TAP_TARGET_SELECTORS: readonly string[] = [
  'wx-button',
  '[class*="captcha__move"]',
  '[class*="captcha__check"]',
  '[class*="captcha__close"]',
  '[class*="captcha__refresh"]',
  '[class*="captcha__help-link"]',
  '[class*="captcha__help-action"]',
  '[class*="code-help__link"]',
  '[class*="code-help__action"]',
]
export const MIN_TAP_TARGET_PX = 44
