/**
 * Project typings on top of miniprogram-api-typings (loaded through tsconfig `types`).
 */

declare namespace WechatMiniprogram {
  /** The answer a page gives WeChat's privacy gate (base library ≥ 2.32.3). */
  interface PrivacyAnswer {
    event: 'exposureAuthorization' | 'agree' | 'disagree'
    /** the id of the `open-type="agreePrivacyAuthorization"` button the user tapped; required with 'agree' */
    buttonId?: string
  }

  /**
   * The listener of `wx.onNeedPrivacyAuthorization`, as WeChat calls it: with a `resolve` function. api-typings 5.2.3
   * declares its argument as a plain result object (`OnNeedPrivacyAuthorizationCallback`), which cannot be called.
   */
  type NeedPrivacyAuthorizationListener = (
    resolve: (answer: PrivacyAnswer) => void,
    eventInfo: { referrer: string },
  ) => void
}
