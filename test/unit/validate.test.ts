import { FALLBACK_AREAS, findArea } from '../../miniprogram/utils/areas'
import { compactNumber, toAsciiDigits } from '../../miniprogram/utils/normalise'
import {
  type AreaCode,
  CHINA_MAINLAND,
  EMAIL_MAX_LENGTH,
  knownCodeLength,
  sendableMobile,
  validateCode,
  validateEmail,
  validateMobile,
  type Validation,
  type ValidationKey,
} from '../../miniprogram/utils/validate'
import { t } from '../../miniprogram/i18n/index'
import { REGIONS } from '../support/sandbox'

const accepted = (value: string): Validation => ({ ok: true, value })
const refused = (error: ValidationKey): Validation => ({ ok: false, error })

const area = (code: string): AreaCode => {
  const found = FALLBACK_AREAS.find((candidate) => candidate.areaCode === code)
  if (!found) throw new Error(`no fallback area ${code}`)
  return found
}

describe('normalising what the user typed', () => {
  test('full-width digits, plus and minus become their ASCII forms', () => {
    expect(toAsciiDigits('０１２３４５６７８９')).toBe('0123456789')
    expect(toAsciiDigits('＋８６－１３８')).toBe('+86-138')
  })

  test('letters, Chinese text and emoji are left as they are', () => {
    expect(toAsciiDigits('abc手机😀')).toBe('abc手机😀')
  })

  test('spaces of any width, tabs and dashes disappear from a number', () => {
    expect(compactNumber('138 0013-8000')).toBe('13800138000')
    expect(compactNumber('138\u30000013\u00a08000\t')).toBe('13800138000')
    expect(compactNumber('１３８　００１３　８０００')).toBe('13800138000')
  })

  test('direction marks and zero-width characters are kept, so validation can refuse them', () => {
    for (const mark of ['\u200b', '\u200c', '\u200d', '\u2060', '\u200e', '\u200f', '\u202e']) {
      expect(compactNumber(`138${mark}00138000`)).toBe(`138${mark}00138000`)
    }
  })
})

describe('a mainland China mobile number', () => {
  test('eleven digits starting 13 to 19 are accepted and sent as bare digits', () => {
    for (const prefix of ['13', '14', '15', '16', '17', '18', '19']) {
      expect(validateMobile(`${prefix}800138000`)).toEqual(accepted(`${prefix}800138000`))
    }
  })

  test('China mainland is the area when none is given', () => {
    expect(validateMobile('13800138000', CHINA_MAINLAND)).toEqual(validateMobile('13800138000'))
  })

  test('an empty field asks for the number', () => {
    expect(validateMobile('')).toEqual(refused('validation.mobileRequired'))
  })

  test('a field of spaces only, including ideographic spaces, asks for the number', () => {
    expect(validateMobile('   ')).toEqual(refused('validation.mobileRequired'))
    expect(validateMobile('\u3000\u3000')).toEqual(refused('validation.mobileRequired'))
    expect(validateMobile(' \t\n')).toEqual(refused('validation.mobileRequired'))
  })

  test('full-width digits are accepted and sent as ASCII', () => {
    expect(validateMobile('１３８００１３８０００')).toEqual(accepted('13800138000'))
  })

  test('spaces, ideographic spaces and dashes inside the number are removed', () => {
    expect(validateMobile('138 0013 8000')).toEqual(accepted('13800138000'))
    expect(validateMobile('138\u30000013\u30008000')).toEqual(accepted('13800138000'))
    expect(validateMobile('138-0013-8000')).toEqual(accepted('13800138000'))
    expect(validateMobile('  13800138000  ')).toEqual(accepted('13800138000'))
  })

  test('a leading +86, in ASCII or full width, with or without a dash, is dropped', () => {
    expect(validateMobile('+8613800138000')).toEqual(accepted('13800138000'))
    expect(validateMobile('+86-13800138000')).toEqual(accepted('13800138000'))
    expect(validateMobile('+86 138 0013 8000')).toEqual(accepted('13800138000'))
    expect(validateMobile('＋８６　１３８００１３８０００')).toEqual(accepted('13800138000'))
    expect(validateMobile('＋86-13800138000')).toEqual(accepted('13800138000'))
  })

  test('ten or twelve digits are refused for their length', () => {
    expect(validateMobile('1380013800')).toEqual(refused('validation.mobileLength'))
    expect(validateMobile('138001380001')).toEqual(refused('validation.mobileLength'))
    expect(validateMobile('+86 1380013800')).toEqual(refused('validation.mobileLength'))
  })

  test('eleven digits that do not start 13 to 19 are refused as not a mobile number', () => {
    expect(validateMobile('12012345678')).toEqual(refused('validation.mobilePattern'))
    expect(validateMobile('10012345678')).toEqual(refused('validation.mobilePattern'))
    expect(validateMobile('23800138000')).toEqual(refused('validation.mobilePattern'))
  })

  test('letters are refused as not digits', () => {
    expect(validateMobile('1380013800O')).toEqual(refused('validation.mobileDigits'))
    expect(validateMobile('abc')).toEqual(refused('validation.mobileDigits'))
  })

  test('emoji are refused as not digits', () => {
    expect(validateMobile('1380013800😀')).toEqual(refused('validation.mobileDigits'))
  })

  test('other punctuation is refused, not ignored', () => {
    expect(validateMobile('(138) 0013 8000')).toEqual(refused('validation.mobileDigits'))
    expect(validateMobile('138.0013.8000')).toEqual(refused('validation.mobileDigits'))
    expect(validateMobile('138+00138000')).toEqual(refused('validation.mobileDigits'))
  })

  test('direction marks and zero-width characters are refused, not stripped', () => {
    const marks = ['\u200b', '\u200c', '\u200d', '\u2060', '\u200e', '\u200f', '\u202a', '\u202e']
    for (const mark of marks) {
      expect(validateMobile(`138${mark}00138000`)).toEqual(refused('validation.mobileDigits'))
      expect(validateMobile(`${mark}13800138000`)).toEqual(refused('validation.mobileDigits'))
    }
  })

  test('a zero-width no-break space (U+FEFF) inside the number is refused, not stripped', () => {
    expect(validateMobile('138\ufeff00138000')).toEqual(refused('validation.mobileDigits'))
  })
})

