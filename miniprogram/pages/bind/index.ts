/**
 * Bind (SOCIAL_BIND) or bind-or-register (USER_REGISTER at login): verify a mobile or an email with a code, or give
 * the directory user name and password, then link this WeChat identity to the platform user. The page shows state;
 * services do the work. Which tabs show: the tenant option `bindMethods`, with `socialBindOrRegisterFlow` narrowing
 * the two code tabs.
 *
 * The two code tabs share one set of handlers: every field and button says its channel with `data-channel`, and
 * `targetOf(channel)` answers what the channel's field holds (the value to send, or the problem).
 *
 * The password tab keeps its password in page data only while the page is shown: it is cleared as each attempt
 * sends it and when the page hides, and never goes into the draft (the user name does). A lockout (LOGIN.1003)
 * disables the bind button on this tab until the time the tenant named; the other tabs stay usable.
 */
import { codeFormBehaviors } from '../../behaviors/code-form'
import { fontScaled } from '../../behaviors/font-scale'
import { pageStrings } from '../../behaviors/page-strings'
import { tenant } from '../../config/index'
import { language, t } from '../../i18n/index'
import { type Channel, fetchCountryCodes, type Flow } from '../../services/eiam'
import { checkCode, cooldownEndsAt } from '../../services/codes'
import { lockoutSecondsOf } from '../../services/errors'
import { type MessageSlots, messageOf, problemOf } from '../../services/feedback'
import {
  type FlowView,
  linkAccount,
  linkWithPassword,
  linkWithWeChatPhone,
  openFlow,
  signIn,
} from '../../services/flow'
import { reportFunnel } from '../../services/funnel'
import { oneTapOpenType, type PhoneNumberDetail } from '../../services/one-tap'
import { type BindTab, type Draft, leaveFlow, loadDraft, saveDraft } from '../../services/flow-store'
import { backToLaunch, navigate, PAGES, type Route } from '../../services/router'
import { FALLBACK_AREAS, findArea } from '../../utils/areas'
import { type ChannelEvent, channelOf, definePage } from '../../utils/define'
import { formatClockUp } from '../../utils/format'
import { trimSpaces } from '../../utils/normalise'
import { type AreaCode, validateEmail, validateMobile, type Validation } from '../../utils/validate'

