/**
 * USER_REGISTER after a bind attempt: no user matches the phone or email, so one is created for it. The page already
 * knows the target from the attempt; it sends a REGISTER code (captcha first) and calls social/register-bind, or
 * offers one-tap again when the attempt was one-tap.
 */
import { agreement } from '../../behaviors/agreement'
import { codeField } from '../../behaviors/code-field'
import { codeSender } from '../../behaviors/code-sender'
import { stepRunner } from '../../behaviors/step-runner'
import { tenant } from '../../config/index'
import { language, strings, t } from '../../i18n/index'
import { checkCode, codePlaceholder, cooldownEndsAt } from '../../services/codes'
import type { Channel } from '../../services/eiam'
import { failurePatch, problemOf } from '../../services/feedback'
import { linkWithWeChatPhone, openFlow, registerAccount, signIn } from '../../services/flow'
import { type Attempt, leaveFlow } from '../../services/flow-store'
import { backToLaunch, navigate, type Route } from '../../services/router'
import { definePage } from '../../utils/define'
import { maskEmail, maskMobile } from '../../utils/format'

interface Instance {
  attempt?: Attempt
}

function pageStrings() {
  const all = strings()
  return {
    ...all.register,
    code: all.bind.code,
    codePlaceholder: codePlaceholder(),
    agree: all.bind.agree,
    agreement: all.bind.agreement,
    and: all.bind.and,
    privacy: all.bind.privacy,
    send: all.codes.send,
    resendIn: all.codes.resendIn,
    notNow: all.common.notNow,
  }
}

definePage<Instance>()({
  behaviors: [codeSender, codeField, agreement, stepRunner],
  data: {
    s: {} as ReturnType<typeof pageStrings>,
    ready: false,
    intro: '',
    channel: 'mobile' as Channel,
    /** the attempt was one-tap: there is no typed target, only the WeChat phone number */
    oneTap: false,
    errors: { mobile: '', email: '', mobileCode: '', emailCode: '', agree: '' },
  },
  methods: {
    async onLoad() {
      const s = pageStrings()
      wx.setNavigationBarTitle({ title: s.title })
      const record = await openFlow()
      if (!record || record.flow !== 'register' || !record.attempt) {
        // the register state token is gone (expired, reloaded later): only a new bind attempt can bring another
        return this.follow(
          await signIn().then(
            ({ route }) => route,
            (error: unknown): Route => ({ kind: 'stay', notice: failurePatch(error, {}).notice }),
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
      this.setData({ s: pageStrings(), notice: route.kind === 'stay' ? route.notice : t('error.unexpected') })
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
      const codeKey = `errors.${attempt.channel}Code`
      const result = checkCode(this.data.code)
      const problems = {
        [codeKey]: problemOf(result),
        'errors.agree': this.agreementProblem(),
      }
      if (!result.ok || problems['errors.agree']) return this.setData(problems)
      await this.finishStep(() => registerAccount(attempt, result.value), {
        target: `errors.${attempt.channel}`,
        code: codeKey,
      })
    },
    async onGetPhoneNumber(event: WechatMiniprogram.CustomEvent<{ code?: string; errMsg?: string }>) {
      const { code, errMsg = '' } = event.detail
      if (!code) return this.setData({ notice: this.phoneNumberRefusal(errMsg) })
      await this.finishStep(() => linkWithWeChatPhone(code, 'register'), {})
    },
    async onTapNotNow() {
      await leaveFlow()
      backToLaunch({ manual: true })
    },
  },
})
