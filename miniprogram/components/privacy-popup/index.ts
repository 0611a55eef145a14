/**
 * WeChat's privacy gate (base library ≥ 2.32.3): when a privacy-gated API (getPhoneNumber) needs the user's consent,
 * WeChat asks us through `wx.onNeedPrivacyAuthorization`; this popup explains and answers with the user's choice.
 */
import { t } from '../../i18n/index'
import { defineComponent } from '../../utils/define'

type Resolve = (result: { event: 'exposureAuthorization' | 'agree' | 'disagree'; buttonId?: string }) => void

defineComponent<{ resolvePrivacy?: Resolve }>()({
  data: { show: false, s: { title: '', body: '', agree: '', refuse: '' } },
  lifetimes: {
    attached() {
      if (typeof wx.onNeedPrivacyAuthorization !== 'function') return
      // one listener per app: the page shown last owns it, which is the page the user is looking at
      // the typings declare the listener's argument as a result object; it is the `resolve` function
      wx.onNeedPrivacyAuthorization(((resolve: Resolve) => {
        this.resolvePrivacy = resolve
        this.setData({
          show: true,
          s: {
            title: t('common.privacyTitle'),
            body: t('common.privacyBody'),
            agree: t('common.agreePrivacy'),
            refuse: t('common.refuse'),
          },
        })
        resolve({ event: 'exposureAuthorization' })
      }) as unknown as WechatMiniprogram.OnNeedPrivacyAuthorizationCallback)
    },
  },
  methods: {
    onAgreePrivacy() {
      if (this.resolvePrivacy) this.resolvePrivacy({ event: 'agree', buttonId: 'privacy-agree' })
      this.resolvePrivacy = undefined
      this.setData({ show: false })
    },
    onTapRefuse() {
      if (this.resolvePrivacy) this.resolvePrivacy({ event: 'disagree' })
      this.resolvePrivacy = undefined
      this.setData({ show: false })
    },
  },
})
