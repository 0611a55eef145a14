/**
 * The bad-input matrix through the real pages: hostile or odd text typed into every field that reaches the tenant
 * (bind mobile, bind email, the bind codes, the register code, the mfa code, the mfa email). What docs/design.md's
 * validation rules normalise (full-width digits and plus, spaces of any width, `-` inside numbers, a leading `+86`)
 * reaches the sandbox normalised, which the test reads from the body the sandbox received; everything else is refused
 * under its field with the exact i18n message and sends nothing at all.
 *
 * One page per field, reused across its inputs: each input replaces the last (typing clears the field's message), and
 * an input that is sent changes nothing the next one depends on. Mismatches are collected, so one run names them all.
 * (The sandbox's own refusals of bad bodies are test/sandbox/bad-input.test.ts.)
 */
import { fill, strings } from '../../../miniprogram/i18n/index'
import { EIAM_PATHS } from '../../../miniprogram/services/eiam'
import {
  agree,
  FINGERPRINT,
  installDevice,
  renderReady,
  requestCode,
  solveCaptcha,
} from '../../support/captcha'
import { useSandbox } from '../../support/sandbox'
import { printable, recordBadInputs, reportAfterAll, type BadInputRow } from '../../support/matrix'
import { loadPage, renderPage, type PageHandle } from '../../support/simulate'
import type { WxNode } from '../../support/wx-node'

const zh = strings('zh')
const v = zh.validation
const bind = loadPage('pages/bind/index')
const register = loadPage('pages/register/index')
const mfa = loadPage('pages/mfa/index')
const handle = useSandbox({ mode: 'auto' })
reportAfterAll('bad-input')

/** Refused at its field with `message`, or sent as `value` (through the send button or the submit button). */
type Row = { input: string; refused: string } | { input: string; sent: string; via: 'send' | 'submit' }

const refused = (input: string, message: string): Row => ({ input, refused: message })
const sent = (input: string, value: string, via: 'send' | 'submit' = 'submit'): Row => ({
  input,
  sent: value,
  via,
})

const RLM = '\u200f'
const RLO = '\u202e'
const ZWSP = '\u200b'
const BOM = '\ufeff'
const IDEOGRAPHIC_SPACE = '\u3000'
const NBSP = '\u00a0'
const LONG = 1000

const MAINLAND_PATTERN = fill(v.mobilePattern, { area: '+86' })
const HONG_KONG_PATTERN = fill(v.mobilePattern, { area: '+852' })

const MOBILE_ROWS: Row[] = [
  refused('', v.mobileRequired),
  refused('   ', v.mobileRequired),
  refused(`${IDEOGRAPHIC_SPACE}${IDEOGRAPHIC_SPACE}`, v.mobileRequired),
  refused('\t\n', v.mobileRequired),
  refused('1380013800', v.mobileLength),
  refused('138001380001', v.mobileLength),
  refused('1'.repeat(LONG), v.mobileLength),
  refused('12800138000', MAINLAND_PATTERN),
  refused('10000000000', MAINLAND_PATTERN),
  refused('+13800138000', v.mobileDigits),
  refused('+85251234567', v.mobileDigits),
  refused('+86', v.mobileDigits),
  refused('13800138000😀', v.mobileDigits),
  refused(`${RLM}13800138000`, v.mobileDigits),
  refused(`${RLO}00083100831`, v.mobileDigits),
  refused(`138${ZWSP}00138000`, v.mobileDigits),
  refused(`${BOM}13800138000`, v.mobileDigits),
  refused('1380013800\u0660', v.mobileDigits),
  refused('<script>alert(1)</script>', v.mobileDigits),
  refused("13800138000' OR '1'='1", v.mobileDigits),
  refused('13800138000; DROP TABLE users;--', v.mobileDigits),
  refused('1380013800O', v.mobileDigits),
  refused('1.38e10', v.mobileDigits),
  refused('x'.repeat(LONG), v.mobileDigits),
  // what the rules forgive, sent as 11 bare digits
  sent('１３８００１３８０００', '13800138000', 'send'),
  sent('+86 139 0013 9000', '13900139000', 'send'),
  sent('138 0013 8000', '13800138000'),
  sent('138-0013-8000', '13800138000'),
  sent('+8613800138000', '13800138000'),
  sent('+86-13800138000', '13800138000'),
  sent('＋８６ １３８ ００１３ ８０００', '13800138000'),
  sent(' 13800138000 ', '13800138000'),
  sent('13800138000\n', '13800138000'),
  sent('-13800138000', '13800138000'),
  sent(`138${NBSP}0013${NBSP}8000`, '13800138000'),
  sent(`138${IDEOGRAPHIC_SPACE}0013${IDEOGRAPHIC_SPACE}8000`, '13800138000'),
]

