/**
 * wx.login and the mini program login, one in flight however many callers ask at once.
 */
import { t } from '../i18n/index'
import { EiamError } from './errors'
import { type LoginAnswer, loginWithWechatCode } from './eiam'

let loginInFlight: Promise<LoginAnswer> | undefined

function wxLogin(): Promise<string> {
  return new Promise((resolve, reject) => {
    wx.login({
      success: ({ code }) => (code ? resolve(code) : reject(new EiamError('network', t('error.login')))),
      fail: () => reject(new EiamError('network', t('error.login'))),
    })
  })
}

/** A fresh wx.login code every time (it lives 5 minutes and works once), then the EIAM login. */
export function login(): Promise<LoginAnswer> {
  if (!loginInFlight) {
    loginInFlight = (async () => loginWithWechatCode(await wxLogin()))().finally(() => {
      loginInFlight = undefined
    })
  }
  return loginInFlight
}
