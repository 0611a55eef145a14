/**
 * First page: says who the app is for, then signs in (wx.login → EIAM login) and routes on the answer. A live flow or
 * a usable session skips the login call. With `?manual=1` (after sign-out, "not now", denied) it waits for a tap,
 * so a refused user is never looped back to the denied page.
 */
import { tenant } from '../../config/index'
import { fontScaled } from '../../behaviors/font-scale'
import { pageStrings } from '../../behaviors/page-strings'
import { supportCodeUnder } from '../../behaviors/support-code'
import { language, t } from '../../i18n/index'
import { messageOf } from '../../services/feedback'
import { resumeRoute, signIn } from '../../services/flow'
import { insideWeCom } from '../../services/host'
import { logStep } from '../../services/support'
import { navigate, type Route } from '../../services/router'
import { clearSignOutNotice, signOutNotice } from '../../services/session'
import { formatDateTime } from '../../utils/format'
import { definePage } from '../../utils/define'

/** `wecom`: opened inside WeCom, where signing in cannot work: the page says so and offers only "not now". */
type Phase = 'idle' | 'resuming' | 'signing-in' | 'error' | 'wecom'

definePage()({
  behaviors: [fontScaled, pageStrings('launch', ['retry', 'notNow']), supportCodeUnder(['error'])],
  data: {
    phase: 'idle' as Phase,
    error: '',
    /** after a sign-out that left the server's session alive: one sentence saying until when */
    signedOut: '',
  },
  methods: {
    onLoad(query: Record<string, string | undefined>) {
      const organisation = tenant().name[language()]
      const until = signOutNotice()
      this.setData({
        s: {
          ...this.loadStrings(),
          heading: t('launch.heading', { organisation }),
          scope: t('launch.scope', { organisation }),
          support: t('launch.support', { contact: tenant().supportContact[language()] }),
          wecomTitle: t('wecom.title'),
        },
        signedOut: until ? t('launch.signedOutLocally', { until: formatDateTime(until) }) : '',
      })
      if (insideWeCom()) {
        logStep('wecom', { ok: false, kind: 'wecom' })
        return this.setData({ phase: 'wecom', error: t('wecom.message') })
      }
      if (query.manual !== '1') this.resume()
    },
    /**
     * A live flow or a usable session first (refreshing an expired id_token), a new login only without them. A tap
     * (retry, or sign in after `?manual=1`) takes this way too: a refresh that failed offline is tried again rather
     * than replaced by a login that would ask a second factor or a bind the stored session already passed.
     */
    async resume() {
      this.setData({ phase: 'resuming', error: '' })
      try {
        const route = await resumeRoute()
        if (route) return this.follow(route)
      } catch (error) {
        return this.setData({ phase: 'error', error: messageOf(error) })
      }
      await this.runSignIn()
    },
    async runSignIn() {
      this.setData({ phase: 'signing-in', error: '' })
      try {
        await this.follow((await signIn()).route)
      } catch (error) {
        this.setData({ phase: 'error', error: messageOf(error) })
      }
    },
    async follow(route: Route) {
      if (route.kind === 'stay') return this.setData({ phase: 'error', error: route.notice })
      // on success this page is gone; a refused navigation must not leave the button loading
      if (!(await navigate(route))) this.setData({ phase: 'error', error: t('error.unexpected') })
    },
    onTapSignIn() {
      const phase = this.data.phase
      if (phase === 'signing-in' || phase === 'resuming' || phase === 'wecom') return
      if (this.data.signedOut) {
        clearSignOutNotice()
        this.setData({ signedOut: '' })
      }
      this.resume()
    },
    onTapNotNow() {
      wx.exitMiniProgram({})
    },
  },
})
