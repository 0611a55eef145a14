/**
 * "My linked account": who is signed in and this WeChat's link. OneAccess tenants list the linked social accounts and
 * unlink one here (signed calls of the `oneaccess` subpackage), behind a confirmation shown in the page; afterwards
 * everything local is wiped and launch waits for a tap ("bind again" starts sign-in at once, which lands on the bind
 * page). BambooCloud documents no unlink: the page says IT does it and copies a ready-to-send request.
 */
import { fontScaled } from '../../behaviors/font-scale'
import { tenant } from '../../config/index'
import { language } from '../../i18n/index'
import { isEiamError } from '../../services/errors'
import { messageOf } from '../../services/feedback'
import { backToLaunch } from '../../services/router'
import { claimsOf, signOut, usableSession } from '../../services/session'
import { loadOneAccess } from '../../services/subpackages'
import { definePage } from '../../utils/define'
import { formatDateTime, maskEmail, maskMobile } from '../../utils/format'
import { accountStrings, say } from './strings'

/** A linked WeChat as the page shows it. */
interface LinkedRow {
  id: string
  title: string
  detail: string
}

type Confirming = '' | 'unlink' | 'rebind'

interface Instance {
  /** the session token of the signed calls: kept off `data`, never rendered */
  sessionToken?: string
}

const WECHAT_TYPES = /^WECHAT/i

const backToLogin = () => backToLaunch({ manual: false })

definePage<Instance>()({
  behaviors: [fontScaled],
  data: {
    s: {} as ReturnType<typeof accountStrings>,
    ready: false,
    oneAccess: false,
    name: '',
    userName: '',
    mobile: '',
    email: '',
    /** oneaccess: the links the tenant lists; bamboo: this WeChat only */
    linked: [] as LinkedRow[],
    loading: false,
    loadFailed: false,
    selectedId: '',
    confirming: '' as Confirming,
    confirmText: '',
    unlinking: false,
    /** bamboo: the request text `copy-request` copies */
    request: '',
    message: '',
    /** `message` reports a failure (shown as an alert) rather than news */
    failed: false,
  },
  methods: {
    async onLoad() {
      const lang = language()
      const s = accountStrings(lang)
      wx.setNavigationBarTitle({ title: s.title })
      this.setData({ s, oneAccess: tenant().dialect === 'oneaccess' })
      let session
      try {
        session = await usableSession()
      } catch (error) {
        if (isEiamError(error, 'session')) return backToLogin()
        return this.setData({ ready: true, message: messageOf(error), failed: true })
      }
      if (!session) return backToLogin()
      this.sessionToken = session.sessionToken
      const claims = claimsOf(session)
      const mobile = claims.mobile ? maskMobile(claims.mobile) : ''
      const organisation = tenant().name[lang]
      this.setData({
        ready: true,
        name: claims.name || '',
        userName: claims.userName || '',
        mobile,
        email: claims.email ? maskEmail(claims.email) : '',
      })
      if (this.data.oneAccess) return this.loadLinks()
      this.setData({
        linked: [{ id: 'this', title: s.thisWechat, detail: s.linkedNow }],
        message: say(lang, 'itOnly', { contact: tenant().supportContact[lang] }),
        request: say(lang, 'request', {
          organisation,
          userName: claims.userName || claims.name || '—',
          mobile: mobile || '—',
          date: formatDateTime(Date.now()).slice(0, 10),
        }),
      })
    },
    async loadLinks() {
      if (this.data.loading || !this.sessionToken) return
      const lang = language()
      this.setData({ loading: true, loadFailed: false, message: '', failed: false })
      try {
        const accounts = await (await loadOneAccess()).socialAccounts(this.sessionToken)
        const s = accountStrings(lang)
        const linked = accounts
          .filter((account) => WECHAT_TYPES.test(account.type))
          .map((account) => ({
            id: account.id,
            title: account.name || s.wechatMiniProgram,
            detail: account.boundAt
              ? say(lang, 'linkedSince', { date: formatDateTime(account.boundAt) })
              : '',
          }))
        this.setData({
          linked,
          selectedId: linked.length === 1 ? linked[0].id : '',
          message: linked.length === 0 ? s.noLinks : linked.length > 1 ? s.chooseOne : '',
        })
      } catch (error) {
        if (isEiamError(error, 'session')) backToLogin()
        else this.setData({ loadFailed: true, message: messageOf(error), failed: true })
      } finally {
        this.setData({ loading: false })
      }
    },
    onTapReload() {
      this.loadLinks()
    },
    onTapLinked({ currentTarget }: WechatMiniprogram.BaseEvent<Record<string, never>, { id: string }>) {
      if (!this.data.oneAccess || this.data.unlinking) return
      this.setData({ selectedId: currentTarget.dataset.id, confirming: '' })
    },
    onTapUnlink() {
      this.ask('unlink')
    },
    onTapRebind() {
      this.ask('rebind')
    },
    ask(what: Confirming) {
      if (this.data.unlinking) return
      const s = this.data.s
      if (!this.data.selectedId) {
        return this.setData({ message: this.data.linked.length ? s.chooseOne : s.noLinks, failed: true })
      }
      const user = this.data.name || this.data.userName
      this.setData({
        confirming: what,
        confirmText: say(language(), what === 'rebind' ? 'confirmRebind' : 'confirmUnlink', { user }),
        message: '',
        failed: false,
      })
    },
    onTapCancel() {
      if (!this.data.unlinking) this.setData({ confirming: '' })
    },
    async onTapConfirm() {
      const { confirming, selectedId, unlinking } = this.data
      if (unlinking || !confirming || !selectedId || !this.sessionToken) return
      this.setData({ unlinking: true, message: '', failed: false })
      try {
        await (await loadOneAccess()).unbindAccount(this.sessionToken, selectedId)
      } catch (error) {
        if (isEiamError(error, 'session')) return backToLogin()
        return this.setData({ unlinking: false, message: messageOf(error), failed: true })
      }
      this.setData({ message: this.data.s.unlinked })
      await signOut()
      // unlinked: launch waits for a tap, or ("bind again") signs in at once and lands on the bind page
      backToLaunch({ manual: confirming !== 'rebind' })
    },
    onTapCopyRequest() {
      const s = this.data.s
      wx.setClipboardData({
        data: this.data.request,
        success: () => this.setData({ message: s.copied, failed: false }),
        fail: () => this.setData({ message: s.copyFailed, failed: true }),
      })
    },
  },
})