/** Typed after the area picker moved to +852: sent as `+852-<number>`. */
const HONG_KONG_ROWS: Row[] = [
  sent('5123 4567', '+852-51234567'),
  sent('+852 5123-4567', '+852-51234567'),
  refused('+8613800138000', v.mobileDigits),
  refused('1234 5678', HONG_KONG_PATTERN),
]

const EMAIL_ROWS: Row[] = [
  refused('', v.emailRequired),
  refused('   ', v.emailRequired),
  refused('zhangsan', v.emailInvalid),
  refused('zhangsan@', v.emailInvalid),
  refused('@example.com', v.emailInvalid),
  refused('zhangsan@example', v.emailInvalid),
  refused('zhangsan@example.c', v.emailInvalid),
  refused('a@b@example.com', v.emailInvalid),
  refused('zhang san@example.com', v.emailInvalid),
  refused('张三@example.com', v.emailInvalid),
  refused('zhangsan@例子.公司', v.emailInvalid),
  refused('ｚｈａｎｇｓａｎ@example.com', v.emailInvalid),
  refused('zhangsan＠example.com', v.emailInvalid),
  refused(`zhangsan@example.com${ZWSP}`, v.emailInvalid),
  refused(`${RLO}zhangsan@example.com`, v.emailInvalid),
  refused('😀@example.com', v.emailInvalid),
  refused('<script>alert(1)</script>@example.com', v.emailInvalid),
  refused("x' OR '1'='1@example.com", v.emailInvalid),
  refused('+86 13800138000', v.emailInvalid),
  refused(`${'a'.repeat(LONG)}@example.com`, v.emailTooLong),
  refused(`${'a'.repeat(243)}@example.com`, v.emailTooLong),
  sent(' zhangsan@example.com ', 'zhangsan@example.com'),
  sent(`${IDEOGRAPHIC_SPACE}lisi@example.com${IDEOGRAPHIC_SPACE}`, 'lisi@example.com', 'send'),
  // valid as typed: the tenant compares emails without case
  sent('ZhangSan@Example.COM', 'ZhangSan@Example.COM'),
]

/** A code outside 4 to 8 digits, when the tenant states no length (config/types.ts `codeLength`). */
const CODE_RANGE = fill(v.codeLengthRange, { min: 4, max: 8 })

const CODE_ROWS: Row[] = [
  refused('', v.codeRequired),
  refused('  ', v.codeRequired),
  refused('123', CODE_RANGE),
  refused('123456789', CODE_RANGE),
  refused('1'.repeat(LONG), CODE_RANGE),
  refused('12345a', v.codeDigits),
  refused('abcdef', v.codeDigits),
  refused('12345😀', v.codeDigits),
  refused(`${ZWSP}123456`, v.codeDigits),
  refused(`123456${RLM}`, v.codeDigits),
  refused('+123456', v.codeDigits),
  refused("1' OR '1'='1", v.codeDigits),
  refused('<script>', v.codeDigits),
  refused('١٢٣٤٥٦', v.codeDigits),
  refused('¹²³⁴⁵⁶', v.codeDigits),
  refused('12.456', v.codeDigits),
  sent('１２３４５６', '123456'),
  sent('123 456', '123456'),
  sent('123-456', '123456'),
  sent(' 654321 ', '654321'),
  sent(`１２３${IDEOGRAPHIC_SPACE}４５６`, '123456'),
  // the vendor's examples show 4-digit codes too: 4 to 8 digits go out unless the tenant states a length
  sent('1234', '1234'),
  sent('１２３４５６７８', '12345678'),
]

const EMAIL_CODE_ROWS: Row[] = [
  refused('', v.codeRequired),
  refused('abc123', v.codeDigits),
  sent('９８７６５４', '987654'),
]

const REGISTER_CODE_ROWS: Row[] = [
  refused('', v.codeRequired),
  refused('123', CODE_RANGE),
  refused('O12345', v.codeDigits),
  refused(`${RLM}123456`, v.codeDigits),
  sent('１２３ ４５６', '123456'),
  sent('12-34-56', '123456'),
]

