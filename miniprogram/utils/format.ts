/** Display formats of docs/design.md "Validation and display". */

/** Area codes recognised when a number is written without a separator (`+8613800138000`): longest first. */
const KNOWN_AREAS = ['852', '853', '886', '86', '65', '1']

function splitArea(mobile: string): { area: string; number: string } {
  const compact = mobile.replace(/\s+/g, '')
  const separated = /^\+(\d{1,4})-(\d+)$/.exec(compact)
  if (separated) return { area: separated[1], number: separated[2] }
  if (compact.startsWith('+')) {
    const area = KNOWN_AREAS.find((code) => compact.startsWith(`+${code}`)) || ''
    return { area, number: compact.slice(area.length + 1).replace(/\D/g, '') }
  }
  return { area: '', number: compact.replace(/\D/g, '') }
}

/** Always fewer digits shown than the number has: 3 + 4 for long numbers, 2 + 2 for short ones. */
function maskDigits(number: string): string {
  const length = number.length
  if (length >= 10) return `${number.slice(0, 3)}****${number.slice(-4)}`
  if (length >= 8) return `${number.slice(0, 2)}****${number.slice(-2)}`
  if (length >= 5) return `${number.slice(0, 2)}**${number.slice(-2)}`
  if (length >= 3) return `${number[0]}**${number.slice(-1)}`
  return '**'
}

/** `+86-13800138000` or `13800138000` → `138****8000`; other regions keep their area code: `+852 12****78`. */
export function maskMobile(mobile: string): string {
  const { area, number } = splitArea(mobile)
  if (!number) return ''
  const masked = maskDigits(number)
  return area && area !== '86' ? `+${area} ${masked}` : masked
}

/** `zhangsan@example.com` → `z***@example.com` */
export function maskEmail(email: string): string {
  const at = email.lastIndexOf('@')
  if (at < 1) return email ? '***' : ''
  return `${email[0]}***${email.slice(at)}`
}

const pad = (value: number) => (value < 10 ? `0${value}` : String(value))

/** Local time, `YYYY-MM-DD HH:mm`. */
export function formatDateTime(epochMs: number): string {
  const date = new Date(epochMs)
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())} ${pad(date.getHours())}:${pad(
    date.getMinutes(),
  )}`
}

/** Whole seconds left until `endsAt`, rounded up so a countdown never shows 0 while still running. */
export function secondsLeft(endsAt: number, now: number): number {
  return endsAt > now ? Math.ceil((endsAt - now) / 1000) : 0
}
