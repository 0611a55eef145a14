/**
 * The browser the screenshots are drawn with: Debian's `chromium` and a CJK font (`fonts-noto-cjk`), installed with
 * apt-get when missing (as root, or through `sudo -n` when this user may), started headless with a fresh profile.
 */
import { spawnSync } from 'node:child_process'
import fs from 'node:fs'
import { fail } from '../../scripts/lib/errors'

export const CHROMIUM_PATH = '/usr/bin/chromium'
export const APT_PACKAGES = ['chromium', 'fonts-noto-cjk'] as const
/** Headless, no sandbox (containers), nothing that talks to Google, nothing remembered between runs. */
export const CHROMIUM_FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
]

export interface CommandResult {
  status: number | null
  stdout: string
  stderr: string
  /** set when the command could not be started at all (ENOENT) */
  error?: string
}

export type Runner = (command: string, args: string[], env?: Record<string, string>) => CommandResult

export const runCommand: Runner = (command, args, env) => {
  const result = spawnSync(command, args, {
    encoding: 'utf8',
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
    timeout: 15 * 60_000,
  })
  return {
    status: result.status,
    stdout: result.stdout ?? '',
    stderr: result.stderr ?? '',
    error: result.error?.message,
  }
}

export interface BrowserProbe {
  chromiumInstalled(): boolean
  /** a font that covers Chinese, as fontconfig sees it */
  cjkFontInstalled(): boolean
}

export function systemProbe(run: Runner = runCommand): BrowserProbe {
  return {
    chromiumInstalled: () => fs.existsSync(CHROMIUM_PATH),
    cjkFontInstalled: () => {
      const listed = run('fc-list', [':lang=zh', 'family'])
      return listed.status === 0 && listed.stdout.trim().length > 0
    },
  }
}

/** The apt packages still to install. */
export function missingPackages(probe: BrowserProbe): string[] {
  const missing: string[] = []
  if (!probe.chromiumInstalled()) missing.push('chromium')
  if (!probe.cjkFontInstalled()) missing.push('fonts-noto-cjk')
  return missing
}

export type InstallPlan = { kind: 'run'; prefix: string[] } | { kind: 'impossible'; reason: string }

/** How this user can run apt-get: directly as root, through passwordless sudo, or not at all. */
export function installPlan(env: { uid: number | undefined; run: Runner }): InstallPlan {
  const manual = `install them yourself as root (apt-get update && apt-get install -y ${APT_PACKAGES.join(' ')}) and run npm run screenshots again`
  const apt = env.run('apt-get', ['--version'])
  if (apt.error || apt.status !== 0) {
    return {
      kind: 'impossible',
      reason: `there is no apt-get on this system (Debian or Ubuntu expected): ${manual}`,
    }
  }
  if (env.uid === 0) return { kind: 'run', prefix: [] }
  const sudo = env.run('sudo', ['-n', 'true'])
  if (!sudo.error && sudo.status === 0) return { kind: 'run', prefix: ['sudo', '-n'] }
  return {
    kind: 'impossible',
    reason: `this user is not root and cannot use sudo without a password: ${manual}`,
  }
}

/** Installs what is missing; fails with one sentence when it cannot. */
export function ensureBrowser(options: {
  probe?: BrowserProbe
  run?: Runner
  uid?: number
  log?: (line: string) => void
}): { installed: string[]; ms: number } {
  const started = Date.now()
  const run = options.run ?? runCommand
  const probe = options.probe ?? systemProbe(run)
  const log = options.log ?? console.log
  const missing = missingPackages(probe)
  if (!missing.length) return { installed: [], ms: Date.now() - started }
  const plan = installPlan({ uid: options.uid ?? process.getuid?.(), run })
  if (plan.kind === 'impossible') {
    fail(`Screenshots need Debian's ${missing.join(' and ')}, and ${plan.reason}.`)
  }
  const step = (args: string[]) => {
    const [command, ...rest] = [...plan.prefix, 'apt-get', ...args]
    log(`screenshots: ${[command, ...rest].join(' ')}`)
    const result = run(command as string, rest, { DEBIAN_FRONTEND: 'noninteractive' })
    if (result.error || result.status !== 0) {
      const output = `${result.stderr}${result.stdout}`.trim().split('\n').slice(-3).join(' ')
      fail(
        `Installing ${missing.join(' and ')} failed (${[command, ...rest].join(' ')}: ${result.error ?? `exit ${result.status}`}${output ? `, ${output}` : ''}); install them as root and retry.`,
      )
    }
  }
  log(`screenshots: installing ${missing.join(', ')} (missing)`)
  step(['update'])
  step(['install', '-y', ...APT_PACKAGES])
  const still = missingPackages(probe)
  if (still.length)
    fail(
      `apt-get finished but ${still.join(' and ')} still cannot be found: check ${CHROMIUM_PATH} and fc-list.`,
    )
  return { installed: missing, ms: Date.now() - started }
}
