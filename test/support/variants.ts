/**
 * The variant matrix (docs/eiam-api.md §10): every way a tenant is known to differ, as a row of sandbox options (what
 * the tenant does) and tenant options (what the app is configured with), run through the key journeys of
 * test/pages/variants.test.ts and written to `reports/variant-matrix.md`.
 *
 * To add a row (a dialect, a new variant): add an entry to `VARIANTS` with its sandbox and tenant options; when the
 * sandbox option has an environment variable, add its spelling to `ENV_SPELLING`. What each journey must see follows
 * from the options (`expectations`): a row whose journeys must see something else says so in `expect`, and a journey
 * that cannot run against it gets a reason in `notApplicable` (shown as n/a in the report).
 */
import fs from 'node:fs'
import path from 'node:path'
import type { SandboxOptions } from '../../sandbox'
import type { TenantConfig } from '../../miniprogram/config/types'

export type JourneyId = 'bindMobile' | 'bindEmail' | 'mfaSms' | 'refresh'

export const JOURNEYS: readonly { id: JourneyId; label: string }[] = [
  { id: 'bindMobile', label: 'bind by mobile → home' },
  { id: 'bindEmail', label: 'bind by email → home' },
  { id: 'mfaSms', label: 'second factor by SMS → home' },
  { id: 'refresh', label: 'refresh on home' },
]

/** What the journeys of a row must see; derived from its options unless the row overrides it. */
export interface Expectations {
  /** digits of the codes the sandbox sends */
  codeDigits: number
  /** puzzles solved for the first code of a fresh install (2 while an AES tenant's form is learned) */
  firstSendPuzzles: number
  /** refresh answers a new session token (and with it a new session expiry) */
  rotates: boolean
  /** the error code of a wrong SMS code (an email code: `wrongEmailCode`), without `IDAAS.` */
  wrongSmsCode: string
  wrongEmailCode: string
}

export interface Variant {
  id: string
  label: string
  /** the tenant, as the sandbox plays it */
  sandbox: SandboxOptions
  /** the app's tenant config for this row, on top of the develop tenant (config/tenant.ts) */
  tenant?: Partial<TenantConfig>
  expect?: Partial<Expectations>
  notApplicable?: Partial<Record<JourneyId, string>>
}

export const VARIANTS: readonly Variant[] = [
  { id: 'default', label: 'the sandbox as it ships', sandbox: {} },
  { id: 'no-prefix', label: 'error codes without IDAAS.', sandbox: { errorPrefix: false } },
  { id: 'aes', label: 'AES captcha, form learned (default settings)', sandbox: { captchaAes: true } },
  {
    id: 'aes-forced',
    label: 'AES captcha, tenant set to aes',
    sandbox: { captchaAes: true },
    tenant: { captchaEncryption: 'aes' },
  },
  {
    id: 'key-plain',
    label: 'key issued, plain checked (vendor example)',
    sandbox: { captchaAes: 'key-plain' },
  },
  { id: 'code-4', label: '4-digit codes (default settings)', sandbox: { codeLength: 4 } },
  {
    id: 'code-4-stated',
    label: '4-digit codes, tenant states codeLength 4',
    sandbox: { codeLength: 4 },
    tenant: { codeLength: 4 },
  },
  { id: 'code-8', label: '8-digit codes (default settings)', sandbox: { codeLength: 8 } },
  { id: 'vendor-wrong-code', label: 'wrong codes as SDK.SMS.1005 / 1006', sandbox: { wrongCode: 'vendor' } },
  { id: 'no-rotation', label: 'refresh keeps the session token', sandbox: { rotate: false } },
  { id: 'mfa-bare', label: 'mobile-by-token answers bare digits', sandbox: { mfaMobile: 'bare' } },
  {
    id: 'oneaccess',
    label: 'OneAccess dialect: signed refresh keeping the session token, OTP_REST_SMS second factor',
    sandbox: { dialect: 'oneaccess' },
    tenant: { dialect: 'oneaccess' },
    // OneAccess's refresh answers an id_token only (docs/oneaccess.md)
    expect: { rotates: false },
  },
  {
    id: 'all-at-once',
    label: '4 digits, AES, vendor wrong codes, no rotation, no prefix (default settings)',
    sandbox: { codeLength: 4, captchaAes: true, wrongCode: 'vendor', rotate: false, errorPrefix: false },
  },
]

export function expectations(variant: Variant): Expectations {
  const learning =
    variant.sandbox.captchaAes === true && (variant.tenant?.captchaEncryption ?? 'learn') === 'learn'
  const vendor = variant.sandbox.wrongCode === 'vendor'
  return {
    codeDigits: variant.sandbox.codeLength ?? 6,
    firstSendPuzzles: learning ? 2 : 1,
    rotates: variant.sandbox.rotate ?? true,
    wrongSmsCode: vendor ? 'SDK.SMS.1005' : 'SDK.COMMON.1006',
    wrongEmailCode: vendor ? 'SDK.SMS.1006' : 'SDK.COMMON.1006',
    ...variant.expect,
  }
}

