/**
 * The code-sending logic every page shares (bind, register, mfa): captcha-then-send for a target the page validated,
 * one request per intent, the resend countdown restored from storage, and failures shown where the page says
 * (`slotsOf(channel)`: paths in the page's own data).
 *
 * The page sets `purpose` (the flow the codes are for); its WXML hosts `<slider-captcha>` bound to `captcha` and a
 * countdown per channel bound to `codeEndsAt.<channel>` (templates/code-field.wxml).
 */
import { t } from '../i18n/index'
import { cooldownEndsAt, sendVerificationCode } from '../services/codes'
import { type Channel, type CodePurpose } from '../services/eiam'
import { isEiamError } from '../services/errors'
import { failurePatch, type MessageSlots, noticeOf } from '../services/feedback'
import { secondsLeft } from '../utils/format'

export interface CaptchaState {
  open: boolean
  sender: string
  channel: Channel
}

export function codeSender(slotsOf: (channel: Channel) => MessageSlots) {
  return Behavior({
    data: {
      purpose: 'bind' as CodePurpose,
      captcha: { open: false, sender: '', channel: 'mobile' } as CaptchaState,
      /** what the puzzle opens with: why it is shown again, or nothing */
      captchaNotice: '',
      codeEndsAt: { mobile: 0, email: 0 },
      sendingCode: { mobile: false, email: false },
    },
    methods: {
      /** The countdown end for this target (0 when it may send now): for the page's own setData. */
      countdownFor(channel: Channel, target: string): number {
        return cooldownEndsAt(this.data.purpose, channel, target)
      },
      /** A send tap with a valid target: wait out the countdown, else open the puzzle for exactly this target. */
      requestCode(channel: Channel, target: string) {
        if (this.data.captcha.open || this.data.sendingCode[channel]) return
        const endsAt = this.countdownFor(channel, target)
        if (endsAt) {
          wx.showToast({ title: t('codes.wait', { seconds: secondsLeft(endsAt, Date.now()) }), icon: 'none' })
          return
        }
        this.setData({
          captcha: { open: true, sender: target, channel },
          captchaNotice: '',
          [noticeOf(slotsOf(channel))]: '',
        })
      },
      async onCaptchaVerified(
        event: WechatMiniprogram.CustomEvent<{ captchaToken: string; sender: string }>,
      ) {
        const { channel, sender } = this.data.captcha
        if (event.detail.sender !== sender) return
        this.setData({ 'captcha.open': false, [`sendingCode.${channel}`]: true })
        const update: Record<string, unknown> = { [`sendingCode.${channel}`]: false }
        try {
          update[`codeEndsAt.${channel}`] = await sendVerificationCode(
            this.data.purpose,
            channel,
            sender,
            event.detail.captchaToken,
          )
          // a refusal of an earlier send (or of the old code) shown at the code field is over
          const codeSlot = slotsOf(channel).code
          if (codeSlot) update[codeSlot] = ''
          wx.showToast({ title: t('codes.sent'), icon: 'success' })
        } catch (error) {
          if (isEiamError(error, 'captcha')) {
            // the captcha token expired or was spent: a new puzzle for the same target, saying why
            update.captcha = { open: true, sender, channel }
            update.captchaNotice = t('captcha.expired')
          } else {
            Object.assign(update, failurePatch(error, slotsOf(channel)))
          }
        }
        this.setData(update)
      },
      onCaptchaClose() {
        this.setData({ 'captcha.open': false })
      },
      /** The countdown component says it reached zero: the send button looks available again. */
      onCountdownFinish(
        event: WechatMiniprogram.CustomEvent<
          WechatMiniprogram.IAnyObject,
          WechatMiniprogram.IAnyObject,
          { channel: Channel }
        >,
      ) {
        const channel = event.currentTarget.dataset.channel
        if (channel && this.data.codeEndsAt[channel]) this.setData({ [`codeEndsAt.${channel}`]: 0 })
      },
    },
  })
}
