/**
 * The bind page checks what was typed when the user leaves a field and on every send or submit: each problem is
 * shown under its field in the user's language, and nothing reaches the server until it is solved. Input is
 * trimmed and full-width digits and spaces are normalised, and sent normalised.
 */
import type { Sandbox } from '../../../sandbox'
import { en } from '../../../miniprogram/i18n/en'
import { zh } from '../../../miniprogram/i18n/zh'
import { fill } from '../../../miniprogram/i18n/index'
import { EIAM_PATHS } from '../../../miniprogram/services/eiam'
import { bodiesTo, openOnDevice, requestCode, solveCaptcha, type ServerLog } from '../../support/captcha'
import { useSandbox } from '../../support/sandbox'
import { developTenantOf, loadPage, type PageHandle } from '../../support/simulate'
import type { WxNode } from '../../support/wx-node'

/** A code outside 4 to 8 digits when the tenant states no length. */
const CODE_RANGE = fill(zh.validation.codeLengthRange, { min: 4, max: 8 })

const bind = loadPage('pages/bind/index')
const env = useSandbox()

let device: WxNode
let page: PageHandle
let log: ServerLog
let sandbox: Sandbox

async function open(language?: string): Promise<void> {
  sandbox = env.sandbox
  ;({ device, page, log } = await openOnDevice(sandbox, bind, language ? { language } : {}))
}

/** Nothing beyond the requests of the page load reached the server. */
const expectNothingSent = () => expect(log.since()).toEqual([])

/** The picker's index of an area code, as the page lists them. */
const areaIndexOf = (areaCode: string) =>
  page.data<{ areaNames: string[] }>().areaNames.findIndex((name) => name.startsWith(`${areaCode} `))

describe('the mobile number', () => {
  beforeEach(() => open())

  test('a send with no number asks for one under the field and sends nothing', () => {
    page.tap('#agree')
    page.tap('#send-mobile-code')
    expect(page.fieldError('#mobile')).toBe('请输入手机号')
    expect(page.data().captcha).toMatchObject({ open: false })
    expectNothingSent()
  })

  test('a number of the wrong length is refused as soon as the user leaves the field', () => {
    page.typeInto('#mobile', '1380013', { blur: true })
    expect(page.fieldError('#mobile')).toBe(zh.validation.mobileLength)
    expectNothingSent()
  })

  test('a number with a letter in it is refused on send, and nothing is sent', () => {
    page.tap('#agree')
    page.typeInto('#mobile', '1380013800O')
    page.tap('#send-mobile-code')
    expect(page.fieldError('#mobile')).toBe(zh.validation.mobileDigits)
    expectNothingSent()
  })

  test('eleven digits that are no mainland mobile are refused by the +86 pattern', () => {
    page.typeInto('#mobile', '12800138000', { blur: true })
    expect(page.fieldError('#mobile')).toBe('这不是有效的 +86 手机号')
  })

  test('leaving an empty field says nothing yet; the send says what is missing', () => {
    page.blur('#mobile')
    expect(page.fieldError('#mobile')).toBe('')
    page.tap('#send-mobile-code')
    expect(page.fieldError('#mobile')).toBe(zh.validation.mobileRequired)
    expect(page.text('#agree-error')).toBe(zh.validation.agreementRequired)
    expectNothingSent()
  })

  test('typing again clears the message under the field', () => {
    page.typeInto('#mobile', '138', { blur: true })
    expect(page.fieldError('#mobile')).not.toBe('')
    page.typeInto('#mobile', '1380')
    expect(page.fieldError('#mobile')).toBe('')
  })

  test('a +852 number picked from the area list is checked against that region and sent as +852-<number>', async () => {
    expect(page.text('#area')).toContain('+86')
    page.dispatch('#area', 'change', { value: String(areaIndexOf('+852')) })
    expect(page.text('#area')).toContain('+852')
    // a mainland number is not a Hong Kong one
    page.typeInto('#mobile', '13800138000', { blur: true })
    expect(page.fieldError('#mobile')).toBe('这不是有效的 +852 手机号')
    page.tap('#agree')
    page.tap('#send-mobile-code')
    expectNothingSent()

    page.typeInto('#mobile', '5123 4567', { blur: true })
    expect(page.fieldError('#mobile')).toBe('')
    page.tap('#send-mobile-code')
    expect(page.get('#captcha').data?.sender).toBe('+852-51234567')
    await solveCaptcha(page, sandbox)
    await page.waitFor(() => bodiesTo(sandbox, EIAM_PATHS.smsSend).length)
    expect(bodiesTo(sandbox, EIAM_PATHS.captchaVerify)[0]).toMatchObject({ sender: '+852-51234567' })
    expect(bodiesTo(sandbox, EIAM_PATHS.smsSend)[0]).toMatchObject({ mobile: '+852-51234567' })
  })

  test('changing the area clears the message of the previous one', () => {
    page.dispatch('#area', 'change', { value: String(areaIndexOf('+852')) })
    page.typeInto('#mobile', '13800138000', { blur: true })
    expect(page.fieldError('#mobile')).not.toBe('')
    page.dispatch('#area', 'change', { value: String(areaIndexOf('+86')) })
    expect(page.fieldError('#mobile')).toBe('')
  })
})