/** How `npm start` spells each sandbox option (README "Sandbox options"). */
const ENV_SPELLING: Record<string, (value: unknown) => string> = {
  errorPrefix: (value) => `EIAM_SANDBOX_ERROR_PREFIX=${value ? 1 : 0}`,
  captchaAes: (value) => `EIAM_SANDBOX_CAPTCHA_AES=${value === 'key-plain' ? 'key-plain' : value ? 1 : 0}`,
  codeLength: (value) => `EIAM_SANDBOX_CODE_LENGTH=${String(value)}`,
  wrongCode: (value) => `EIAM_SANDBOX_WRONG_CODE=${String(value)}`,
  rotate: (value) => `EIAM_SANDBOX_ROTATE=${value ? 1 : 0}`,
  mfaMobile: (value) => `EIAM_SANDBOX_MFA_MOBILE=${String(value)}`,
  mode: (value) => `EIAM_SANDBOX_MODE=${String(value)}`,
  flows: (value) => `EIAM_SANDBOX_FLOWS=${(value as string[]).join(',')}`,
  dialect: (value) => `EIAM_SANDBOX_DIALECT=${String(value)}`,
}

export function envOf(options: SandboxOptions): string {
  const parts = Object.entries(options).map(([key, value]) =>
    ENV_SPELLING[key]
      ? (ENV_SPELLING[key] as (v: unknown) => string)(value)
      : `${key}: ${JSON.stringify(value)}`,
  )
  return parts.length ? parts.join(' ') : '(defaults)'
}

export function tenantOptionsOf(variant: Variant): string {
  const entries = Object.entries(variant.tenant ?? {})
  return entries.length
    ? entries.map(([key, value]) => `${key}: ${JSON.stringify(value)}`).join(', ')
    : '(defaults)'
}

// ---- the report -----------------------------------------------------------------------------------------------

export interface Cell {
  ok: boolean
  /** what the journey saw, e.g. "2 puzzles, SDK.SMS.1005 at the code field" or why it failed */
  note: string
}

const cells = new Map<string, Cell>()
const key = (variant: string, journey: JourneyId) => `${variant}\n${journey}`

export function recordCell(variant: Variant, journey: JourneyId, cell: Cell): void {
  cells.set(key(variant.id, journey), cell)
}

const REPORT = path.join(__dirname, '..', '..', 'reports', 'variant-matrix.md')

function cellText(variant: Variant, journey: JourneyId): string {
  const reason = variant.notApplicable?.[journey]
  if (reason) return `n/a (${reason})`
  const cell = cells.get(key(variant.id, journey))
  if (!cell) return 'not run'
  return `${cell.ok ? '✓' : '✗'} ${cell.note}`
}

/** The compact table for the test output: one mark per cell. */
export function compactMatrix(): string {
  const width = Math.max(...VARIANTS.map((variant) => variant.id.length))
  const head = `${''.padEnd(width)}  ${JOURNEYS.map((journey) => journey.id.padEnd(10)).join(' ')}`
  const rows = VARIANTS.map((variant) => {
    const marks = JOURNEYS.map((journey) => {
      if (variant.notApplicable?.[journey.id]) return 'n/a'.padEnd(10)
      const cell = cells.get(key(variant.id, journey.id))
      return (cell ? (cell.ok ? 'ok' : 'FAIL') : '-').padEnd(10)
    })
    return `${variant.id.padEnd(width)}  ${marks.join(' ')}`
  })
  const run = [...cells.values()]
  const passed = run.filter((cell) => cell.ok).length
  return [head, ...rows, `${passed}/${run.length} cells passed`].join('\n')
}

export function writeReport(): void {
  const escape = (text: string) => text.replace(/\|/g, '\\|')
  const lines = [
    '# Variant matrix',
    '',
    'The key journeys through the real pages (miniprogram-simulate) against the sandbox playing each tenant variant of',
    '[docs/eiam-api.md §10](../docs/eiam-api.md). Written by `test/pages/variants.test.ts`; rows come from',
    '`test/support/variants.ts`. Each bind and second factor types a wrong code first (it must land under the code',
    'field), then the right one; refresh runs an hour after sign-in.',
    '',
    `| variant | sandbox (npm start) | tenant options | ${JOURNEYS.map((journey) => journey.label).join(' | ')} |`,
    `| --- | --- | --- | ${JOURNEYS.map(() => '---').join(' | ')} |`,
    ...VARIANTS.map(
      (variant) =>
        `| ${escape(variant.label)} | \`${escape(envOf(variant.sandbox))}\` | ${escape(tenantOptionsOf(variant))} | ${JOURNEYS.map(
          (journey) => escape(cellText(variant, journey.id)),
        ).join(' | ')} |`,
    ),
    '',
  ]
  fs.mkdirSync(path.dirname(REPORT), { recursive: true })
  fs.writeFileSync(REPORT, lines.join('\n'))
}
