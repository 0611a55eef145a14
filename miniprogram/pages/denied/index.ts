/**
 * ACCESS_DENIED: the organisation's policy refused this sign-in. No retry loop: "back" opens launch in manual mode,
 * which waits for the user instead of signing in again.
 */
import { tenant } from '../../config/index'
import { language, t } from '../../i18n/index'
import { backToLaunch } from '../../services/router'
import { definePage } from '../../utils/define'

definePage()({
  data: { s: { heading: '', message: '', help: '', back: '' } },
  methods: {
    onLoad() {
      const organisation = tenant().name[language()]
      wx.setNavigationBarTitle({ title: t('denied.title') })
      this.setData({
        s: {
          heading: t('denied.heading'),
          message: t('denied.message', { organisation }),
          help: t('denied.help', { contact: tenant().supportContact[language()] }),
          back: t('denied.back'),
        },
      })
    },
    onTapBack() {
      backToLaunch({ manual: true })
    },
  },
})
