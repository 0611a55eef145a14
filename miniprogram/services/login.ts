/**
 * wx.login and the mini program login, one in flight however many callers ask at once.
 */
import { t } from '../i18n/index'
import { EiamError } from './errors'
import { type LoginAnswer, loginWithWechatCode } from './eiam'
import { insideWeCom } from './host'
import { failureOf, logStep } from './support'

let loginInFlight: Promise<LoginAnswer> | undefined

/** WeChat's login code; inside WeCom there is none the tenant could use, so it is refused with the reason. */
function wxLogin(): Promise<string> {
  return new Promise<string>((resolve, reject) => {
    if (insideWeCom()) return reject(new EiamError('rejected', t('wecom.message')))
    wx.login({
      success: ({ code }) => (code ? resolve(code) : reject(new EiamError('network', t('error.login')))),
      fail: () => reject(new EiamError('network', t('error.login'))),
    })
  }).catch((error: unknown) => {
    logStep(insideWeCom() ? 'wecom' : 'wx.login', failureOf(error))
    throw error
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
