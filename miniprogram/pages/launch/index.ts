/**
 * First page: says who the app is for, then signs in (wx.login → EIAM login) and routes on the answer. A live flow or
 * a usable session skips the login call. With `?manual=1` (after sign-out, "not now", denied) it waits for a tap,
 * so a refused user is never looped back to the denied page.
 */
import { tenant } from '../../config/index'
import { fontScaled } from '../../behaviors/font-scale'
import { pageStrings } from '../../behaviors/page-strings'
import { language, t } from '../../i18n/index'
import { messageOf } from '../../services/feedback'
import { resumeRoute, signIn } from '../../services/flow'
import { navigate, type Route } from '../../services/router'
import { definePage } from '../../utils/define'

type Phase = 'idle' | 'resuming' | 'signing-in' | 'error'

definePage()({
  behaviors: [fontScaled, pageStrings('launch', ['retry', 'notNow'])],
  data: {
    phase: 'idle' as Phase,
    error: '',
  },
  methods: {
    onLoad(query: Record<string, string | undefined>) {
      const organisation = tenant().name[language()]
      this.setData({
        s: {
          ...this.loadStrings(),
          heading: t('launch.heading', { organisation }),
          scope: t('launch.scope', { organisation }),
          support: t('launch.support', { contact: tenant().supportContact[language()] }),
        },
      })
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
      if (this.data.phase === 'signing-in' || this.data.phase === 'resuming') return
      this.resume()
    },
    onTapNotNow() {
      wx.exitMiniProgram({})
    },
  },
})
