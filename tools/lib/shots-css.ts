/**
 * CSS for turning a page rendered by miniprogram-simulate into a standalone HTML page Chromium can draw:
 * rpx as WeChat sizes it, the app-wide stylesheet (app.wxss) applied to the page, the look of WeChat's built-in
 * components (view, text, image, button, input, movable-area …, which jsdom only knows as unknown `wx-*` tags), a
 * navigation bar in the colours of theme.json, and stand-ins for the few Vant icons the app shows (Vant loads its
 * icon font from a CDN; the screenshots run offline). Layout is close to a phone's, not identical.
 */

/** `30rpx` → `4vw`: 750 rpx are the window width, whatever it is (WeChat's definition). */
export function rpxToVw(css: string): string {
  return css.replace(/(-?(?:\d+\.?\d*|\.\d+))rpx\b/gi, (_whole, value: string) => {
    const vw = Number(value) / 7.5
    return `${Number(vw.toFixed(4))}vw`
  })
}

/**
 * app.wxss as it applies to a page: its class selectors prefixed the way simulate prefixes the page's own
 * (`.page` → `.main--page`), done by the caller with simulate's own compiler; here `page` (WeChat's root element)
 * becomes `body`, so its variables and colours reach everything, and rpx become vw.
 */
export function appStylesForPage(compiledAppWxss: string): string {
  return rpxToVw(compiledAppWxss.replace(/(^|[{},\s>+~(])page(?=[\s,{:.[>+~)]|$)/g, '$1body'))
}

export interface NavigationTheme {
  navBackground: string
  navTextStyle: 'black' | 'white' | string
  background: string
}

const textColour = (style: string) => (style === 'white' ? '#ffffff' : '#000000')

/** The navigation bar WeChat draws above the page, in theme.json's light and dark colours. */
export function navigationBarCss(light: NavigationTheme, dark: NavigationTheme): string {
  return [
    `.wx-shot-navbar{position:sticky;top:0;z-index:90;height:44px;line-height:44px;text-align:center;font-size:17px;font-weight:600;background:${light.navBackground};color:${textColour(light.navTextStyle)};white-space:nowrap;overflow:hidden;text-overflow:ellipsis;padding:0 96px}`,
    `html{background:${light.background}}`,
    `@media (prefers-color-scheme: dark){.wx-shot-navbar{background:${dark.navBackground};color:${textColour(dark.navTextStyle)}}html{background:${dark.background}}}`,
  ].join('\n')
}

/** WeChat's built-in components as the base library styles them, approximately. */
export const BUILT_IN_CSS = `
html{-webkit-text-size-adjust:100%}
body{margin:0;font-family:-apple-system,BlinkMacSystemFont,"PingFang SC","Noto Sans CJK SC","Noto Sans SC","Helvetica Neue",Arial,sans-serif;font-size:16px;-webkit-font-smoothing:antialiased}
main,wx-view,wx-scroll-view,wx-swiper,wx-swiper-item,wx-cover-view,wx-form,wx-picker,wx-navigator,wx-rich-text,wx-progress{display:block}
wx-text{display:inline}
wx-label{display:inline}
wx-scroll-view{overflow:hidden;width:100%}
wx-image{display:inline-block;position:relative;overflow:hidden;width:320px;height:240px}
wx-image>img{position:absolute;left:0;top:0;width:100%;height:100%;display:block}
wx-button{position:relative;display:block;margin-left:auto;margin-right:auto;padding-left:14px;padding-right:14px;box-sizing:border-box;font-size:18px;text-align:center;text-decoration:none;line-height:2.55555556;border-radius:5px;overflow:hidden;color:#000;background-color:#f8f8f8;cursor:default}
wx-button::after{content:" ";width:200%;height:200%;position:absolute;top:0;left:0;border:1px solid rgba(0,0,0,.2);transform:scale(.5);transform-origin:0 0;box-sizing:border-box;border-radius:10px}
wx-input,wx-textarea{display:block;height:1.4rem;line-height:1.4rem;min-height:1.4rem;overflow:hidden;white-space:nowrap;text-overflow:clip}
wx-input>.wx-shot-placeholder,wx-textarea>.wx-shot-placeholder{color:var(--field-placeholder-text-color,#c8c9cc)}
wx-movable-area{display:block;position:relative;width:10px;height:10px}
wx-movable-view{display:block;position:absolute;top:0;left:0;width:10px;height:10px}
[hidden]{display:none!important}
`

/** Stand-ins for Vant's icon font (a CDN font, unreachable offline): after the page styles, so they win. */
export const ICON_FALLBACK_CSS = `
[class*="van-icon--van-icon-"]::before{font-family:-apple-system,"Noto Sans CJK SC",sans-serif;content:""}
[class*="van-icon--van-icon-success"]::before{content:"✓"}
[class*="van-icon--van-icon-cross"]::before,[class*="van-icon--van-icon-clear"]::before{content:"×"}
[class*="van-icon--van-icon-arrow"]::before{content:"›"}
[class*="van-icon--van-icon-warning"]::before,[class*="van-icon--van-icon-info"]::before{content:"!"}
`