const MFA_CODE_ROWS: Row[] = [
  refused('', v.codeRequired),
  refused('123456789', CODE_RANGE),
  refused('十二三四五六', v.codeDigits),
  refused(`12345${BOM}`, v.codeDigits),
  sent('１２３４５６', '123456'),
  sent('12 34 56', '123456'),
]

const MFA_EMAIL_ROWS: Row[] = [
  refused('', v.emailRequired),
  refused('lisi@', v.emailInvalid),
  refused('lisi@例子.com', v.emailInvalid),
  refused('ｌｉｓｉ@example.com', v.emailInvalid),
  refused(`${ZWSP}lisi@example.com`, v.emailInvalid),
  refused(`lisi@example.com${RLO}`, v.emailInvalid),
  refused(`${'l'.repeat(300)}@example.com`, v.emailTooLong),
  sent(' lisi@example.com ', 'lisi@example.com'),
]

/** How one field of one page is probed. */
interface Probe {
  field: string
  page: PageHandle
  device: WxNode
  /** the field's selector, where its message shows */
  input: string
  /** the buttons that check the field: a refused input must send nothing from any of them */
  checks: string[]
  /** the buttons that send it */
  send: string
  submit: string
  /** the endpoint and body key each button's request carries the value in */
  sendPath: string
  submitPath: string
  key: string
  /** the page is done with a submit */
  idle(): boolean
}

/** The one code field of the register and mfa pages, sent to `submitPath` as verify_code (SMS codes). */
const codeProbe = (field: string, page: PageHandle, device: WxNode, submitPath: string): Probe => ({
  field,
  page,
  device,
  input: '#code',
  // "send" sends no code typed: only the submit checks it
  checks: ['#submit'],
  send: '#send-code',
  submit: '#submit',
  sendPath: EIAM_PATHS.smsSend,
  submitPath,
  key: 'verify_code',
  idle: () => !page.data<BindData>().submitting,
})

const captchaOpen = (page: PageHandle) => page.data<{ captcha: { open: boolean } }>().captcha.open

const lastBody = (path: string, since: number) =>
  handle.sandbox
    .requests()
    .slice(since)
    .filter((request) => request.path === path)
    .at(-1)?.body as Record<string, unknown> | undefined

/** Types every row into the field, taps, and compares what the user and the server saw with what the row says. */
async function probeRows(probe: Probe, rows: Row[]): Promise<void> {
  const { page, device } = probe
  const results: BadInputRow[] = []
  const mismatches: string[] = []
  for (const row of rows) {
    const clientSince = device.state.requests.length
    const serverSince = handle.sandbox.requests().length
    page.typeInto(probe.input, row.input)
    let outcome: string
    let expected: string
    if ('refused' in row) {
      expected = `refused: ${row.refused}`
      for (const button of probe.checks) page.tap(button)
      await page.flush()
      const requests = device.state.requests.length - clientSince
      outcome =
        requests || captchaOpen(page)
          ? `${requests} request(s), puzzle ${captchaOpen(page) ? 'open' : 'closed'}`
          : `refused: ${page.fieldError(probe.input)}`
      // a puzzle opened by mistake is closed, so the rows after this one still say something
      if (captchaOpen(page)) page.tap(['#captcha', '#captcha-close'])
    } else {
      expected = `sent as ${row.sent} (${row.via})`
      let path: string
      if (row.via === 'send') {
        path = probe.sendPath
        page.tap(probe.send)
        await solveCaptcha(page, handle.sandbox)
      } else {
        path = probe.submitPath
        page.tap(probe.submit)
      }
      await page.waitFor(() =>
        handle.sandbox
          .requests()
          .slice(serverSince)
          .some((request) => request.path === path && request.status),
      )
      await page.waitFor(() => probe.idle())
      const body = lastBody(path, serverSince)
      const sender = row.via === 'send' ? lastBody(EIAM_PATHS.captchaVerify, serverSince)?.sender : row.sent
      outcome =
        body?.[probe.key] === row.sent && sender === row.sent
          ? expected
          : `sent as ${String(body?.[probe.key])} (puzzle for ${String(sender)})`
    }
    const passed = outcome === expected
    results.push({ field: probe.field, input: printable(row.input), expected, passed })
    if (!passed)
      mismatches.push(`${probe.field} ${printable(row.input)}: expected ${expected}, got ${outcome}`)
  }
  recordBadInputs(results)
  expect(mismatches).toEqual([])
}