describe('a mobile number of another region', () => {
  test('valid numbers are sent as +<area>-<number>', () => {
    expect(validateMobile('5123 4567', area('+852'))).toEqual(accepted('+852-51234567'))
    expect(validateMobile('6123-4567', area('+853'))).toEqual(accepted('+853-61234567'))
    expect(validateMobile('912 345 678', area('+886'))).toEqual(accepted('+886-912345678'))
    expect(validateMobile('8123 4567', area('+65'))).toEqual(accepted('+65-81234567'))
    expect(validateMobile('212-555-1234', area('+1'))).toEqual(accepted('+1-2125551234'))
  })

  test('a number typed with its own area code is sent once with it', () => {
    expect(validateMobile('+852 5123 4567', area('+852'))).toEqual(accepted('+852-51234567'))
    expect(validateMobile('+852-51234567', area('+852'))).toEqual(accepted('+852-51234567'))
    expect(validateMobile('＋８５２５１２３４５６７', area('+852'))).toEqual(accepted('+852-51234567'))
  })

  test("a number the region's pattern refuses is refused as not a mobile number", () => {
    expect(validateMobile('31234567', area('+852'))).toEqual(refused('validation.mobilePattern'))
    expect(validateMobile('5123456', area('+852'))).toEqual(refused('validation.mobilePattern'))
    expect(validateMobile('71234567', area('+853'))).toEqual(refused('validation.mobilePattern'))
    expect(validateMobile('12345678', area('+65'))).toEqual(refused('validation.mobilePattern'))
    expect(validateMobile('1125551234', area('+1'))).toEqual(refused('validation.mobilePattern'))
  })

  test('the mainland eleven-digit rule does not apply to other regions', () => {
    expect(validateMobile('13800138000', area('+852'))).toEqual(refused('validation.mobilePattern'))
  })

  test('a number with the area code of another region is refused as not digits', () => {
    expect(validateMobile('+86 13800138000', area('+852'))).toEqual(refused('validation.mobileDigits'))
  })

  test('letters, emoji and direction marks are refused as not digits', () => {
    expect(validateMobile('5123abcd', area('+852'))).toEqual(refused('validation.mobileDigits'))
    expect(validateMobile('5123456😀', area('+852'))).toEqual(refused('validation.mobileDigits'))
    expect(validateMobile('5123\u200f4567', area('+852'))).toEqual(refused('validation.mobileDigits'))
  })

  test('an empty field asks for the number whatever the region', () => {
    expect(validateMobile(' ', area('+852'))).toEqual(refused('validation.mobileRequired'))
  })

  test('a broken region pattern refuses the number instead of throwing', () => {
    const broken: AreaCode = { ...area('+852'), mobileRegex: '^([4-9' }
    expect(() => validateMobile('51234567', broken)).not.toThrow()
    expect(validateMobile('51234567', broken)).toEqual(refused('validation.mobilePattern'))
  })

  test('a number longer than 20 digits is refused even when the pattern would take it', () => {
    const permissive: AreaCode = { ...area('+852'), mobileRegex: '^\\d+$' }
    expect(validateMobile('1'.repeat(20), permissive)).toEqual(accepted(`+852-${'1'.repeat(20)}`))
    expect(validateMobile('1'.repeat(21), permissive)).toEqual(refused('validation.mobilePattern'))
  })
})

