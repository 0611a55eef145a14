/**
 * The user agreement and privacy notice gate (bind and register pages): the checkbox, the two texts from the tenant
 * config, and the message a send or submit shows while it is unticked. The page's data has `errors.agree`.
 */
import { tenant } from '../config/index'
import { language, t } from '../i18n/index'

export const agreement = Behavior({
  data: { agreed: false },
  methods: {
    /** '' when accepted, else the message for `errors.agree`. */
    agreementProblem(): string {
      return this.data.agreed ? '' : t('validation.agreementRequired')
    },
    onChangeAgree(event: { detail: boolean }) {
      this.setData({ agreed: event.detail, 'errors.agree': '' })
    },
    onTapAgreement() {
      wx.showModal({
        title: t('agreement.title'),
        content: tenant().agreementText[language()],
        showCancel: false,
      })
    },
    onTapPrivacy() {
      wx.showModal({
        title: t('agreement.privacyTitle'),
        content: tenant().privacyText[language()],
        showCancel: false,
      })
    },
    /** The one-tap button is a plain button until the agreement is accepted; its tap says what is missing. */
    onTapOneTap() {
      if (!this.data.agreed) this.setData({ 'errors.agree': t('validation.agreementRequired') })
    },
  },
})
