/**
 * The one code field of the register and mfa pages: `code` in data, its error at `errors.<channel>Code`. Typing clears
 * a shown error in the same setData; leaving the field checks what was typed.
 */
import { checkCode } from '../services/codes'
import { problemOf } from '../services/feedback'

export const codeField = Behavior({
  data: { code: '', channel: 'mobile' as 'mobile' | 'email' },
  methods: {
    onChangeCode(event: { detail: string }) {
      const key = `errors.${this.data.channel}Code`
      const errors = (this.data as unknown as { errors: Record<string, string> }).errors
      this.setData(
        errors[`${this.data.channel}Code`] ? { code: event.detail, [key]: '' } : { code: event.detail },
      )
    },
    onBlurCode() {
      if (!this.data.code.trim()) return
      this.setData({ [`errors.${this.data.channel}Code`]: problemOf(checkCode(this.data.code)) })
    },
  },
})
