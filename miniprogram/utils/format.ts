/** Display formats of design.md "Display". */

/** `+86-13800138000` or `13800138000` → `138****8000`; other regions keep their area code: `+852 12****78`. */
export function maskMobile(mobile: string): string {
  const match = /^(\+\d{1,4})-?(\d+)$/.exec(mobile.replace(/\s+/g, ''))
  const area = match ? match[1] : ''
  const number = match ? match[2] : mobile.replace(/\D/g, '')
  if (!number) return ''
  const masked =
    number.length >= 8
      ? `${number.slice(0, 3)}****${number.slice(-4)}`
      : `${number.slice(0, Math.min(2, number.length - 1))}**${number.slice(-2)}`
  return area && area !== '+86' ? `${area} ${masked}` : masked
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
