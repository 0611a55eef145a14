import { removeAllTempDirs } from './temp'
import { installConsoleScrubber, scrub } from './secrets'

/**
 * A failure a person can act on: the message is one sentence saying what to set or fix. The CLI prints it alone
 * (no stack) and exits non-zero.
 */
export class ScriptError extends Error {
  constructor(
    message: string,
    readonly exitCode = 1,
  ) {
    super(message)
    this.name = 'ScriptError'
  }
}

/** Stop with one clear sentence. */
export function fail(sentence: string): never {
  throw new ScriptError(sentence)
}

/** The message of anything thrown, as text (miniprogram-ci sometimes rejects with strings or plain objects). */
export function messageOf(error: unknown): string {
  if (error instanceof Error) return error.message
  if (typeof error === 'string') return error
  try {
    return JSON.stringify(error) ?? String(error)
  } catch {
    return String(error)
  }
}

/**
 * The head of a multi-line tool message on one line: the lines before the first blank one (compilers put the code
 * frame after it), a leading `Error:` dropped, capped so a sentence stays a sentence.
 */
export function condense(text: string, maxLength = 400): string {
  const head: string[] = []
  for (const line of text.split(/\r?\n/)) {
    if (!line.trim()) {
      if (head.length) break
      continue
    }
    head.push(line.trim())
  }
  const joined = head
    .join(' ')
    .replace(/^(Error:\s*)+/i, '')
    .replace(/[.\s]+$/, '')
  return joined.length > maxLength ? `${joined.slice(0, maxLength - 1)}…` : joined
}

/** `Error` objects from miniprogram-ci carry a numeric `code` (10000 parameter, 20003 upload CGI, ...). */
export function codeOf(error: unknown): string | number | undefined {
  if (typeof error !== 'object' || error === null || !('code' in error)) return undefined
  const { code } = error as { code: unknown }
  return typeof code === 'string' || typeof code === 'number' ? code : undefined
}

/** `1 file`, `2 files`. */
export function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`
}

/** Seconds with one decimal, for "… in 4.2 s" lines. */
export function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`
}

/**
 * Run a script's main function: print a failure as its one sentence on stderr (scrubbed of any secret), remove temp
 * files, and always end with `process.exit` — miniprogram-ci leaves file watchers and a compiler process running.
 */
export async function runCli(main: () => Promise<void>): Promise<never> {
  installConsoleScrubber()
  const interrupt = (signal: NodeJS.Signals) => {
    removeAllTempDirs()
    console.error(`Stopped by ${signal}.`)
    process.exit(signal === 'SIGINT' ? 130 : 143)
  }
  process.once('SIGINT', interrupt)
  process.once('SIGTERM', interrupt)
  process.once('exit', removeAllTempDirs)
  // a throw inside one of miniprogram-ci's callbacks escapes every await: still one sentence, still no key file left
  const crash = (error: unknown) => {
    removeAllTempDirs()
    console.error(scrub(`Unexpected failure: ${condense(messageOf(error))}.`))
    process.exit(1)
  }
  process.on('uncaughtException', crash)
  process.on('unhandledRejection', crash)
  let exitCode = 0
  try {
    await main()
  } catch (error) {
    exitCode = error instanceof ScriptError ? error.exitCode : 1
    const sentence =
      error instanceof ScriptError ? error.message : `Unexpected failure: ${condense(messageOf(error))}.`
    console.error(scrub(sentence))
  } finally {
    removeAllTempDirs()
  }
  process.exit(exitCode)
}

/**
 * True when `filename` is the script node was started with (so importing a script, as tests and bench do, runs nothing).
 * The cast: the test tsconfig also loads miniprogram-api-typings, whose global `require` is the mini program's.
 */
export function isMainModule(filename: string): boolean {
  return (require as unknown as NodeJS.Require).main?.filename === filename
}
