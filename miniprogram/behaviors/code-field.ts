/**
 * The code fields of the bind (one per channel), register and mfa pages. Each field says its channel with
 * `data-channel`; the page says where that channel's code and its error live in its data. Typing clears a shown error
 * in the same setData; leaving the field checks what was typed.
 */
import { checkCode } from '../services/codes'
import { problemOf } from '../services/feedback'
import { type ChannelEvent, channelOf, valueAt } from '../utils/define'

export interface CodeFieldPaths {
  /** the typed code, e.g. `mobileCode` */
  value: string
  /** its error, e.g. `errors.mobileCode` */
  error: string
}

export function codeField(pathsOf: (channel: 'mobile' | 'email') => CodeFieldPaths) {
  return Behavior({
    methods: {
      onChangeCode(event: ChannelEvent<string>) {
        const { value, error } = pathsOf(channelOf(event))
        this.setData(
          valueAt(this.data, error) ? { [value]: event.detail, [error]: '' } : { [value]: event.detail },
        )
      },
      onBlurCode(event: ChannelEvent) {
        const { value, error } = pathsOf(channelOf(event))
        const code = String(valueAt(this.data, value) || '')
        if (code.trim()) this.setData({ [error]: problemOf(checkCode(code)) })
      },
    },
  })
}
