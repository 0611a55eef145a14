/**
 * MFA_AUTH: a second factor with the state token that came with it. By phone (the number comes from mobile-by-token
 * and is shown masked) or, where the tenant enables it, by email (the user types their address: there is no
 * email-by-token endpoint). Code first (captcha), then mfa/sms or mfa/email, then the same routing as every step.
 */
import { codeField } from '../../behaviors/code-field'
import { codeHelp } from '../../behaviors/code-help'
import { codeSender } from '../../behaviors/code-sender'
import { fontScaled } from '../../behaviors/font-scale'
import { pageStrings } from '../../behaviors/page-strings'
import { stepRunner } from '../../behaviors/step-runner'
import { supportCodeUnder } from '../../behaviors/support-code'
import { tenant } from '../../config/index'
import { checkCode, cooldownEndsAt } from '../../services/codes'
import type { Channel } from '../../services/eiam'
import { type MessageSlots, messageOf, problemOf } from '../../services/feedback'
import { mfaMobile, verifySecondFactor } from '../../services/flow'
import { navigate } from '../../services/router'
import { definePage, type ValueEvent } from '../../utils/define'
import { maskMobile } from '../../utils/format'
import { validateEmail } from '../../utils/validate'

interface Instance {
  /** the user's phone as the server gave it, e.g. `+86-13900139000`; only its masked form is rendered */
  mobile?: string
}

/** The email field (there is no phone field: a message about the phone goes to the notice) and the code field. */
const slotsOf = (channel: Channel): MessageSlots => ({
  target: channel === 'email' ? 'errors.email' : undefined,
  code: 'errors.code',
})
/** A send refused for no field (too soon, sending failed) is told next to the send button, under the code field. */
const sendSlotsOf = (channel: Channel): MessageSlots => ({ ...slotsOf(channel), refusal: 'errors.code' })

definePage<Instance>()({
  behaviors: [
    fontScaled,
    pageStrings('mfa', ['email', 'emailPlaceholder', 'code', 'codePlaceholder', 'send', 'resendIn', 'retry']),
    codeSender(sendSlotsOf),
    codeHelp,
    codeField(() => ({ value: 'code', error: 'errors.code' })),
    stepRunner,
    supportCodeUnder(['notice', 'errors.**']),
  ],
  data: {
    notice: '',
    code: '',
    channel: 'mobile' as Channel,
    canUseEmail: false,
    /** the masked phone; '' while it is looked up or when the lookup failed */
    target: '',
    lookingUp: false,
    email: '',
    errors: { email: '', code: '' },
  },
  methods: {
    onLoad() {
      this.setData({ s: this.loadStrings(), purpose: 'mfa', canUseEmail: tenant().mfaEmail })
      this.lookUpMobile()
    },
    /** The phone behind the state token; a failure is shown and the send button tries again. */
    async lookUpMobile(): Promise<boolean> {
      if (this.data.lookingUp) return false
      this.setData({ lookingUp: true, notice: '' })
      try {
        const result = await mfaMobile()
        if ('route' in result) {
          await navigate(result.route)
          return false
        }
        this.mobile = result.mobile
        this.setData({
          lookingUp: false,
          target: maskMobile(result.mobile),
          'codeEndsAt.mobile': cooldownEndsAt('mfa', 'mobile', result.mobile),
        })
        return true
      } catch (error) {
        this.setData({ lookingUp: false, notice: messageOf(error) })
        return false
      }
    },
    onTapSwitchChannel() {
      if (!this.data.canUseEmail || this.data.submitting) return
      const channel: Channel = this.data.channel === 'mobile' ? 'email' : 'mobile'
      this.setData({ channel, code: '', notice: '', 'errors.code': '' })
    },
    /** "Can't do the puzzle?" → the other channel: the puzzle closes and the page switches as its own button does. */
    onCaptchaSwitchChannel() {
      this.setData({ 'captcha.open': false })
      this.switchChannel()
    },
    /** The puzzle's or the code help's "use the other channel": as the page's own switch button. */
    switchChannel() {
      this.onTapSwitchChannel()
    },
    /** Where a restored countdown's code went: the phone behind the state token, or the typed email. */
    codeTarget(channel: Channel): string {
      if (channel === 'mobile') return this.mobile || ''
      const email = validateEmail(this.data.email)
      return email.ok ? email.value : ''
    },
    onChangeEmail(event: ValueEvent<string>) {
      const email = event.detail
      const valid = validateEmail(email)
      const patch: Record<string, unknown> = { email }
      if (this.data.errors.email) patch['errors.email'] = ''
      const endsAt = valid.ok ? cooldownEndsAt('mfa', 'email', valid.value) : 0
      if (endsAt !== this.data.codeEndsAt.email) patch['codeEndsAt.email'] = endsAt
      this.setData(patch)
    },
    onBlurEmail() {
      if (!this.data.email.trim()) return
      this.setData({ 'errors.email': problemOf(validateEmail(this.data.email)) })
    },
    async onTapSendCode() {
      if (this.data.channel === 'email') {
        const result = validateEmail(this.data.email)
        if (!result.ok) return this.setData({ 'errors.email': problemOf(result) })
        return this.requestCode('email', result.value)
      }
      if (!this.mobile && !(await this.lookUpMobile())) return
      if (this.mobile) this.requestCode('mobile', this.mobile)
    },
    async onTapSubmit() {
      if (this.data.submitting) return
      const channel = this.data.channel
      const code = checkCode(this.data.code)
      const email = validateEmail(this.data.email)
      const problems: Record<string, string> = { 'errors.code': problemOf(code) }
      if (channel === 'email') problems['errors.email'] = problemOf(email)
      if (!code.ok || (channel === 'email' && !email.ok)) return this.setData(problems)
      if (channel === 'mobile' && !this.mobile && !(await this.lookUpMobile())) return
      const target = channel === 'email' && email.ok ? email.value : this.mobile
      if (!target) return
      await this.finishStep(() => verifySecondFactor(channel, target, code.value), slotsOf(channel))
    },
  },
})
