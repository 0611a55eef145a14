/**
 * Where the mini program runs. WeCom (企业微信) opens WeChat mini programs too, but signing in here starts from
 * WeChat's `wx.login`, and what WeCom hands out is not a WeChat login the tenant can exchange: the launch page says so
 * instead of letting the login fail.
 */

/**
 * WeCom gives mini programs its own `wx.qy` namespace (and only there; WeChat has none). Its other marker,
 * `environment: 'wxwork'`, comes only with the deprecated all-in-one system information call.
 */
export function insideWeCom(): boolean {
  const qy = (wx as unknown as { qy?: unknown }).qy
  return typeof qy === 'object' && qy !== null
}
