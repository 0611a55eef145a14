/**
 * Running one flow step (bind, register-bind, mfa, one-tap) from a page: one request per intent however many taps,
 * loading while in flight, then either the next page or the failure shown where the page says (`slots`), with
 * everything typed left in place and the buttons usable again.
 */
import { t } from '../i18n/index'
import { failurePatch, type MessageSlots, noticeOf } from '../services/feedback'
import { navigate, type Route } from '../services/router'

export const stepRunner = Behavior({
  data: { submitting: false },
  methods: {
    async finishStep(step: () => Promise<Route>, slots: MessageSlots) {
      if (this.data.submitting) return
      const notice = noticeOf(slots)
      this.setData({ submitting: true, [notice]: '' })
      try {
        const route = await step()
        if (route.kind === 'stay') return this.setData({ submitting: false, [notice]: route.notice })
        // on success this page is gone; if WeChat refused the navigation, the buttons must work again
        if (!(await navigate(route))) this.setData({ submitting: false, [notice]: t('error.unexpected') })
      } catch (error) {
        this.setData({ submitting: false, ...failurePatch(error, slots) })
      }
    },
    /** getPhoneNumber without a code: the user declined, or WeChat cannot give one (quota, permission). */
    phoneNumberRefusal(errMsg = ''): string {
      return t(/deny|cancel/i.test(errMsg) ? 'error.oneTapDenied' : 'error.oneTapUnavailable')
    },
  },
})