interface BindData {
  [key: string]: unknown
  submitting: boolean
  sendingCode: { mobile: boolean; email: boolean }
}

async function bindPage(): Promise<{ page: PageHandle; device: WxNode }> {
  const device = installDevice(handle.sandbox)
  const page = await renderReady(() => renderPage(bind))
  agree(page)
  return { page, device }
}

const bindIdle = (page: PageHandle) => () => {
  const data = page.data<BindData>()
  return !data.submitting && !data.sendingCode.mobile && !data.sendingCode.email && !captchaOpen(page)
}

const bindMobile = (page: PageHandle, device: WxNode, field: string, input: string, key: string): Probe => ({
  field,
  page,
  device,
  input,
  checks: key === 'verify_code' ? ['#submit'] : ['#send-mobile-code', '#submit'],
  send: '#send-mobile-code',
  submit: '#submit',
  sendPath: EIAM_PATHS.smsSend,
  submitPath: EIAM_PATHS.bind,
  key,
  idle: bindIdle(page),
})

const bindEmail = (page: PageHandle, device: WxNode, field: string, input: string, key: string): Probe => ({
  ...bindMobile(page, device, field, input, key),
  checks: key === 'verify_code' ? ['#submit'] : ['#send-email-code', '#submit'],
  send: '#send-email-code',
  sendPath: EIAM_PATHS.emailSend,
})

test('the bind page: odd phone numbers are sent normalised or refused under the field, sending nothing', async () => {
  const { page, device } = await bindPage()
  page.typeInto('#mobile-code', '123456')
  await probeRows(bindMobile(page, device, 'bind mobile (+86)', '#mobile', 'mobile'), MOBILE_ROWS)
  page.dispatch('#area', 'change', { value: 1 })
  expect(page.data().areaCode).toBe('+852')
  await probeRows(bindMobile(page, device, 'bind mobile (+852)', '#mobile', 'mobile'), HONG_KONG_ROWS)
})

test('the bind page: odd emails are sent trimmed or refused under the field, sending nothing', async () => {
  const { page, device } = await bindPage()
  await page.tapTab('email')
  page.typeInto('#email-code', '123456')
  await probeRows(bindEmail(page, device, 'bind email', '#email', 'email'), EMAIL_ROWS)
})

test('the bind page: odd codes are sent as 4 to 8 ASCII digits or refused under the code field', async () => {
  const { page, device } = await bindPage()
  page.typeInto('#mobile', '13800138000')
  await probeRows(bindMobile(page, device, 'bind mobile code', '#mobile-code', 'verify_code'), CODE_ROWS)
  await page.tapTab('email')
  page.typeInto('#email', 'zhangsan@example.com')
  await probeRows(bindEmail(page, device, 'bind email code', '#email-code', 'verify_code'), EMAIL_CODE_ROWS)
})

test('the register page: odd codes are sent as 4 to 8 ASCII digits or refused under the code field', async () => {
  const device = installDevice(handle.sandbox)
  const attempt = await renderReady(() => renderPage(bind))
  agree(attempt)
  attempt.typeInto('#mobile', '13600009999')
  attempt.typeInto(
    '#mobile-code',
    String(await requestCode(attempt, handle.sandbox, '#send-mobile-code', '13600009999')),
  )
  attempt.tap('#submit')
  await attempt.waitFor(() => device.state.navigation.length)
  attempt.unload()
  const page = await renderReady(() => renderPage(register))
  agree(page)
  await probeRows(codeProbe('register code', page, device, EIAM_PATHS.registerBind), REGISTER_CODE_ROWS)
})

test('the mfa page: odd codes and emails are sent normalised or refused under their field', async () => {
  handle.sandbox.linkIdentity(FINGERPRINT, 'lisi')
  const device = installDevice(handle.sandbox)
  const page = renderPage(mfa)
  await page.waitFor(() => page.data().target)
  const probe = codeProbe('mfa code', page, device, EIAM_PATHS.mfaSms)
  await probeRows(probe, MFA_CODE_ROWS)

  page.tap('#switch-channel')
  await page.waitFor(() => page.exists('#email'))
  page.typeInto('#code', '123456')
  await probeRows(
    {
      ...probe,
      field: 'mfa email',
      input: '#email',
      checks: ['#send-code', '#submit'],
      sendPath: EIAM_PATHS.emailSend,
      submitPath: EIAM_PATHS.mfaEmail,
      key: 'email',
    },
    MFA_EMAIL_ROWS,
  )
})
