/**
 * USER_REGISTER after a bind attempt: no user matches the phone or email, so one is created for it. The page already
 * knows the target from the attempt; it sends a REGISTER code (captcha first) and calls social/register-bind, or
 * offers one-tap again when the attempt was one-tap. It has no phone or email field: a message about the target goes
 * to its notice.
 */
import { codeFormBehaviors } from '../../behaviors/code-form'
import { fontScaled } from '../../behaviors/font-scale'
import { pageStrings } from '../../behaviors/page-strings'
import { tenant } from '../../config/index'
import { language, t } from '../../i18n/index'
import { checkCode, cooldownEndsAt } from '../../services/codes'
import type { Channel } from '../../services/eiam'
import { type MessageSlots, messageOf, problemOf } from '../../services/feedback'
import { linkWithWeChatPhone, openFlow, registerAccount, signIn } from '../../services/flow'
import { type Attempt, leaveFlow } from '../../services/flow-store'
import { oneTapOpenType, type PhoneNumberDetail } from '../../services/one-tap'
import { backToLaunch, navigate, type Route } from '../../services/router'
import { definePage } from '../../utils/define'
import { maskEmail, maskMobile } from '../../utils/format'

interface Instance {
  attempt?: Attempt
}

/** The code field's error, anything else (the target too) in the notice. */
const SLOTS: MessageSlots = { code: 'errors.code' }
/** A send refused for no field (too soon, sending failed) is told next to the send button, under the code field. */
const SEND_SLOTS: MessageSlots = { ...SLOTS, refusal: 'errors.code' }

definePage<Instance>()({
  behaviors: [
    fontScaled,
    pageStrings('register', [
      'code',
      'codePlaceholder',
      'agree',
      'agreement',
      'and',
      'privacy',
      'send',
      'resendIn',
      'notNow',
    ]),
    ...codeFormBehaviors(
      () => SEND_SLOTS,
      () => ({ value: 'code', error: 'errors.code' }),
    ),
  ],
  data: {
    ready: false,
    notice: '',
    intro: '',
    code: '',
    channel: 'mobile' as Channel,
    /** the attempt was one-tap: there is no typed target, only the WeChat phone number */
    oneTap: false,
    /** the phone-number button's open-type as the tenant chose it */
    oneTapType: '' as ReturnType<typeof oneTapOpenType>,
    errors: { code: '', agree: '' },
  },
  methods: {
    /** Where a restored countdown's code went: the phone or email of the bind attempt. */
    codeTarget(channel: Channel): string {
      return this.attempt && this.attempt.channel === channel ? this.attempt.value : ''
    },
    async onLoad() {
      const s = this.loadStrings()
      const record = await openFlow()
      if (!record || record.flow !== 'register' || !record.attempt) {
        // the register state token is gone (expired, reloaded later): only a new bind attempt can bring another
        return this.follow(
          await signIn().then(
            ({ route }) => route,
            (error: unknown): Route => ({ kind: 'stay', notice: messageOf(error) }),
          ),
        )
      }
      const attempt = record.attempt
      this.attempt = attempt
      const oneTap = Boolean(attempt.oneTap) || !attempt.value
      const shown = attempt.channel === 'mobile' ? maskMobile(attempt.value) : maskEmail(attempt.value)
      const organisation = tenant().name[language()]
      this.setData({
        s,
        ready: true,
        purpose: 'register',
        channel: attempt.channel,
        oneTap,
        oneTapType: oneTapOpenType(),
        intro: oneTap
          ? t('register.introOneTap', { organisation })
          : t('register.intro', { organisation, target: shown }),
        [`codeEndsAt.${attempt.channel}`]: oneTap
          ? 0
          : cooldownEndsAt('register', attempt.channel, attempt.value),
      })
    },
    async follow(route: Route) {
      if (route.kind === 'go' && (await navigate(route))) return
      this.setData({
        s: this.loadStrings(),
        notice: route.kind === 'stay' ? route.notice : t('error.unexpected'),
      })
    },

    onTapSendCode() {
      const attempt = this.attempt
      if (!attempt || !attempt.value) return
      const problem = this.agreementProblem()
      if (problem) return this.setData({ 'errors.agree': problem })
      this.requestCode(attempt.channel, attempt.value)
    },
    async onTapSubmit() {
      const attempt = this.attempt
      if (this.data.submitting || !attempt) return
      const code = checkCode(this.data.code)
      const problems = { 'errors.code': problemOf(code), 'errors.agree': this.agreementProblem() }
      if (!code.ok || problems['errors.agree']) return this.setData(problems)
      await this.finishStep(() => registerAccount(attempt, code.value), SLOTS)
    },
    /** Both phone-number buttons (getphonenumber, getrealtimephonenumber) answer here. */
    async onGetPhoneNumber(event: WechatMiniprogram.CustomEvent<PhoneNumberDetail>) {
      const refusal = this.phoneNumberRefusal(event.detail)
      if (refusal) return this.setData({ notice: refusal })
      await this.finishStep(() => linkWithWeChatPhone(event.detail.code as string, 'register'), {})
    },
    async onTapNotNow() {
      await leaveFlow()
      backToLaunch({ manual: true })
    },
  },
})