interface Instance {
  areas: AreaCode[]
  /** re-enables the password tab's bind button when its lockout ends */
  unlockTimer?: number
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

const areaNames = (areas: AreaCode[]) => areas.map((area) => `${area.areaCode} ${area.name[language()]}`)

/** Where each channel's messages go: under its field or its code field, else the notice. */
const slotsOf = (channel: Channel): MessageSlots => ({
  target: `errors.${channel}`,
  code: `errors.${channel}Code`,
})
/** A refused password bind: the tenant names the password (wrong credentials) or the user name. */
const PASSWORD_SLOTS: MessageSlots = {
  fields: { password: 'errors.password', userName: 'errors.userName' },
}

/** A send refused for no field (too soon, sending failed) is told next to the send button, under the code field. */
const sendSlotsOf = (channel: Channel): MessageSlots => ({
  ...slotsOf(channel),
  refusal: `errors.${channel}Code`,
})

definePage<Instance>()({
  behaviors: [
    fontScaled,
    pageStrings('bind', [
      'email',
      'emailPlaceholder',
      'code',
      'codePlaceholder',
      'send',
      'resendIn',
      'agree',
      'agreement',
      'and',
      'privacy',
      'notNow',
    ]),
    ...codeFormBehaviors(sendSlotsOf, (channel) => ({
      value: `${channel}Code`,
      error: `errors.${channel}Code`,
    })),
  ],
  data: {
    ready: false,
    notice: '',
    /** the phone-number button's open-type as the tenant chose it; '' (off) hides the button */
    oneTapType: '' as ReturnType<typeof oneTapOpenType>,
    /** bind, or register: the bind page of register mode */
    flow: 'bind' as Flow,
    intro: '',
    showMobile: true,
    showEmail: true,
    showPassword: false,
    /** why nothing can be verified here: the tenant lists only methods this app does not offer; '' otherwise */
    noMethods: '',
    tab: 'mobile' as BindTab,
    areaCode: '+86',
    areaNames: [] as string[],
    areaIndex: 0,
    mobile: '',
    mobileCode: '',
    email: '',
    emailCode: '',
    userName: '',
    /** only while the page is shown, and never after an attempt */
    password: '',
    passwordShown: false,
    /** epoch ms when the password lockout ends; 0 when there is none */
    lockedUntil: 0,
    lockedText: '',
    errors: {
      mobile: '',
      mobileCode: '',
      email: '',
      emailCode: '',
      agree: '',
      userName: '',
      password: '',
    },
  },
  methods: {
    async onLoad() {
      this.areas = FALLBACK_AREAS
      const s = this.loadStrings()
      let record: FlowView | undefined = await openFlow()
      if (!record || (record.flow !== 'bind' && record.flow !== 'register')) {
        // opened without a live bind flow (reload after expiry): sign in again, staying here if it says bind
        const signedIn = await signIn().catch((error: unknown) => ({
          route: { kind: 'stay', notice: messageOf(error) } as Route,
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
      const flow: Flow = record && record.flow === 'register' ? 'register' : 'bind'
      const methods = tenant().bindMethods
      const allowed: Channel[] = record ? record.channels : ['mobile', 'email']
      const channels = allowed.filter((channel) => methods.includes(channel))
      const showPassword = methods.includes('password')
      const tabs: BindTab[] = showPassword ? [...channels, 'password'] : channels
      const draft = await loadDraft()
      const tab = draft && tabs.includes(draft.tab) ? draft.tab : tabs[0] || 'mobile'
      const area = findArea(this.areas, draft ? draft.areaCode : '+86')
      const mobile = draft ? draft.mobile : ''
      const email = draft ? draft.email : ''
      const sendable = (result: Validation) => (result.ok ? result.value : '')
      const organisation = tenant().name[language()]
      const contact = tenant().supportContact[language()]
      this.setData({
        s,
        ready: true,
        flow,
        purpose: flow,
        intro: this.introFor(flow, channels.length > 0, showPassword),
        showMobile: channels.includes('mobile'),
        showEmail: channels.includes('email'),
        showPassword,
        userName: (draft && draft.userName) || '',
        // the password tab is a way in even when the flows name only methods this app does not offer
        noMethods: tabs.length ? '' : t('bind.noMethods', { organisation, contact }),
        oneTapType: oneTapOpenType(),
        tab,
        areaCode: area.areaCode,
        areaNames: areaNames(this.areas),
        areaIndex: this.areas.indexOf(area),
        mobile,
        email,
        codeEndsAt: {
          mobile: cooldownEndsAt(flow, 'mobile', sendable(validateMobile(mobile, area))),
          email: cooldownEndsAt(flow, 'email', sendable(validateEmail(email))),
        },
      })
      if (channels.includes('mobile')) this.refreshAreas()
      reportFunnel('bind_page_shown', { flow })
    },
    onHide() {
      this.keepDraft()
      this.forgetPassword()
    },
    onUnload() {
      this.keepDraft()
      this.forgetPassword()
      if (this.unlockTimer !== undefined) clearTimeout(this.unlockTimer)
    },
    /** The intro that names the ways this page offers. */
    introFor(flow: Flow, withCodes: boolean, withPassword: boolean): string {
      const organisation = tenant().name[language()]
      if (!withCodes && withPassword) return t('bind.introPassword', { organisation })
      if (flow === 'register') return t('bind.registerIntro')
      return t(withPassword ? 'bind.introWithPassword' : 'bind.intro', { organisation })
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
    /** What the channel's field holds (or `value`, about to be set): the target to send, or its problem. */
    targetOf(channel: Channel, value?: string, area?: AreaCode): Validation {
      const typed = value === undefined ? this.data[channel] : value
      return channel === 'mobile'
        ? validateMobile(typed, area || findArea(this.areas, this.data.areaCode))
        : validateEmail(typed)
    },
    /** The message for the channel's field ('' when it is fine). */
    targetProblem(channel: Channel): string {
      return problemOf(this.targetOf(channel), { area: this.data.areaCode })
    },
    /** The countdown of the code for what the field holds: 0 while it holds no valid target. */
    countdownOf(channel: Channel, result: Validation): number {
      return result.ok ? this.countdownFor(channel, result.value) : 0
    },
    keepDraft() {
      if (!this.data.ready) return
      const { tab, areaCode, mobile, email, userName } = this.data
      const draft: Draft = { tab, areaCode, mobile, email }
      if (userName) draft.userName = userName
      saveDraft(draft).catch(() => undefined)
    },

    onChangeTab(event: WechatMiniprogram.CustomEvent<{ name: BindTab }>) {
      const tab = event.detail.name
      if (tab === this.data.tab) return
      this.setData({ tab, notice: '' })
      this.keepDraft()
    },
    /** "Can't do the puzzle?" → the other channel: the puzzle closes on the other tab, what was typed kept. */
    onCaptchaSwitchChannel(event: WechatMiniprogram.CustomEvent<{ channel: Channel }>) {
      this.setData({ 'captcha.open': false })
      this.switchChannel(event.detail.channel)
    },
    /** The puzzle's or the code help's "use the other channel": that tab, with what was typed kept. */
    switchChannel(tab: Channel) {
      const shown = tab === 'mobile' ? this.data.showMobile : this.data.showEmail
      if (!shown || tab === this.data.tab) return
      this.setData({ tab, notice: '' })
      this.keepDraft()
    },
    /** Where a restored countdown's code went: the channel's valid target ('' when the field holds none). */
    codeTarget(channel: Channel): string {
      const result = this.targetOf(channel)
      return result.ok ? result.value : ''
    },
    onChangeArea(event: WechatMiniprogram.PickerChange) {
      const index = Number(event.detail.value)
      const area = this.areas[index]
      if (!area) return
      this.setData({
        areaIndex: index,
        areaCode: area.areaCode,
        'errors.mobile': '',
        'codeEndsAt.mobile': this.countdownOf('mobile', this.targetOf('mobile', this.data.mobile, area)),
      })
    },
    /** One setData per keystroke, carrying only what changed. */
    onChangeTarget(event: ChannelEvent<string>) {
      const channel = channelOf(event)
      const value = event.detail
      const patch: Record<string, unknown> = { [channel]: value }
      if (this.data.errors[channel]) patch[`errors.${channel}`] = ''
      const endsAt = this.countdownOf(channel, this.targetOf(channel, value))
      if (endsAt !== this.data.codeEndsAt[channel]) patch[`codeEndsAt.${channel}`] = endsAt
      this.setData(patch)
    },
    /** Leaving a field checks what was typed; an empty field is only flagged on send or submit. */
    onBlurTarget(event: ChannelEvent) {
      const channel = channelOf(event)
      if (this.data[channel].trim()) this.setData({ [`errors.${channel}`]: this.targetProblem(channel) })
      this.keepDraft()
    },
    /** Send taps: every problem is shown at its field and nothing is sent until all are solved. */
    onTapSendCode(event: ChannelEvent) {
      const channel = channelOf(event)
      const target = this.targetOf(channel)
      const problems = {
        [`errors.${channel}`]: this.targetProblem(channel),
        'errors.agree': this.agreementProblem(),
      }
      if (!target.ok || problems['errors.agree']) return this.setData(problems)
      this.requestCode(channel, target.value)
      this.keepDraft()
    },

    async onTapSubmit() {
      if (this.data.submitting) return
      if (this.data.tab === 'password') return this.submitPassword()
      const channel = this.data.tab
      const target = this.targetOf(channel)
      const code = checkCode(this.data[`${channel}Code`])
      const problems = {
        [`errors.${channel}`]: this.targetProblem(channel),
        [`errors.${channel}Code`]: problemOf(code),
        'errors.agree': this.agreementProblem(),
      }
      if (!target.ok || !code.ok || problems['errors.agree']) return this.setData(problems)
      const identity = channel === 'mobile' ? { mobile: target.value } : { email: target.value }
      this.keepDraft()
      await this.finishStep(() => linkAccount(identity, code.value), slotsOf(channel))
    },

    // ---- the password tab ----------------------------------------------------------------------------------------

    /** the user name and the password fields, told apart by `data-field` */
    onChangeCredential(event: { detail: string; currentTarget: { dataset: { field?: string } } }) {
      const field = event.currentTarget.dataset.field === 'password' ? 'password' : 'userName'
      this.setData(
        this.data.errors[field]
          ? { [field]: event.detail, [`errors.${field}`]: '' }
          : { [field]: event.detail },
      )
    },
    onBlurUserName() {
      this.keepDraft()
    },
    onTapShowPassword() {
      this.setData({ passwordShown: !this.data.passwordShown })
    },
    /** The password leaves page data (and the field) when the page hides; it is typed again on return. */
    forgetPassword() {
      if (this.data.password || this.data.passwordShown) this.setData({ password: '', passwordShown: false })
    },
    async submitPassword() {
      if (this.data.lockedUntil) return
      const userName = trimSpaces(this.data.userName)
      const password = this.data.password
      const problems = {
        'errors.userName': userName ? '' : t('validation.userNameRequired'),
        'errors.password': password ? '' : t('validation.passwordRequired'),
        'errors.agree': this.agreementProblem(),
      }
      if (Object.values(problems).some(Boolean)) return this.setData(problems)
      this.keepDraft()
      // every attempt clears the field: the password lives on only in the request that carries it
      this.setData({ password: '' })
      await this.finishStep(async () => {
        try {
          return await linkWithPassword(userName, password)
        } catch (error) {
          const seconds = lockoutSecondsOf(error)
          if (seconds === undefined) throw error
          this.lockPassword(Date.now() + seconds * 1000)
          // the lock and its end stand in the password tab, where the disabled button is
          return { kind: 'stay', notice: '' }
        }
      }, PASSWORD_SLOTS)
    },
    /** Disables the password tab's bind button until `until`, saying when it works again. */
    lockPassword(until: number) {
      if (this.unlockTimer !== undefined) clearTimeout(this.unlockTimer)
      this.setData({
        lockedUntil: until,
        lockedText: t('bind.passwordLocked', { time: formatClockUp(until) }),
      })
      this.unlockTimer = setTimeout(
        () => {
          this.unlockTimer = undefined
          this.setData({ lockedUntil: 0, lockedText: '' })
        },
        Math.max(0, until - Date.now()),
      ) as unknown as number
    },

    /** Both phone-number buttons (getphonenumber, getrealtimephonenumber) answer here. */
    async onGetPhoneNumber(event: WechatMiniprogram.CustomEvent<PhoneNumberDetail>) {
      const refusal = this.phoneNumberRefusal(event.detail)
      if (refusal) return this.setData({ notice: refusal })
      await this.finishStep(() => linkWithWeChatPhone(event.detail.code as string), {})
    },

    async onTapNotNow() {
      this.keepDraft()
      await leaveFlow()
      backToLaunch({ manual: true })
    },
  },
})
