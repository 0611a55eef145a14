import {
  formatClockUp,
  formatDateTime,
  maskEmail,
  maskMobile,
  secondsLeft,
} from '../../miniprogram/utils/format'

const digitsShown = (masked: string) => masked.replace(/^\+\d+\s/, '').replace(/\D/g, '').length

describe('a masked mobile number', () => {
  test('a mainland number with its area code shows the first three and last four digits', () => {
    expect(maskMobile('+86-13800138000')).toBe('138****8000')
  })

  test('a bare mainland number shows the first three and last four digits', () => {
    expect(maskMobile('13800138000')).toBe('138****8000')
  })

  test('spaces in the number do not change the mask', () => {
    expect(maskMobile('+86-138 0013 8000')).toBe('138****8000')
    expect(maskMobile('138 0013 8000')).toBe('138****8000')
  })

  test('a mainland number written +86 without a dash is masked like the dashed form', () => {
    // the sandbox treats 13900139000, +8613900139000 and +86-13900139000 as the same number
    expect(maskMobile('+8613800138000')).toBe('138****8000')
    expect(maskMobile('+86 138 0013 8000')).toBe('138****8000')
  })

  test('a number of another region keeps its area code in front', () => {
    expect(maskMobile('+852-51234567')).toMatch(/^\+852 /)
    expect(maskMobile('+1-2125551234')).toBe('+1 212****1234')
  })

  test('an eight-digit Hong Kong number is masked as the format comment promises, hiding four digits', () => {
    // format.ts documents `+852 12****78` for other regions; first 3 + last 4 would leave one of eight digits hidden
    expect(maskMobile('+852-12345678')).toBe('+852 12****78')
    expect(maskMobile('+852-51234567')).toBe('+852 51****67')
  })

  test('a short number never shows all of its digits', () => {
    for (const number of ['123', '1234', '12345', '123456', '1234567']) {
      const masked = maskMobile(number)
      expect(masked).toContain('*')
      expect(digitsShown(masked)).toBeLessThan(number.length)
    }
  })

  test('the digits a short number shows are its own first and last digits', () => {
    expect(maskMobile('1234567')).toBe('12**67')
    expect(maskMobile('12345')).toBe('12**45')
  })

  test.each([
    ['1234567890', '123****7890'],
    ['123456789', '12****89'],
    ['12345678', '12****78'],
    ['1234', '1**4'],
    ['123', '1**3'],
    ['12', '**'],
    ['1', '**'],
  ])('a number of %s digits at a length where the mask changes shows %s', (number, masked) => {
    expect(maskMobile(number)).toBe(masked)
  })

  test('a + number of an area the app does not know is masked as digits, with no area code in front', () => {
    expect(maskMobile('+99912345678')).toBe('999****5678')
    expect(maskMobile('+44 (0)20-7946 0958')).toBe('440****0958')
  })

  test('an area the app does not know, written with its dash, is kept in front', () => {
    expect(maskMobile('+999-12345678')).toBe('+999 12****78')
    expect(maskMobile('+999-1234 5678')).toBe('+999 12****78')
    // a second dash is not the area's: the number is read by its digits
    expect(maskMobile('+852-1234-5678')).toBe('+852 12****78')
    // nor is a + that does not begin the number
    expect(maskMobile('Tel+852-51234567')).toBe('852****4567')
  })

  test('a number written with dashes or brackets is masked by its digits', () => {
    expect(maskMobile('138-0013-8000')).toBe('138****8000')
    expect(maskMobile('+852 5123 4567')).toBe('+852 51****67')
  })

  test('an empty number shows nothing', () => {
    expect(maskMobile('')).toBe('')
    expect(maskMobile('  ')).toBe('')
  })
})

describe('a masked email address', () => {
  test('shows the first letter and the domain', () => {
    expect(maskEmail('zhangsan@example.com')).toBe('z***@example.com')
    expect(maskEmail('a@example.com')).toBe('a***@example.com')
  })

  test('keeps the domain after the last @', () => {
    expect(maskEmail('zhang@san@example.com')).toBe('z***@example.com')
  })

  test('text without a local part or without an @ shows only stars', () => {
    expect(maskEmail('@example.com')).toBe('***')
    expect(maskEmail('zhangsan')).toBe('***')
  })

  test('an empty address shows nothing', () => {
    expect(maskEmail('')).toBe('')
  })
})

describe('a date and time', () => {
  // Jest's sandboxed process.env cannot change Node's zone, so instants are built from local parts.
  test('is shown as local YYYY-MM-DD HH:mm', () => {
    expect(formatDateTime(new Date(2024, 10, 28, 14, 35).getTime())).toBe('2024-11-28 14:35')
  })

  test('pads months, days, hours and minutes to two digits', () => {
    expect(formatDateTime(new Date(2024, 2, 5, 6, 7).getTime())).toBe('2024-03-05 06:07')
    expect(formatDateTime(new Date(2025, 0, 1, 0, 0).getTime())).toBe('2025-01-01 00:00')
  })

  test('two-digit values are shown as they are', () => {
    expect(formatDateTime(new Date(2024, 9, 10, 10, 10).getTime())).toBe('2024-10-10 10:10')
    expect(formatClockUp(new Date(2024, 9, 10, 10, 10).getTime())).toBe('10:10')
  })

  test('seconds are dropped, not rounded', () => {
    expect(formatDateTime(new Date(2024, 11, 31, 23, 59, 59, 999).getTime())).toBe('2024-12-31 23:59')
  })

  test("an instant from the server is shown in the phone's own time zone", () => {
    const instant = Date.UTC(2024, 0, 31, 16, 5, 30)
    const offsetMs = new Date(instant).getTimezoneOffset() * 60_000
    const expected = new Date(instant - offsetMs).toISOString().slice(0, 16).replace('T', ' ')
    expect(formatDateTime(instant)).toBe(expected)
  })
})

describe('a time of day an end is promised for', () => {
  test('is local HH:mm, rounded up to the minute so it is never earlier than the end', () => {
    expect(formatClockUp(new Date(2024, 10, 28, 14, 35).getTime())).toBe('14:35')
    expect(formatClockUp(new Date(2024, 10, 28, 14, 35, 0, 1).getTime())).toBe('14:36')
    expect(formatClockUp(new Date(2024, 10, 28, 9, 5, 30).getTime())).toBe('09:06')
    expect(formatClockUp(new Date(2024, 11, 31, 23, 59, 30).getTime())).toBe('00:00')
  })
})

describe('seconds left on a countdown', () => {
  const now = 1_700_000_000_000

  test('whole seconds are counted exactly', () => {
    expect(secondsLeft(now + 60_000, now)).toBe(60)
    expect(secondsLeft(now + 1000, now)).toBe(1)
  })

  test('a part second rounds up, so a running countdown never shows 0', () => {
    expect(secondsLeft(now + 1, now)).toBe(1)
    expect(secondsLeft(now + 1001, now)).toBe(2)
    expect(secondsLeft(now + 59_999, now)).toBe(60)
  })

  test('an end time reached or passed shows 0', () => {
    expect(secondsLeft(now, now)).toBe(0)
    expect(secondsLeft(now - 5000, now)).toBe(0)
  })
})
