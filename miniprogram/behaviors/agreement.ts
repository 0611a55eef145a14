/**
 * The user agreement and privacy notice gate (bind and register pages): the checkbox, the two texts from the tenant
 * config, and the message a send or submit shows while it is unticked, at the path the page names.
 *
 * Accepting is remembered by version (services/agreement.ts): a user who accepted the tenant's current
 * `agreementVersion` finds the box ticked on every later visit and after restarts; when the tenant raises the
 * version, the box is unticked again and the page says the texts changed, so the next send or bind asks again.
 */
import { tenant } from '../config/index'
import { language, t } from '../i18n/index'
import { acceptAgreement, agreementState, withdrawAgreement } from '../services/agreement'

export function agreement(errorPath: string) {
  return Behavior({
    data: { agreed: false },
    lifetimes: {
      attached() {
        const state = agreementState()
        if (state === 'accepted') this.setData({ agreed: true })
        else if (state === 'raised') this.setData({ [errorPath]: t('agreement.updated') })
      },
    },
    methods: {
      /** '' when accepted, else the message the page shows at `errorPath`. */
      agreementProblem(): string {
        if (this.data.agreed) return ''
        return agreementState() === 'raised' ? t('agreement.updated') : t('validation.agreementRequired')
      },
      onChangeAgree(event: { detail: boolean }) {
        if (event.detail) acceptAgreement()
        else withdrawAgreement()
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
        if (!this.data.agreed) this.setData({ [errorPath]: this.agreementProblem() })
      },
    },
  })
}
