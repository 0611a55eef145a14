import { en } from '../../miniprogram/i18n/en'
import { fill, forceLanguage, language, type StringKey, strings, t } from '../../miniprogram/i18n/index'
import { zh } from '../../miniprogram/i18n/zh'

const host = globalThis as unknown as { wx?: unknown }
let originalWx: unknown

beforeEach(() => {
  originalWx = host.wx
})

afterEach(() => {
  host.wx = originalWx
  forceLanguage(undefined)
})

const wechatLanguage = (value: string | undefined) => {
  host.wx = { getAppBaseInfo: () => ({ language: value }) }
}

/** Every leaf as `a.b.c` → text. */
function leaves(node: unknown, prefix = ''): Map<string, unknown> {
  const found = new Map<string, unknown>()
  if (typeof node === 'object' && node !== null) {
    for (const [key, value] of Object.entries(node)) {
      for (const [path, leaf] of leaves(value, prefix ? `${prefix}.${key}` : key)) found.set(path, leaf)
    }
  } else {
    found.set(prefix, node)
  }
  return found
}

const placeholders = (text: string) => new Set(Array.from(text.matchAll(/\{(\w+)\}/g), (match) => match[1]))

describe('the Chinese and English strings', () => {
  const english = leaves(en)
  const chinese = leaves(zh)

  test('have exactly the same keys at every depth', () => {
    expect([...chinese.keys()].sort()).toEqual([...english.keys()].sort())
  })

  test('are all non-empty text', () => {
    for (const [key, value] of [...english, ...chinese]) {
      expect({ key, type: typeof value }).toEqual({ key, type: 'string' })
      expect({ key, blank: String(value).trim() === '' }).toEqual({ key, blank: false })
    }
  })

  test('use the same placeholders in both languages', () => {
    for (const [key, englishText] of english) {
      const chineseText = chinese.get(key)
      expect({ key, placeholders: placeholders(String(chineseText)) }).toEqual({
        key,
        placeholders: placeholders(String(englishText)),
      })
    }
  })

  test('the Chinese strings are actually Chinese where the English ones are words', () => {
    expect(zh.validation.mobileRequired).not.toBe(en.validation.mobileRequired)
    expect(/[\u4e00-\u9fff]/.test(zh.error.network)).toBe(true)
  })
})

describe('translating a key', () => {
  test('answers the text of the language asked for', () => {
    expect(t('validation.mobileRequired', {}, 'en')).toBe('Enter your mobile number')
    expect(t('validation.mobileRequired', {}, 'zh')).toBe('请输入手机号')
  })

  test('fills every placeholder with its parameter', () => {
    expect(t('validation.mobilePattern', { area: '+852' }, 'en')).toBe(
      'This is not a valid mobile number for +852',
    )
    expect(t('codes.wait', { seconds: 42 }, 'zh')).toBe('42 秒后可重新获取验证码')
    expect(t('denied.help', { contact: 'it-help@example.com' }, 'en')).toBe(
      'If you think you should have access, contact it-help@example.com.',
    )
  })

  test('fills a placeholder with zero rather than dropping it', () => {
    expect(t('form.resendIn', { seconds: 0 }, 'en')).toBe('0 s')
  })

  test('leaves a placeholder visible when its parameter is missing', () => {
    expect(t('codes.wait', {}, 'en')).toBe('You can request a new code in {seconds} s')
  })

  test('a mistyped key does not compile', () => {
    // @ts-expect-error the key is typed: `npm run typecheck` fails when this line compiles
    expect(t('validation.noSuchMessage', {}, 'en')).toBe('validation.noSuchMessage')
  })

  test('answers the key itself for a key that slipped past the types, so a missing string shows instead of a blank', () => {
    const untyped = (key: string) => key as StringKey
    expect(t(untyped('nowhere.at.all'), {}, 'zh')).toBe('nowhere.at.all')
    expect(t(untyped(''), {}, 'en')).toBe('')
  })

  test('answers the key itself for a group of strings rather than one string', () => {
    expect(t('validation' as StringKey, {}, 'en')).toBe('validation')
  })

  test('follows the WeChat language when no language is given', () => {
    wechatLanguage('zh_CN')
    expect(t('form.retry')).toBe('重试')
    wechatLanguage('en')
    expect(t('form.retry')).toBe('Try again')
  })

  test('fill leaves text without placeholders unchanged', () => {
    expect(fill('no placeholders here', { unused: 1 })).toBe('no placeholders here')
  })
})

describe('the language of the app', () => {
  test('Simplified, Traditional and Hong Kong Chinese WeChat show Chinese', () => {
    for (const value of ['zh_CN', 'zh_TW', 'zh_HK', 'zh']) {
      wechatLanguage(value)
      expect(language()).toBe('zh')
    }
  })

  test('English WeChat shows English', () => {
    wechatLanguage('en')
    expect(language()).toBe('en')
  })

  test('any other or unknown WeChat language shows English', () => {
    for (const value of ['ja', 'fr_FR', '', undefined]) {
      wechatLanguage(value)
      expect(language()).toBe('en')
    }
  })

  test('a runtime where reading the language throws shows English', () => {
    host.wx = {
      getAppBaseInfo: () => {
        throw new Error('not supported')
      },
    }
    expect(language()).toBe('en')
    host.wx = {}
    expect(language()).toBe('en')
  })

  test('a pinned language wins over WeChat until it is released', () => {
    wechatLanguage('en')
    forceLanguage('zh')
    expect(language()).toBe('zh')
    expect(strings()).toBe(zh)
    forceLanguage(undefined)
    expect(language()).toBe('en')
    expect(strings()).toBe(en)
  })
})
