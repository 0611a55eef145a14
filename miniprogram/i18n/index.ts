/**
 * zh / en, following the WeChat language. `X-L` follows the same choice so server messages match the UI.
 */
import { en, type Strings } from './en'
import { zh } from './zh'

export type Language = 'zh' | 'en'
export type { Strings }

let forced: Language | undefined

/** The WeChat client language, read per call (never at import time): `zh_CN`, `zh_TW`, `zh_HK` → zh, else en. */
export function language(): Language {
  if (forced) return forced
  let raw: string
  try {
    raw = wx.getAppBaseInfo().language
  } catch {
    raw = ''
  }
  return /^zh/i.test(raw || '') ? 'zh' : 'en'
}

/** Pin the language (screenshots render both); `undefined` follows WeChat again. */
export function forceLanguage(value: Language | undefined): void {
  forced = value
}

export function strings(lang: Language = language()): Strings {
  return lang === 'zh' ? zh : en
}

export type Params = Record<string, string | number>

/** The dotted path of every string, `'validation.mobileRequired'`: a mistyped key fails `tsc`, not the screen. */
type KeysOf<T, Prefix extends string = ''> = {
  [K in keyof T & string]: T[K] extends string ? `${Prefix}${K}` : KeysOf<T[K], `${Prefix}${K}.`>
}[keyof T & string]
export type StringKey = KeysOf<Strings>

export function fill(template: string, params: Params = {}): string {
  return template.replace(/\{(\w+)\}/g, (whole, name: string) =>
    params[name] !== undefined ? String(params[name]) : whole,
  )
}

/**
 * `t('validation.mobileRequired')`. The key is typed; one that slips past the types (plain JavaScript) answers
 * itself, so a missing string is visible, not blank.
 */
export function t(key: StringKey, params?: Params, lang: Language = language()): string {
  let node: unknown = strings(lang)
  for (const part of key.split('.')) {
    node = typeof node === 'object' && node !== null ? (node as Record<string, unknown>)[part] : undefined
  }
  return typeof node === 'string' ? fill(node, params) : key
}
