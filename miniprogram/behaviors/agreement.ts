/**
 * The user agreement and privacy notice gate (bind and register pages): the checkbox, the two texts from the tenant
 * config, and the message a send or submit shows while it is unticked, at the path the page names.
 */
import { tenant } from '../config/index'
import { language, t } from '../i18n/index'

export function agreement(errorPath: string) {
  return Behavior({
    data: { agreed: false },
    methods: {
      /** '' when accepted, else the message the page shows at `errorPath`. */
      agreementProblem(): string {
        return this.data.agreed ? '' : t('validation.agreementRequired')
      },
      onChangeAgree(event: { detail: boolean }) {
        this.setData({ agreed: event.detail, [errorPath]: '' })
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
        if (!this.data.agreed) this.setData({ [errorPath]: t('validation.agreementRequired') })
      },
    },
  })
}