describe('the built-in area list', () => {
  test('offers the regions of docs/design.md in order, mainland China first', () => {
    expect(FALLBACK_AREAS.map(({ areaCode, countryCode }) => `${areaCode} ${countryCode}`)).toEqual(REGIONS)
  })

  test('every region has a compilable pattern and a name in both languages', () => {
    for (const entry of FALLBACK_AREAS) {
      expect(() => new RegExp(entry.mobileRegex)).not.toThrow()
      expect(entry.name.zh).not.toBe('')
      expect(entry.name.en).not.toBe('')
    }
  })

  test('every pattern accepts the number with or without its area prefix', () => {
    const samples: Record<string, string> = {
      '+86': '13800138000',
      '+852': '51234567',
      '+853': '61234567',
      '+886': '912345678',
      '+65': '81234567',
      '+1': '2125551234',
    }
    for (const entry of FALLBACK_AREAS) {
      const pattern = new RegExp(entry.mobileRegex)
      const number = samples[entry.areaCode]
      expect(pattern.test(number)).toBe(true)
      expect(pattern.test(`${entry.areaCode}${number}`)).toBe(true)
      expect(pattern.test(`${entry.areaCode}-${number}`)).toBe(true)
    }
  })

  test('looking up an area code finds its region', () => {
    expect(findArea(FALLBACK_AREAS, '+853').countryCode).toBe('MO')
    expect(findArea(FALLBACK_AREAS, '+1').countryCode).toBe('US')
  })

  test('an unknown area code falls back to the first region of the list', () => {
    expect(findArea(FALLBACK_AREAS, '+999')).toBe(FALLBACK_AREAS[0])
    const serverList = [area('+65'), area('+852')]
    expect(findArea(serverList, '+44')).toBe(serverList[0])
  })

  test('an empty list falls back to mainland China', () => {
    expect(findArea([], '+852')).toBe(CHINA_MAINLAND)
  })
})

describe('an email address', () => {
  test('a plain address is accepted as typed', () => {
    expect(validateEmail('zhangsan@example.com')).toEqual(accepted('zhangsan@example.com'))
    expect(validateEmail('Li.Si+work@mail.example.com.cn')).toEqual(
      accepted('Li.Si+work@mail.example.com.cn'),
    )
  })

  test('spaces around the address, including ideographic ones, are trimmed', () => {
    expect(validateEmail('  zhangsan@example.com\u3000')).toEqual(accepted('zhangsan@example.com'))
  })

  test('an empty or blank field asks for the address', () => {
    expect(validateEmail('')).toEqual(refused('validation.emailRequired'))
    expect(validateEmail(' \u3000 ')).toEqual(refused('validation.emailRequired'))
  })

  test('an address without a domain is refused', () => {
    expect(validateEmail('zhangsan@')).toEqual(refused('validation.emailInvalid'))
    expect(validateEmail('zhangsan')).toEqual(refused('validation.emailInvalid'))
    expect(validateEmail('@example.com')).toEqual(refused('validation.emailInvalid'))
  })

  test('a domain without a dot or with a one-letter ending is refused', () => {
    expect(validateEmail('zhangsan@localhost')).toEqual(refused('validation.emailInvalid'))
    expect(validateEmail('zhangsan@example.c')).toEqual(refused('validation.emailInvalid'))
  })

  test('a non-ASCII local part or domain is refused', () => {
    expect(validateEmail('张三@example.com')).toEqual(refused('validation.emailInvalid'))
    expect(validateEmail('zhangsan@例子.中国')).toEqual(refused('validation.emailInvalid'))
    expect(validateEmail('zhang😀@example.com')).toEqual(refused('validation.emailInvalid'))
  })

  test('two @ signs are refused', () => {
    expect(validateEmail('zhang@san@example.com')).toEqual(refused('validation.emailInvalid'))
  })

  test('spaces or zero-width characters inside the address are refused', () => {
    expect(validateEmail('zhang san@example.com')).toEqual(refused('validation.emailInvalid'))
    expect(validateEmail('zhang\u200bsan@example.com')).toEqual(refused('validation.emailInvalid'))
  })

  test('254 characters are accepted and 255 are refused as too long', () => {
    const domain = '@example.com'
    const longest = `${'a'.repeat(EMAIL_MAX_LENGTH - domain.length)}${domain}`
    expect(longest).toHaveLength(254)
    expect(validateEmail(longest)).toEqual(accepted(longest))
    expect(validateEmail(`a${longest}`)).toEqual(refused('validation.emailTooLong'))
  })

  test('the length limit counts the address after trimming', () => {
    const longest = `${'a'.repeat(254 - '@example.com'.length)}@example.com`
    expect(validateEmail(`   ${longest}   `)).toEqual(accepted(longest))
  })
})

