/**
 * WeChat's privacy gate (base library ≥ 2.32.3): when a privacy-gated API (getPhoneNumber) needs the user's consent,
 * WeChat asks us through `wx.onNeedPrivacyAuthorization`; this popup explains and answers with the user's choice.
 *
 * The request goes to the popup attached last (the page the user is looking at), whichever registered listener
 * WeChat calls: the platform offers no way to remove a listener, so one registered by a page that is gone may be
 * the one called.
 */
import { t } from '../../i18n/index'
import { defineComponent } from '../../utils/define'

type Answer = WechatMiniprogram.PrivacyAnswer
type Resolve = (answer: Answer) => void

interface Popup {
  askPrivacy(resolve: Resolve): void
}

/** Popups on screen, oldest first. */
const attachedPopups: Popup[] = []

/** One function for every registration, so a platform that keeps a set of listeners keeps one. */
const forwardPrivacyRequest: WechatMiniprogram.NeedPrivacyAuthorizationListener = (resolve) => {
  const popup = attachedPopups[attachedPopups.length - 1]
  // no page can ask the user: refuse rather than leave the gated API pending for ever
  if (!popup) resolve({ event: 'disagree' })
  else popup.askPrivacy(resolve)
}

defineComponent<{ pendingAnswers?: Resolve[] }>()({
  data: { show: false, s: { title: '', body: '', agree: '', refuse: '' } },
  lifetimes: {
    attached() {
      attachedPopups.push(this as unknown as Popup)
      // see typings/index.d.ts: the declared callback type is wrong
      wx.onNeedPrivacyAuthorization(
        forwardPrivacyRequest as unknown as WechatMiniprogram.OnNeedPrivacyAuthorizationCallback,
      )
    },
    detached() {
      const index = attachedPopups.indexOf(this as unknown as Popup)
      if (index >= 0) attachedPopups.splice(index, 1)
      // the page is gone: whatever it was asked is refused
      this.answerPrivacy({ event: 'disagree' })
    },
  },
  methods: {
    askPrivacy(resolve: Resolve) {
      const pending = this.pendingAnswers || []
      if (pending.indexOf(resolve) < 0) pending.push(resolve)
      this.pendingAnswers = pending
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
    },
    answerPrivacy(answer: Answer) {
      const pending = this.pendingAnswers || []
      this.pendingAnswers = []
      for (const resolve of pending) resolve(answer)
    },
    onAgreePrivacy() {
      this.answerPrivacy({ event: 'agree', buttonId: 'privacy-agree' })
      this.setData({ show: false })
    },
    onTapRefuse() {
      this.answerPrivacy({ event: 'disagree' })
      this.setData({ show: false })
    },
  },
})
