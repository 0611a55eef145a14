/**
 * A page rendered by miniprogram-simulate, as a standalone HTML file for Chromium: the page's DOM (jsdom, with
 * WeChat's built-in components as `wx-*` tags) and the styles simulate compiled for it, plus app.wxss, the look of the
 * built-in components, a navigation bar, and what jsdom leaves out of the DOM — image sources (the captcha's data
 * URIs, or the files they point to), the text of inputs (their value, or the placeholder), the position of a
 * movable-view, and page-meta's page style on the root. Only for the "shots" project of tools/jest.config.js, whose setup makes rpx scale with the window (shots-setup.ts).
 */
import fs from 'node:fs'
import path from 'node:path'
import {
  appStylesForPage,
  BUILT_IN_CSS,
  ICON_FALLBACK_CSS,
  navigationBarCss,
  type NavigationTheme,
} from '../lib/shots-css'
import { MINIPROGRAM_ROOT, type PageHandle, type PageId } from '../../test/support/simulate'
import { wxStateOf } from '../../test/support/wx-node'

interface VirtualNode {
  attrs?: { name: string; value: unknown }[]
}
interface WxElement {
  _vt?: VirtualNode
  __methodCaller?: { value?: unknown; data?: Record<string, unknown> }
}
type WithWx = Element & { __wxElement?: WxElement }

interface SimulateWxss {
  compile(wxss: string, options: { prefix: string }): string
}

/** The attributes the template gave a built-in component (jsdom's element carries none of them). */
function templateAttrs(element: Element): Map<string, unknown> {
  const attrs = (element as WithWx).__wxElement?._vt?.attrs ?? []
  return new Map(attrs.map(({ name, value }) => [name, value]))
}

const OBJECT_FIT: Record<string, string> = {
  scaleToFill: 'fill',
  aspectFit: 'contain',
  aspectFill: 'cover',
  widthFix: 'fill',
  heightFix: 'fill',
}

/** A user-data file (`wxfile://usr/…`, the captcha's images) as the data URL of what the app wrote there. */
function imageSource(src: string): string {
  if (!src.startsWith('wxfile://')) return src
  const bytes = wxStateOf((globalThis as { wx?: unknown }).wx)?.files.get(src)
  return bytes ? `data:image/png;base64,${Buffer.from(bytes).toString('base64')}` : src
}

/** What a phone would show inside the element that jsdom keeps empty. */
function fillIn(original: Element, copy: Element, document: Document): void {
  const tag = original.tagName.toLowerCase()
  const attrs = templateAttrs(original)
  if (attrs.get('hidden') === true) copy.setAttribute('hidden', '')
  if (tag === 'wx-image') {
    const src = imageSource(String(attrs.get('src') ?? ''))
    if (!src) return
    const img = document.createElement('img')
    img.setAttribute('src', src)
    img.setAttribute('alt', '')
    img.setAttribute(
      'style',
      `object-fit:${OBJECT_FIT[String(attrs.get('mode') ?? 'scaleToFill')] ?? 'fill'}`,
    )
    copy.appendChild(img)
  } else if (tag === 'wx-input' || tag === 'wx-textarea') {
    // a van-field keeps what was typed on its instance; its inner input's value is only set from outside
    const field = (original.closest('van-field') as WithWx | null)?.__wxElement?.__methodCaller
    const value = String(attrs.get('value') || field?.value || field?.data?.value || '')
    const span = document.createElement('span')
    if (value) {
      span.textContent = attrs.get('password') === true ? '•'.repeat(value.length) : value
    } else {
      span.className = 'wx-shot-placeholder'
      span.textContent = String(attrs.get('placeholder') ?? '')
    }
    copy.appendChild(span)
  } else if (tag === 'wx-movable-view') {
    const x = Number(attrs.get('x') ?? 0) || 0
    const y = Number(attrs.get('y') ?? 0) || 0
    if (x || y)
      copy.setAttribute('style', `${copy.getAttribute('style') ?? ''};transform:translate(${x}px,${y}px)`)
  }
}

let appWxss: { prefix: string; css: string } | undefined

/** app.wxss compiled like the page's own WXSS (simulate's compiler, the page's class prefix), for the page. */
function appStyles(prefix: string): string {
  if (appWxss?.prefix !== prefix) {
    // in a registry of its own: simulate's modules (and the rpx replacement of shots-setup.ts) must not be
    // cached outside the isolated registries simulate.ts loads pages in, or the pages would share them
    let wxss: SimulateWxss | undefined
    jest.isolateModules(() => {
      // eslint-disable-next-line @typescript-eslint/no-require-imports -- simulate's WXSS compiler, untyped
      wxss = require('miniprogram-simulate/src/wxss') as SimulateWxss
    })
    if (!wxss) throw new Error('miniprogram-simulate/src/wxss did not load')
    const source = fs.readFileSync(path.join(MINIPROGRAM_ROOT, 'app.wxss'), 'utf8')
    appWxss = { prefix, css: appStylesForPage(wxss.compile(source, { prefix })) }
  }
  return appWxss.css
}

export function themeJson(): { light: NavigationTheme; dark: NavigationTheme } {
  return JSON.parse(fs.readFileSync(path.join(MINIPROGRAM_ROOT, 'theme.json'), 'utf8')) as {
    light: NavigationTheme
    dark: NavigationTheme
  }
}

const escapeHtml = (text: string) =>
  text.replace(/[&<>"]/g, (char) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[char] ?? char)

/**
 * The page as it stands now, as a complete HTML document. `pageId` is what `loadPage` answered for it (simulate
 * names the page's `<style>` after it); `title` goes into the navigation bar.
 */
export function pageHtml(options: {
  page: PageHandle
  pageId: PageId
  title: string
  lang: 'zh' | 'en'
}): string {
  const { page, pageId, title, lang } = options
  const document = page.parent.ownerDocument
  const pageStyle = document.head.querySelector(`style#${pageId}`)?.textContent
  if (!pageStyle)
    throw new Error(`no <style id="${pageId}"> in the document: was the page rendered by renderPage?`)
  const root = page.parent.firstElementChild
  if (!root) throw new Error('the rendered page has no root element')
  const copy = page.parent.cloneNode(true) as Element
  const originals = [root, ...Array.from(root.querySelectorAll('*'))]
  const copies = [
    copy.firstElementChild as Element,
    ...Array.from((copy.firstElementChild as Element).querySelectorAll('*')),
  ]
  if (originals.length !== copies.length) throw new Error('the copy of the page does not match its DOM')
  originals.forEach((original, index) => fillIn(original, copies[index] as Element, document))
  const theme = themeJson()
  return [
    '<!doctype html>',
    `<html lang="${lang === 'zh' ? 'zh-CN' : 'en'}">`,
    '<head>',
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width,initial-scale=1">',
    '<meta name="color-scheme" content="light dark">',
    `<title>${escapeHtml(title)}</title>`,
    `<style>${BUILT_IN_CSS}</style>`,
    `<style>${navigationBarCss(theme.light, theme.dark)}</style>`,
    `<style>${appStyles(root.tagName.toLowerCase())}</style>`,
    `<style>${pageStyle}</style>`,
    `<style>${ICON_FALLBACK_CSS}</style>`,
    '</head>',
    // page-meta's page-style is the page root's style (the font scale): the root is <body> here
    `<body style="${escapeHtml(String(page.pageMeta()['page-style'] ?? ''))}">`,
    `<div class="wx-shot-navbar">${escapeHtml(title)}</div>`,
    copy.innerHTML,
    '</body>',
    '</html>',
    '',
  ].join('\n')
}
