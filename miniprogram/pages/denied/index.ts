/**
 * ACCESS_DENIED: the organisation's policy refused this sign-in. No retry loop: "back" opens launch in manual mode,
 * which waits for the user instead of signing in again.
 */
import { fontScaled } from '../../behaviors/font-scale'
import { pageStrings } from '../../behaviors/page-strings'
import { supportCodeUnder, supportLine } from '../../behaviors/support-code'
import { tenant } from '../../config/index'
import { language, t } from '../../i18n/index'
import { backToLaunch } from '../../services/router'
import { definePage } from '../../utils/define'

definePage()({
  // no error paths to watch: the refusal itself is what the employee quotes the code for
  behaviors: [fontScaled, pageStrings('denied', []), supportCodeUnder([])],
  methods: {
    onLoad() {
      const organisation = tenant().name[language()]
      this.setData({
        s: {
          ...this.loadStrings(),
          message: t('denied.message', { organisation }),
          help: t('denied.help', { contact: tenant().supportContact[language()] }),
        },
        support: supportLine(),
      })
    },
    onTapBack() {
      backToLaunch({ manual: true })
    },
  },
})