describe('the email address', () => {
  beforeEach(async () => {
    await open()
    await page.tapTab('email')
  })

  test('a send with no address asks for one and sends nothing', () => {
    page.tap('#agree')
    page.tap('#send-email-code')
    expect(page.fieldError('#email')).toBe(zh.validation.emailRequired)
    expectNothingSent()
  })

  test.each([
    ['zhangsan@example'],
    ['zhangsan@@example.com'],
    ['张三@example.com'],
    ['zhangsan example.com'],
  ])('a malformed address (%s) is refused when leaving the field and on send', (address) => {
    page.typeInto('#email', address, { blur: true })
    expect(page.fieldError('#email')).toBe(zh.validation.emailInvalid)
    page.tap('#agree')
    page.tap('#send-email-code')
    expect(page.fieldError('#email')).toBe(zh.validation.emailInvalid)
    expectNothingSent()
  })

  test('an address is trimmed and sent trimmed', async () => {
    page.tap('#agree')
    page.typeInto('#email', '  zhangsan@example.com \u3000', { blur: true })
    expect(page.fieldError('#email')).toBe('')
    await requestCode(page, sandbox, '#send-email-code', 'zhangsan@example.com', {
      path: EIAM_PATHS.emailSend,
    })
    expect(bodiesTo(sandbox, EIAM_PATHS.captchaVerify)[0]).toMatchObject({ sender: 'zhangsan@example.com' })
    expect(bodiesTo(sandbox, EIAM_PATHS.emailSend)[0]).toMatchObject({ email: 'zhangsan@example.com' })
  })
})

describe('the verification code of a tenant that states its length (codeLength: 4)', () => {
  const tenant = developTenantOf(bind)
  beforeEach(async () => {
    tenant.codeLength = 4
    await open()
    page.tap('#agree')
    page.typeInto('#mobile', '13800138000')
  })
  afterEach(() => {
    delete tenant.codeLength
  })

  test('the placeholder and the message name 4 digits, and a 6-digit code is refused before anything is sent', () => {
    expect(page.get('#mobile-code').data).toMatchObject({
      placeholder: fill(zh.form.codePlaceholderLength, { length: 4 }),
    })
    page.typeInto('#mobile-code', '123456')
    page.tap('#submit')
    expect(page.fieldError('#mobile-code')).toBe(fill(zh.validation.codeLength, { length: 4 }))
    expectNothingSent()
  })
})

describe('the verification code', () => {
  beforeEach(async () => {
    await open()
    page.tap('#agree')
    page.typeInto('#mobile', '13800138000')
  })

  test.each([
    ['', zh.validation.codeRequired],
    ['123', CODE_RANGE],
    ['123456789', CODE_RANGE],
    ['12a456', zh.validation.codeDigits],
  ])('a code "%s" is refused on submit under the code field, and nothing is sent', (code, message) => {
    page.typeInto('#mobile-code', code)
    page.tap('#submit')
    expect(page.fieldError('#mobile-code')).toBe(message)
    expect(page.fieldError('#mobile')).toBe('')
    expect(page.data().submitting).toBe(false)
    expectNothingSent()
  })

  test('a short code is flagged when the user leaves the field', () => {
    page.typeInto('#mobile-code', '123', { blur: true })
    expect(page.fieldError('#mobile-code')).toBe(CODE_RANGE)
  })

  test('the placeholder names no length when the tenant states none', () => {
    expect(page.get('#mobile-code').data).toMatchObject({ placeholder: zh.form.codePlaceholder })
    expect(zh.form.codePlaceholder).not.toMatch(/\d/)
  })

  test('a submit shows every problem of the tab at once', () => {
    page.typeInto('#mobile', '1380013')
    page.tap('#agree')
    page.tap('#submit')
    expect(page.fieldError('#mobile')).toBe(zh.validation.mobileLength)
    expect(page.fieldError('#mobile-code')).toBe(zh.validation.codeRequired)
    expect(page.text('#agree-error')).toBe(zh.validation.agreementRequired)
    expectNothingSent()
  })
})

describe('normalisation', () => {
  beforeEach(() => open())

  test('full-width digits and spaces in the number and the code are normalised, and sent normalised', async () => {
    page.tap('#agree')
    page.typeInto('#mobile', ' １３８ ００１３\u3000８０００ ', { blur: true })
    expect(page.fieldError('#mobile')).toBe('')
    const code = await requestCode(page, sandbox, '#send-mobile-code', '13800138000')
    expect(bodiesTo(sandbox, EIAM_PATHS.captchaVerify)[0]).toMatchObject({ sender: '13800138000' })
    expect(bodiesTo(sandbox, EIAM_PATHS.smsSend)[0]).toMatchObject({
      mobile: '13800138000',
      type: 'BIND_MOBILE_SMS',
    })

    const fullWidth = String(code)
      .replace(/\d/g, (digit) => String.fromCharCode(0xff10 + Number(digit)))
      .replace(/^(...)/, '$1 ')
    page.typeInto('#mobile-code', ` ${fullWidth} `, { blur: true })
    expect(page.fieldError('#mobile-code')).toBe('')
    page.tap('#submit')
    await page.waitFor(() => device.state.navigation.length)
    expect(bodiesTo(sandbox, EIAM_PATHS.bind)).toEqual([{ mobile: '13800138000', verify_code: code }])
    expect(device.state.navigation).toEqual([{ method: 'reLaunch', url: '/pages/home/index' }])
  })
})

describe('in English', () => {
  beforeEach(() => open('en'))

  test('the messages under the fields are in English', async () => {
    page.typeInto('#mobile', '1380013', { blur: true })
    expect(page.fieldError('#mobile')).toBe('A mainland China mobile number has 11 digits')
    page.typeInto('#mobile-code', '12a', { blur: true })
    expect(page.fieldError('#mobile-code')).toBe(en.validation.codeDigits)
    page.tap('#submit')
    expect(page.text('#agree-error')).toBe(
      'Please read and accept the user agreement and privacy notice first',
    )
    await page.tapTab('email')
    page.typeInto('#email', 'zhangsan@', { blur: true })
    expect(page.fieldError('#email')).toBe('Enter an email address like name@example.com')
    expectNothingSent()
  })
})
