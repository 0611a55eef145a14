/**
 * Running one flow step (bind, register-bind, mfa, one-tap) from a page: one request per intent however many taps,
 * loading while in flight, then either the next page or the failure shown where the page says (`slots`), with
 * everything typed left in place and the buttons usable again.
 */
import { t } from '../i18n/index'
import { failurePatch, type MessageSlots, noticeOf } from '../services/feedback'
import { type PhoneNumberDetail, refusalMessage, refusalOf } from '../services/one-tap'
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
    /**
     * The phone-number button's answer without a usable code: why (declined, quota used up, an account type that
     * cannot use it, no code), as a message pointing to the SMS or email code; '' when WeChat gave a code.
     */
    phoneNumberRefusal(detail: PhoneNumberDetail): string {
      const refusal = refusalOf(detail)
      return refusal ? refusalMessage(refusal, detail) : ''
    },
  },
})
