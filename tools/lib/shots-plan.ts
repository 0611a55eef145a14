/**
 * What `npm run screenshots` renders: each page in its main states, in Chinese and English, light and dark; which of
 * them the README shows (docs/screenshots/); and where the files go. Pure: names and paths only.
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
  { name: 'bind-countdown', page: 'pages/bind/index', description: 'code sent, resend countdown running' },
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
 * The scenes laid out again at 320 px (the narrowest phones WeChat runs on) and checked for horizontal overflow: all
 * but the open captcha, whose width the component computes from the window width, which the test wx fixes at 375.
 */
export const NARROW_CHECK_SCENES: readonly string[] = SCENES.map((scene) => scene.name).filter(
  (name) => name !== 'bind-captcha',
)
export const NARROW_WIDTH = 320
export const PHONE_VIEWPORT = { width: 375, height: 667 }
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

export const pngName = (scene: string, lang: Language, theme: Theme) => `${scene}.${lang}.${theme}.png`
export const htmlName = (scene: string, lang: Language) => `${scene}.${lang}.html`
export const manifestName = (lang: Language) => `manifest.${lang}.json`

/** One rendered page, as the page run lists it in its manifest. */
export interface RenderedScene {
  scene: string
  lang: Language
  /** file name inside HTML_DIR */
  html: string
  title: string
  route: string
}

/** Every scene × language that a set of manifests lacks, as `scene.lang`. */
export function missingScenes(rendered: readonly RenderedScene[]): string[] {
  const have = new Set(rendered.map((entry) => `${entry.scene}.${entry.lang}`))
  return LANGUAGES.flatMap((lang) => SCENES.map((scene) => `${scene.name}.${lang}`)).filter(
    (key) => !have.has(key),
  )
}
