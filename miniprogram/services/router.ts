/**
 * Where the app goes: every page's path, the route an answer leads to, and the two ways of going there.
 */

export const PAGES = {
  launch: '/pages/launch/index',
  bind: '/pages/bind/index',
  register: '/pages/register/index',
  mfa: '/pages/mfa/index',
  denied: '/pages/denied/index',
  home: '/pages/home/index',
  password: '/pages/password/index',
  /** in the `pages/account` subpackage */
  account: '/pages/account/index',
} as const

/** Open a page (reLaunch: no way back into the flow; redirectTo: flow pages replace each other), or stay and say why. */
export type Route =
  { kind: 'go'; method: 'reLaunch' | 'redirectTo'; url: string } | { kind: 'stay'; notice: string }

export const go = (method: 'reLaunch' | 'redirectTo', url: string): Route => ({ kind: 'go', method, url })

/** Resolves true once WeChat has opened the page, false when it refused (the caller keeps its page usable). */
export function navigate(route: Route): Promise<boolean> {
  return new Promise((resolve) => {
    if (route.kind !== 'go') return resolve(false)
    const options = { url: route.url, success: () => resolve(true), fail: () => resolve(false) }
    if (route.method === 'reLaunch') wx.reLaunch(options)
    else wx.redirectTo(options)
  })
}

/**
 * Back to the launch page. `manual` (after sign-out, "not now", access refused): launch waits for a tap instead of
 * signing in at once, so nobody is looped back to where they just left.
 */
export function backToLaunch(options: { manual: boolean }): void {
  wx.reLaunch({ url: options.manual ? `${PAGES.launch}?manual=1` : PAGES.launch })
}
