/**
 * A page's strings: its own i18n section and the shared `form` strings it names, for `s` in its data, with the
 * navigation title set to match. The page puts `this.loadStrings()` in its first setData, so the strings cost no
 * setData of their own.
 */
import { strings, type Strings } from '../i18n/index'
import { codePlaceholder } from '../services/codes'

export type PageSection = 'launch' | 'bind' | 'register' | 'mfa' | 'denied' | 'home' | 'password'
export type FormKey = keyof Strings['form']
/** The section without its title (that goes to the navigation bar) and the form strings the page uses. */
export type PageStrings<S extends PageSection, K extends FormKey> = Omit<Strings[S], 'title'> &
  Pick<Strings['form'], K>

export function pageStrings<S extends PageSection, K extends FormKey>(section: S, shared: readonly K[]) {
  return Behavior({
    data: { s: {} as PageStrings<S, K> },
    methods: {
      /** The page's strings in the user's language; sets the navigation title in the same language. */
      loadStrings(): PageStrings<S, K> {
        const all = strings()
        const { title, ...own } = all[section]
        wx.setNavigationBarTitle({ title })
        const picked = {} as Pick<Strings['form'], K>
        for (const key of shared) picked[key] = all.form[key]
        // the code placeholder names a length only when the tenant states one (option codeLength)
        if ('codePlaceholder' in picked) picked.codePlaceholder = codePlaceholder()
        return { ...own, ...picked } as PageStrings<S, K>
      },
    },
  })
}
