/**
 * PASSWORD_EXPIRED and PASSWORD_WARN after a password sign-in, with the state token the status brought. Forced mode
 * (expired): current, new and confirm → pwd/update. Warning mode (about to expire, or any other password status): the
 * same change, or skip → pwd/skip-update. Then the usual routing.
 *
 * The new password's rules are the tenant's: this page checks only that each field is filled and that the two new
 * ones match, and shows the tenant's refusal at the field it names. Passwords live in page data only while the page
 * is shown: every attempt clears the three fields as it sends them, and so does hiding the page.
 */
import { fontScaled } from '../../behaviors/font-scale'
import { pageStrings } from '../../behaviors/page-strings'
import { stepRunner } from '../../behaviors/step-runner'
import { tenant } from '../../config/index'
import { language, t } from '../../i18n/index'
import { type MessageSlots, messageOf } from '../../services/feedback'
import { changePassword, openFlow, signIn, skipPasswordChange } from '../../services/flow'
import type { PasswordMode } from '../../services/flow-store'
import { navigate, type Route } from '../../services/router'
import { definePage } from '../../utils/define'

type PasswordField = 'oldPassword' | 'newPassword' | 'confirmPassword'

/** What a step leaves in the three fields: nothing. */
const CLEARED = { oldPassword: '', newPassword: '', confirmPassword: '' } as const

/** The tenant names the old or the new password when it refuses one; anything else goes to the notice. */
const CHANGE_SLOTS: MessageSlots = {
  fields: { oldPassword: 'errors.oldPassword', newPassword: 'errors.newPassword' },
}

definePage()({
  behaviors: [fontScaled, pageStrings('password', []), stepRunner],
  data: {
    ready: false,
    notice: '',
    mode: 'forced' as PasswordMode,
    heading: '',
    message: '',
    rules: '',
    /** which button's request is in flight, so only that one shows loading */
    action: '' as '' | 'change' | 'skip',
    ...CLEARED,
    errors: { oldPassword: '', newPassword: '', confirmPassword: '' },
  },
  methods: {
    async onLoad() {
      const s = this.loadStrings()
      const record = await openFlow()
      if (!record || record.flow !== 'password') {
        // the password flow is gone (expired, reopened later): a fresh sign-in says where this user stands now
        const route = await signIn().then(
          ({ route }) => route,
          (error: unknown): Route => ({ kind: 'stay', notice: messageOf(error) }),
        )
        if (route.kind === 'go' && (await navigate(route))) return
        const notice = route.kind === 'stay' ? route.notice : t('error.unexpected')
        return this.setData({ s, ...this.wordsFor('forced'), ready: true, notice })
      }
      const mode = record.passwordMode || 'warning'
      this.setData({ s, ...this.wordsFor(mode), mode, ready: true })
    },
    onHide() {
      this.clearPasswords()
    },
    onUnload() {
      this.clearPasswords()
    },
    /** The heading and message of the mode, with the organisation's name. */
    wordsFor(mode: PasswordMode) {
      const organisation = tenant().name[language()]
      const forced = mode === 'forced'
      return {
        heading: t(forced ? 'password.headingForced' : 'password.headingWarning'),
        message: t(forced ? 'password.messageForced' : 'password.messageWarning', { organisation }),
        rules: t('password.rules', { organisation }),
      }
    },
    clearPasswords() {
      if (this.data.oldPassword || this.data.newPassword || this.data.confirmPassword) this.setData(CLEARED)
    },

    /** One handler for the three fields (`data-field`); typing clears that field's error in the same setData. */
    onChangePassword(event: { detail: string; currentTarget: { dataset: { field: PasswordField } } }) {
      const field = event.currentTarget.dataset.field
      const patch: Record<string, string> = { [field]: event.detail }
      if (this.data.errors[field]) patch[`errors.${field}`] = ''
      this.setData(patch)
    },

    async onTapSubmit() {
      if (this.data.submitting) return
      const { oldPassword, newPassword, confirmPassword } = this.data
      const problems = {
        'errors.oldPassword': oldPassword ? '' : t('password.oldRequired'),
        'errors.newPassword': newPassword ? '' : t('password.newRequired'),
        'errors.confirmPassword': !confirmPassword
          ? t('password.confirmRequired')
          : newPassword && confirmPassword !== newPassword
            ? t('password.confirmMismatch')
            : '',
      }
      if (Object.values(problems).some(Boolean)) return this.setData(problems)
      this.setData({ action: 'change', ...CLEARED })
      await this.finishStep(() => changePassword(oldPassword, newPassword), CHANGE_SLOTS)
    },

    async onTapSkip() {
      if (this.data.submitting || this.data.mode !== 'warning') return
      this.setData({ action: 'skip', ...CLEARED })
      await this.finishStep(() => skipPasswordChange(), {})
    },
  },
})
