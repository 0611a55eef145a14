/**
 * Signed in: who (id_token claims, for display only), until when, refresh and sign out. An id_token past its `exp` is
 * refreshed through the API first (saving a rotated session_token); an expired or rejected session goes back to
 * login, never to a broken page.
 */
import { fontScaled } from '../../behaviors/font-scale'
import { pageStrings } from '../../behaviors/page-strings'
import { supportCodeUnder } from '../../behaviors/support-code'
import { t } from '../../i18n/index'
import { isEiamError } from '../../services/errors'
import { messageOf } from '../../services/feedback'
import { backToLaunch, PAGES } from '../../services/router'
import {
  claimsOf,
  loadSession,
  refreshSession,
  signOut,
  type StoredSession,
  usableSession,
} from '../../services/session'
import { definePage } from '../../utils/define'
import { formatDateTime, maskEmail, maskMobile } from '../../utils/format'

interface Instance {
  /**
   * set while the page is in the background: onShow rechecks only on a real return to the page (WeChat calls onShow
   * right after onLoad too, and a second check there would navigate twice)
   */
  hidden?: boolean
}

definePage<Instance>()({
  behaviors: [fontScaled, pageStrings('home', ['retry']), supportCodeUnder(['notice'])],
  data: {
    ready: false,
    name: '',
    userName: '',
    mobile: '',
    email: '',
    sessionExpiry: '',
    refreshing: false,
    signingOut: false,
    notice: '',
  },
  methods: {
    onLoad() {
      this.setData({ s: this.loadStrings() })
      this.check()
    },
    onShow() {
      if (!this.hidden) return
      this.hidden = false
      this.check()
    },
    onHide() {
      this.hidden = true
    },
    /** The session as it stands now: refreshed when its id_token expired, gone when the session did. */
    async check() {
      try {
        const session = await usableSession()
        if (session) this.render(session)
        else backToLaunch({ manual: false })
      } catch (error) {
        // offline or busy while refreshing: show what we still have and say why it is not fresh
        const stored = isEiamError(error, 'session') ? undefined : await loadSession()
        if (stored) this.render(stored, messageOf(error))
        else backToLaunch({ manual: false })
      }
    },
    render(session: StoredSession, notice = '') {
      const claims = claimsOf(session)
      const next = {
        ready: true,
        name: claims.name || '',
        userName: claims.userName || '',
        mobile: claims.mobile ? maskMobile(claims.mobile) : '',
        email: claims.email ? maskEmail(claims.email) : '',
        sessionExpiry: formatDateTime(session.sessionExpiresAt),
        notice,
      }
      const patch: Record<string, unknown> = {}
      for (const key of Object.keys(next) as (keyof typeof next)[]) {
        if (next[key] !== this.data[key]) patch[key] = next[key]
      }
      if (Object.keys(patch).length) this.setData(patch)
    },
    async onTapRefresh() {
      if (this.data.refreshing) return
      this.setData({ refreshing: true, notice: '' })
      try {
        this.render(await refreshSession())
        wx.showToast({ title: t('home.refreshed'), icon: 'success' })
      } catch (error) {
        if (isEiamError(error, 'session')) backToLaunch({ manual: false })
        else this.setData({ notice: messageOf(error) })
      } finally {
        this.setData({ refreshing: false })
      }
    },
    onTapAccount() {
      wx.navigateTo({ url: PAGES.account })
    },
    async onTapSignOut() {
      if (this.data.signingOut) return
      this.setData({ signingOut: true })
      await signOut()
      backToLaunch({ manual: true })
    },
  },
})
