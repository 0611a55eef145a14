import util from 'node:util'

/**
 * Text that must never be printed (the code-upload key). Registered as soon as it is read; every line the scripts
 * print, and everything miniprogram-ci prints while they run, passes through `scrub`.
 */
const secrets = new Set<string>()

const REDACTED = '[redacted]'
/** Any PEM private key block, registered or not, complete or cut off. */
const PEM_PRIVATE_KEY =
  /-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----[\s\S]*?(?:-----END [A-Z0-9 ]*PRIVATE KEY-----|$)/g

/** Remember a secret: the whole text, each line of it, and its base64 body without line breaks. */
export function registerSecret(text: string): void {
  const whole = text.trim()
  if (whole.length >= 8) secrets.add(whole)
  for (const line of text.split(/\r?\n|\\n/)) {
    const trimmed = line.trim()
    if (trimmed.length >= 16 && !trimmed.startsWith('-----')) secrets.add(trimmed)
  }
  const body = text.replace(/-----[A-Z0-9 ]+-----/g, '').replace(/\s+|\\n/g, '')
  if (body.length >= 16) secrets.add(body)
}

/** For tests: forget what earlier cases registered. */
export function forgetSecrets(): void {
  secrets.clear()
}

export function scrub(text: string): string {
  let clean = text.replace(PEM_PRIVATE_KEY, '[redacted private key]')
  // longest first, so a line inside the whole text does not leave the rest behind
  for (const secret of [...secrets].sort((a, b) => b.length - a.length)) {
    clean = clean.split(secret).join(REDACTED)
  }
  return clean
}

type ConsoleMethod = 'log' | 'info' | 'warn' | 'error' | 'debug'
const CONSOLE_METHODS: ConsoleMethod[] = ['log', 'info', 'warn', 'error', 'debug']

let scrubberInstalled = false

/** For the CLI: from now on every console line of the process is scrubbed, whoever prints it. */
export function installConsoleScrubber(): void {
  if (scrubberInstalled) return
  scrubberInstalled = true
  for (const method of CONSOLE_METHODS) {
    const original = console[method].bind(console)
    console[method] = (...args: unknown[]) => original(scrub(util.format(...args)))
  }
}

/**
 * Run a miniprogram-ci call with its console chatter held back (its `[error] … getwhiteextlist` lines are noise on an
 * offline machine) unless `echo` is set (MP_CI_VERBOSE=1). Either way what it prints is scrubbed and collected into
 * `held`. The console is restored when `run` settles: put any timeout inside `run`, or a call that never answers
 * would keep the console muted and swallow the failure sentence.
 */
export async function quietly<T>(run: () => Promise<T>, echo: boolean, held: string[] = []): Promise<T> {
  const originals = CONSOLE_METHODS.map((method) => [method, console[method]] as const)
  for (const [method, original] of originals) {
    console[method] = (...args: unknown[]) => {
      const line = scrub(util.format(...args))
      held.push(line)
      if (echo) original.call(console, line)
    }
  }
  try {
    return await run()
  } finally {
    for (const [method, original] of originals) console[method] = original
  }
}

/** `quietly` for a synchronous call (miniprogram-ci announces every proxy change on the console). */
export function quietlySync<T>(run: () => T, echo: boolean): T {
  const originals = CONSOLE_METHODS.map((method) => [method, console[method]] as const)
  for (const [method, original] of originals) {
    console[method] = (...args: unknown[]) => {
      if (echo) original.call(console, scrub(util.format(...args)))
    }
  }
  try {
    return run()
  } finally {
    for (const [method, original] of originals) console[method] = original
  }
}
