/**
 * Bind (SOCIAL_BIND) or bind-or-register (USER_REGISTER at login): verify a mobile or an email with a code, then link
 * this WeChat identity to the platform user. The page shows state; services do the work.
 *
 * The two tabs share one set of handlers: every field and button says its channel with `data-channel`, and
 * `targetOf(channel)` answers what the channel's field holds (the value to send, or the problem).
 */
import { agreement } from '../../behaviors/agreement'
import { codeField } from '../../behaviors/code-field'
import { codeHelp } from '../../behaviors/code-help'
import { codeSender } from '../../behaviors/code-sender'
import { fontScaled } from '../../behaviors/font-scale'
import { pageStrings } from '../../behaviors/page-strings'
import { stepRunner } from '../../behaviors/step-runner'
import { supportCodeUnder } from '../../behaviors/support-code'
import { tenant } from '../../config/index'
import { language, t } from '../../i18n/index'
import { type Channel, fetchCountryCodes, type Flow } from '../../services/eiam'
import { checkCode, cooldownEndsAt } from '../../services/codes'
import { type MessageSlots, messageOf, problemOf } from '../../services/feedback'
import { type FlowView, linkAccount, linkWithWeChatPhone, openFlow, signIn } from '../../services/flow'
import { reportFunnel } from '../../services/funnel'
import { oneTapOpenType, type PhoneNumberDetail } from '../../services/one-tap'
import { type Draft, leaveFlow, loadDraft, saveDraft } from '../../services/flow-store'
import { backToLaunch, navigate, PAGES, type Route } from '../../services/router'
import { FALLBACK_AREAS, findArea } from '../../utils/areas'
import { type ChannelEvent, channelOf, definePage } from '../../utils/define'
import { type AreaCode, validateEmail, validateMobile, type Validation } from '../../utils/validate'

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

const areaNames = (areas: AreaCode[]) => areas.map((area) => `${area.areaCode} ${area.name[language()]}`)

/** Where each channel's messages go: under its field or its code field, else the notice. */
const slotsOf = (channel: Channel): MessageSlots => ({
  target: `errors.${channel}`,
  code: `errors.${channel}Code`,
})
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
    codeSender(sendSlotsOf),
    codeHelp,
    codeField((channel) => ({ value: `${channel}Code`, error: `errors.${channel}Code` })),
    agreement('errors.agree'),
    stepRunner,
    supportCodeUnder(['notice', 'errors.**']),
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
      const channels: Channel[] = record ? record.channels : ['mobile', 'email']
      const draft = await loadDraft()
      const tab = draft && channels.includes(draft.tab) ? draft.tab : channels[0] || 'mobile'
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
        intro: flow === 'register' ? s.registerIntro : t('bind.intro', { organisation }),
        showMobile: channels.includes('mobile'),
        showEmail: channels.includes('email'),
        noMethods: channels.length ? '' : t('bind.noMethods', { organisation, contact }),
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