describe('a verification code', () => {
  test('six digits are accepted', () => {
    expect(validateCode('476125')).toEqual(accepted('476125'))
    expect(validateCode('000000')).toEqual(accepted('000000'))
  })

  test('full-width digits are accepted and sent as ASCII', () => {
    expect(validateCode('４７６１２５')).toEqual(accepted('476125'))
  })

  test('spaces and dashes inside or around the code are removed', () => {
    expect(validateCode(' 476 125 ')).toEqual(accepted('476125'))
    expect(validateCode('476\u3000125')).toEqual(accepted('476125'))
    expect(validateCode('476-125')).toEqual(accepted('476125'))
  })

  test('an empty or blank field asks for the code', () => {
    expect(validateCode('')).toEqual(refused('validation.codeRequired'))
    expect(validateCode('  \u3000')).toEqual(refused('validation.codeRequired'))
  })

  test('any 4 to 8 digits pass when the tenant states no length (the vendor shows "1234" and 6 digits)', () => {
    for (const code of ['1234', '47612', '476125', '4761253', '47612534']) {
      expect(validateCode(code)).toEqual(accepted(code))
    }
  })

  test('3 or 9 digits are refused, with a message that names the range and no single length', () => {
    const range = { ok: false, error: 'validation.codeLengthRange', params: { min: 4, max: 8 } }
    expect(validateCode('476')).toEqual(range)
    expect(validateCode('476125345')).toEqual(range)
    expect(t('validation.codeLengthRange', { min: 4, max: 8 }, 'en')).toBe(
      'The verification code has 4 to 8 digits',
    )
    expect(t('validation.codeLengthRange', { min: 4, max: 8 }, 'zh')).not.toMatch(/6/)
  })

  test('the tenant option codeLength narrows it to exactly that many digits, and the message says how many', () => {
    expect(validateCode('1234', 4)).toEqual(accepted('1234'))
    expect(validateCode('476125', 4)).toEqual({
      ok: false,
      error: 'validation.codeLength',
      params: { length: 4 },
    })
    expect(validateCode('476125', 6)).toEqual(accepted('476125'))
    expect(validateCode('1234', 6)).toEqual({
      ok: false,
      error: 'validation.codeLength',
      params: { length: 6 },
    })
    expect(t('validation.codeLength', { length: 4 }, 'en')).toBe('The verification code has 4 digits')
  })

  test('a codeLength outside 4 to 8, or not a whole number, is ignored', () => {
    for (const length of [3, 9, 4.5, Number.NaN])
      expect(validateCode('1234', length)).toEqual(accepted('1234'))
    expect(knownCodeLength(undefined)).toBeUndefined()
    expect(knownCodeLength(8)).toBe(8)
  })

  test('letters, emoji and zero-width characters are refused as not digits', () => {
    expect(validateCode('47612a')).toEqual(refused('validation.codeDigits'))
    expect(validateCode('abcdef')).toEqual(refused('validation.codeDigits'))
    expect(validateCode('47612😀')).toEqual(refused('validation.codeDigits'))
    expect(validateCode('476\u200b125')).toEqual(refused('validation.codeDigits'))
  })

  test('a zero-width no-break space (U+FEFF) inside the code is refused, not stripped', () => {
    expect(validateCode('476\ufeff125')).toEqual(refused('validation.codeDigits'))
  })
})

describe('every problem a check reports', () => {
  test('has a message in both languages', () => {
    const problems = [
      validateMobile(''),
      validateMobile('abc'),
      validateMobile('1380013800'),
      validateMobile('12012345678'),
      validateEmail(''),
      validateEmail('a'.repeat(255)),
      validateEmail('zhangsan'),
      validateCode(''),
      validateCode('abcdef'),
      validateCode('12'),
      validateCode('12345', 6),
    ]
    const keys = problems.flatMap((result) => (result.ok ? [] : [result.error]))
    expect(new Set(keys).size).toBe(problems.length)
    for (const key of keys) {
      expect(t(key, {}, 'en')).not.toBe(key)
      expect(t(key, {}, 'zh')).not.toBe(key)
    }
  })
})

describe('the phone of a second factor, as it is sent', () => {
  test.each([
    ['+86-15201657124', '15201657124'],
    ['15201657124', '15201657124'],
    ['+8615201657124', '15201657124'],
    [' +86 152 0165 7124 ', '15201657124'],
    ['86-15201657124', '15201657124'],
    ['+852-51234567', '+852-51234567'],
    ['+1-4155550123', '+1-4155550123'],
    ['+85251234567', '+85251234567'],
  ])('%s is sent as %s', (given, sent) => {
    expect(sendableMobile(given)).toBe(sent)
  })
})
