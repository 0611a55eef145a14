/**
 * Bind (SOCIAL_BIND) or bind-or-register (USER_REGISTER at login): verify a mobile or an email with a code, then link
 * this WeChat identity to the platform user. The page shows state; services do the work.
 */
import { agreement } from '../../behaviors/agreement'
import { codeSender } from '../../behaviors/code-sender'
import { stepRunner } from '../../behaviors/step-runner'
import { tenant } from '../../config/index'
import { language, strings, t } from '../../i18n/index'
import { type Channel, fetchCountryCodes } from '../../services/eiam'
import { checkCode, codePlaceholder, cooldownEndsAt } from '../../services/codes'
import { failurePatch, problemOf } from '../../services/feedback'
import { type FlowView, linkAccount, linkWithWeChatPhone, openFlow, signIn } from '../../services/flow'
import { type Draft, leaveFlow, loadDraft, saveDraft } from '../../services/flow-store'
import { backToLaunch, navigate, PAGES } from '../../services/router'
import { FALLBACK_AREAS, findArea } from '../../utils/areas'
import { definePage, type ValueEvent } from '../../utils/define'
import { type AreaCode, validateEmail, validateMobile } from '../../utils/validate'

type BindFlow = 'bind' | 'register'

interface Instance {
  areas: AreaCode[]
}

/** Country codes change rarely: one request per app run. */
let areaList: Promise<AreaCode[]> | undefined

function loadAreas(): Promise<AreaCode[]> {
  if (!areaList) {
    areaList = fetchCountryCodes()
      .then(({ areas }) => areas)
      .catch(() => {
        areaList = undefined
        return FALLBACK_AREAS
      })
  }
  return areaList
}

function pageStrings() {
  const all = strings()
  return {
    ...all.bind,
    codePlaceholder: codePlaceholder(),
    send: all.codes.send,
    resendIn: all.codes.resendIn,
    notNow: all.common.notNow,
  }
}

const areaNames = (areas: AreaCode[]) => areas.map((area) => `${area.areaCode} ${area.name[language()]}`)

