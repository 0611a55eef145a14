/**
 * The support code under a page's errors. When a message appears in any of the watched data paths, `support` is
 * brought up to date with the attempt's code (services/support.ts): a setData only when the code changed, never when
 * a message is cleared. The page shows the line while it shows an error (its template's `visible`); the behavior
 * writes only its own `support`. The denied page puts `supportLine()` in its first setData.
 */
import { t } from '../i18n/index'
import { supportCode } from '../services/support'

export interface SupportLine {
  /** `支持代码 7K4Q-92XF`, or '' before the page first showed an error */
  code: string
  hint: string
}

/** The line for the attempt's code now, e.g. for a page's first setData. */
export const supportLine = (): SupportLine => ({
  code: t('support.code', { code: supportCode() }),
  hint: t('support.hint'),
})

const hasMessage = (value: unknown): boolean =>
  typeof value === 'string'
    ? value !== ''
    : typeof value === 'object' && value !== null && Object.values(value).some(hasMessage)

export function supportCodeUnder(watched: readonly string[]) {
  const observers: Record<string, (...values: unknown[]) => void> = {}
  if (watched.length) {
    observers[watched.join(', ')] = function (this: unknown, ...values: unknown[]) {
      if (values.some(hasMessage)) (this as { showSupportCode(): void }).showSupportCode()
    }
  }
  return Behavior({
    data: { support: { code: '', hint: '' } as SupportLine },
    observers,
    methods: {
      showSupportCode() {
        const line = supportLine()
        if (line.code !== this.data.support.code) this.setData({ support: line })
      },
    },
  })
}
