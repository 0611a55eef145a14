/**
 * "Didn't get the code?" (`code-help`) under a code field once a code was sent to it: where the code went (masked),
 * when a new one can be asked for (the live countdown), the other channel where this page offers it, and the tenant's
 * support contact. templates/code-field.wxml draws it from `codeSentTo`, `codeHelpOpen` and `codeHelpText`.
 *
 * A code counts as sent when the channel's countdown starts: after a send (to the captcha's sender) or restored on
 * load (to the page's `codeTarget(channel)`, when the page has one). The strings are set with the first code, so a
 * page where none was sent spends no setData on them. A page that offers another channel implements
 * `switchChannel(channel)`.
 */
import { tenant } from '../config/index'
import { language, strings, t } from '../i18n/index'
import type { Channel } from '../services/eiam'
import { maskEmail, maskMobile } from '../utils/format'

/** The help's strings: those of `codes.help*`, and the captcha's "use the other channel" labels. */
export type CodeHelpText = Record<
  | 'link'
  | 'sentTo'
  | 'resendIn'
  | 'resendNow'
  | 'sms'
  | 'email'
  | 'otherEmail'
  | 'otherMobile'
  | 'useEmail'
  | 'useMobile'
  | 'support',
  string
>

function helpText(): CodeHelpText {
  const codes = strings().codes
  return {
    link: codes.help,
    sentTo: codes.helpSentTo,
    resendIn: codes.helpResendIn,
    resendNow: codes.helpResendNow,
    sms: codes.helpSms,
    email: codes.helpEmail,
    otherEmail: codes.helpOtherEmail,
    otherMobile: codes.helpOtherMobile,
    useEmail: strings().captcha.helpSwitchEmail,
    useMobile: strings().captcha.helpSwitchMobile,
    support: t('codes.helpSupport', { contact: tenant().supportContact[language()] }),
  }
}

const masked = (channel: Channel, target: string) =>
  channel === 'mobile' ? maskMobile(target) : maskEmail(target)

/** What the host page may provide beside the data of codeSender (behaviors/code-sender.ts). */
interface Host {
  data: { captcha?: { sender: string; channel: Channel } }
  codeTarget?: (channel: Channel) => string
  switchChannel?: (channel: Channel) => void
}

export const codeHelp = Behavior({
  data: {
    /** the masked phone or email each channel's last code went to; '' until one was sent */
    codeSentTo: { mobile: '', email: '' } as Record<Channel, string>,
    /** the channel whose help is open, '' when none */
    codeHelpOpen: '' as '' | Channel,
    codeHelpText: { link: '' } as CodeHelpText,
  },
  observers: {
    'codeEndsAt.mobile'(endsAt: number) {
      this.noteCodeSent('mobile', endsAt)
    },
    'codeEndsAt.email'(endsAt: number) {
      this.noteCodeSent('email', endsAt)
    },
  },
  methods: {
    noteCodeSent(channel: Channel, endsAt: number) {
      if (!endsAt) return
      const host = this as unknown as Host
      const captcha = host.data.captcha
      let target = ''
      if (captcha && captcha.channel === channel && captcha.sender) target = captcha.sender
      else if (host.codeTarget) target = host.codeTarget(channel)
      const sentTo = target ? masked(channel, target) : ''
      if (!sentTo || sentTo === this.data.codeSentTo[channel]) return
      const patch: Record<string, unknown> = { [`codeSentTo.${channel}`]: sentTo }
      if (!this.data.codeHelpText.link) patch.codeHelpText = helpText()
      this.setData(patch)
    },
    onTapCodeHelp(event: WechatMiniprogram.BaseEvent<WechatMiniprogram.IAnyObject, { channel: Channel }>) {
      const channel = event.currentTarget.dataset.channel
      this.setData({ codeHelpOpen: this.data.codeHelpOpen === channel ? '' : channel })
    },
    onTapCodeHelpSwitch(
      event: WechatMiniprogram.BaseEvent<WechatMiniprogram.IAnyObject, { channel: Channel }>,
    ) {
      const host = this as unknown as Host
      this.setData({ codeHelpOpen: '' })
      if (host.switchChannel) host.switchChannel(event.currentTarget.dataset.channel)
    },
  },
})