definePage<Instance>()({
  behaviors: [codeSender, agreement, stepRunner],
  data: {
    s: {} as ReturnType<typeof pageStrings>,
    ready: false,
    flow: 'bind' as BindFlow,
    intro: '',
    showMobile: true,
    showEmail: true,
    /** why nothing can be verified here: the tenant lists only methods this app does not offer; '' otherwise */
    noMethods: '',
    tab: 'mobile' as Channel,
    areaCode: '+86',
    areaNames: [] as string[],
    areaIndex: 0,
    mobile: '',
    mobileCode: '',
    email: '',
    emailCode: '',
    errors: { mobile: '', mobileCode: '', email: '', emailCode: '', agree: '' },
  },
  methods: {
    async onLoad() {
      this.areas = FALLBACK_AREAS
      const s = pageStrings()
      wx.setNavigationBarTitle({ title: s.title })
      let record: FlowView | undefined = await openFlow()
      if (!record || (record.flow !== 'bind' && record.flow !== 'register')) {
        // opened without a live bind flow (reload after expiry): sign in again, staying here if it says bind
        const signedIn = await signIn().catch((error: unknown) => ({
          route: { kind: 'stay', notice: failurePatch(error, {}).notice } as const,
          record: undefined,
        }))
        const route = signedIn.route
        record = signedIn.record
        if (route.kind === 'go' && route.url !== PAGES.bind) {
          await navigate(route)
          return
        }
        if (route.kind === 'stay') this.setData({ notice: route.notice })
      }
      const flow: BindFlow = record && record.flow === 'register' ? 'register' : 'bind'
      const channels: Channel[] = record ? record.channels : ['mobile', 'email']
      const draft = await loadDraft()
      const tab = draft && channels.includes(draft.tab) ? draft.tab : channels[0] || 'mobile'
      const area = findArea(this.areas, draft ? draft.areaCode : '+86')
      const mobile = draft ? draft.mobile : ''
      const email = draft ? draft.email : ''
      const organisation = tenant().name[language()]
      const contact = tenant().supportContact[language()]
      this.setData({
        s,
        ready: true,
        flow,
        purpose: flow,
        intro: flow === 'register' ? s.registerIntro : t('bind.intro', { organisation }),
        showMobile: channels.includes('mobile'),
        showEmail: channels.includes('email'),
        noMethods: channels.length ? '' : t('bind.noMethods', { organisation, contact }),
        tab,
        areaCode: area.areaCode,
        areaNames: areaNames(this.areas),
        areaIndex: this.areas.indexOf(area),
        mobile,
        email,
        codeEndsAt: {
          mobile: cooldownEndsAt(flow, 'mobile', this.mobileTarget(mobile, area)),
          email: cooldownEndsAt(flow, 'email', this.emailTarget(email)),
        },
      })
      if (channels.includes('mobile')) this.refreshAreas()
    },
    onHide() {
      this.keepDraft()
    },
    onUnload() {
      this.keepDraft()
    },

    async refreshAreas() {
      const areas = await loadAreas()
      if (areas === this.areas) return
      this.areas = areas
      const area = findArea(areas, this.data.areaCode)
      const names = areaNames(areas)
      const areaIndex = areas.indexOf(area)
      // the tenant usually answers the built-in list: nothing to render then
      if (names.join('\n') === this.data.areaNames.join('\n') && areaIndex === this.data.areaIndex) return
      this.setData({ areaNames: names, areaIndex, areaCode: area.areaCode })
    },
    currentArea(): AreaCode {
      return findArea(this.areas, this.data.areaCode)
    },
    mobileTarget(mobile: string, area?: AreaCode): string {
      const result = validateMobile(mobile, area || this.currentArea())
      return result.ok ? result.value : ''
    },
    emailTarget(email: string): string {
      const result = validateEmail(email)
      return result.ok ? result.value : ''
    },
    keepDraft() {
      if (!this.data.ready) return
      const { tab, areaCode, mobile, email } = this.data
      const draft: Draft = { tab, areaCode, mobile, email }
      saveDraft(draft).catch(() => undefined)
    },

    onChangeTab(event: WechatMiniprogram.CustomEvent<{ name: Channel }>) {
      const tab = event.detail.name
      if (tab === this.data.tab) return
      this.setData({ tab, notice: '' })
      this.keepDraft()
    },
    /** "Can't do the puzzle?" → the other channel: the puzzle closes on the other tab, what was typed kept. */
    onCaptchaSwitchChannel(event: WechatMiniprogram.CustomEvent<{ channel: Channel }>) {
      const tab = event.detail.channel
      const shown = tab === 'mobile' ? this.data.showMobile : this.data.showEmail
      this.setData(shown ? { 'captcha.open': false, tab, notice: '' } : { 'captcha.open': false })
      this.keepDraft()
    },
    onChangeArea(event: WechatMiniprogram.PickerChange) {
      const index = Number(event.detail.value)
      const area = this.areas[index]
      if (!area) return
      this.setData({
        areaIndex: index,
        areaCode: area.areaCode,
        'errors.mobile': '',
        'codeEndsAt.mobile': this.countdownFor('mobile', this.mobileTarget(this.data.mobile, area)),
      })
    },
    /** One setData per keystroke, carrying only what changed. */
    onChangeMobile(event: ValueEvent<string>) {
      const mobile = event.detail
      const patch: Record<string, unknown> = { mobile }
      if (this.data.errors.mobile) patch['errors.mobile'] = ''
      const endsAt = this.countdownFor('mobile', this.mobileTarget(mobile))
      if (endsAt !== this.data.codeEndsAt.mobile) patch['codeEndsAt.mobile'] = endsAt
      this.setData(patch)
    },
    onChangeEmail(event: ValueEvent<string>) {
      const email = event.detail
      const patch: Record<string, unknown> = { email }
      if (this.data.errors.email) patch['errors.email'] = ''
      const endsAt = this.countdownFor('email', this.emailTarget(email))
      if (endsAt !== this.data.codeEndsAt.email) patch['codeEndsAt.email'] = endsAt
      this.setData(patch)
    },
    onChangeMobileCode(event: ValueEvent<string>) {
      this.setData(
        this.data.errors.mobileCode
          ? { mobileCode: event.detail, 'errors.mobileCode': '' }
          : { mobileCode: event.detail },
      )
    },
    onChangeEmailCode(event: ValueEvent<string>) {
      this.setData(
        this.data.errors.emailCode
          ? { emailCode: event.detail, 'errors.emailCode': '' }
          : { emailCode: event.detail },
      )
    },
    /** Leaving a field checks what was typed; an empty field is only flagged on send or submit. */
    onBlurMobile() {
      if (this.data.mobile.trim()) this.setData({ 'errors.mobile': this.mobileProblem() })
      this.keepDraft()
    },
    onBlurEmail() {
      if (this.data.email.trim()) this.setData({ 'errors.email': this.emailProblem() })
      this.keepDraft()
    },
    onBlurMobileCode() {
      if (this.data.mobileCode.trim())
        this.setData({ 'errors.mobileCode': this.codeProblem(this.data.mobileCode) })
    },
    onBlurEmailCode() {
      if (this.data.emailCode.trim())
        this.setData({ 'errors.emailCode': this.codeProblem(this.data.emailCode) })
    },
    mobileProblem(): string {
      return problemOf(validateMobile(this.data.mobile, this.currentArea()), { area: this.data.areaCode })
    },
    emailProblem(): string {
      return problemOf(validateEmail(this.data.email))
    },
    codeProblem(code: string): string {
      return problemOf(checkCode(code))
    },
    /** Send taps: every problem is shown at its field and nothing is sent until all are solved. */
    onTapSendMobileCode() {
      const problems = { 'errors.mobile': this.mobileProblem(), 'errors.agree': this.agreementProblem() }
      if (problems['errors.mobile'] || problems['errors.agree']) return this.setData(problems)
      this.requestCode('mobile', this.mobileTarget(this.data.mobile))
      this.keepDraft()
    },
    onTapSendEmailCode() {
      const problems = { 'errors.email': this.emailProblem(), 'errors.agree': this.agreementProblem() }
      if (problems['errors.email'] || problems['errors.agree']) return this.setData(problems)
      this.requestCode('email', this.emailTarget(this.data.email))
      this.keepDraft()
    },

    async onTapSubmit() {
      if (this.data.submitting) return
      const tab = this.data.tab
      const code = tab === 'mobile' ? this.data.mobileCode : this.data.emailCode
      const problems = {
        [`errors.${tab}`]: tab === 'mobile' ? this.mobileProblem() : this.emailProblem(),
        [`errors.${tab}Code`]: this.codeProblem(code),
        'errors.agree': this.agreementProblem(),
      }
      if (Object.values(problems).some(Boolean)) return this.setData(problems)
      const target =
        tab === 'mobile' ? this.mobileTarget(this.data.mobile) : this.emailTarget(this.data.email)
      const verifyCode = (checkCode(code) as { value: string }).value
      const identity = tab === 'mobile' ? { mobile: target } : { email: target }
      this.keepDraft()
      await this.finishStep(() => linkAccount(identity, verifyCode), {
        target: `errors.${tab}`,
        code: `errors.${tab}Code`,
      })
    },

    async onGetPhoneNumber(event: WechatMiniprogram.CustomEvent<{ code?: string; errMsg?: string }>) {
      const { code, errMsg = '' } = event.detail
      if (!code) return this.setData({ notice: this.phoneNumberRefusal(errMsg) })
      await this.finishStep(() => linkWithWeChatPhone(code), {})
    },

    async onTapNotNow() {
      this.keepDraft()
      await leaveFlow()
      backToLaunch({ manual: true })
    },
  },
})
