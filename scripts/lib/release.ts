/**
 * What preview and upload need from the environment, checked before anything slow runs: appid, code-upload key,
 * robot, timeout. Every problem is one sentence naming the variable to set.
 */
import crypto from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'
import { fail } from './errors'
import { readProjectConfig, type ReleaseKey } from './ci-project'
import { registerSecret } from './secrets'
import { ciTimeoutFromEnv } from './timeout'

export const KEY_HELP = 'mp.weixin.qq.com → 开发管理 → 开发设置 → 小程序代码上传'

export interface ReleaseSettings {
  appid: string
  key: ReleaseKey
  robot: number
  timeoutMs: number
  /** MP_CI_VERBOSE=1: show miniprogram-ci's own log lines (scrubbed). */
  verbose: boolean
}

export function resolveReleaseSettings(env: NodeJS.ProcessEnv, rootDir: string): ReleaseSettings {
  return {
    appid: resolveAppid(env, rootDir),
    key: resolveReleaseKey(env),
    robot: resolveRobot(env),
    timeoutMs: ciTimeoutFromEnv(env),
    verbose: env.MP_CI_VERBOSE === '1',
  }
}

export function resolveAppid(env: NodeJS.ProcessEnv, rootDir: string): string {
  const fromEnv = env.MP_APPID?.trim()
  let appid = fromEnv
  if (!appid) {
    const configured = readProjectConfig(rootDir).appid
    appid = typeof configured === 'string' ? configured.trim() : ''
  }
  if (!appid)
    fail("No appid: set MP_APPID to the mini program's appid (mp.weixin.qq.com → 开发管理 → 开发设置).")
  if (appid === 'touristappid') {
    fail(
      `${fromEnv ? 'MP_APPID' : 'project.config.json'} has the placeholder appid touristappid, which WeChat does not accept for preview or upload: set MP_APPID to your mini program's appid.`,
    )
  }
  if (!/^wx[0-9a-zA-Z]{16}$/.test(appid)) {
    fail(`MP_APPID must be a mini program appid (wx followed by 16 letters or digits), got "${appid}".`)
  }
  return appid
}

/** CI secrets often arrive with their line breaks written as `\n`. */
function normaliseKeyText(text: string): string {
  const withBreaks = /\r?\n/.test(text) ? text : text.replace(/\\n/g, '\n')
  return `${withBreaks.trim()}\n`
}

function isPrivateKeyPem(text: string): boolean {
  try {
    crypto.createPrivateKey(text)
    return true
  } catch {
    return false
  }
}

/** MP_PRIVATE_KEY (the key text) wins over MP_PRIVATE_KEY_PATH (a file). The key is never echoed, even in part. */
export function resolveReleaseKey(env: NodeJS.ProcessEnv): ReleaseKey {
  const rawText = env.MP_PRIVATE_KEY
  if (rawText?.trim()) {
    registerSecret(rawText)
    const text = normaliseKeyText(rawText)
    registerSecret(text)
    if (!isPrivateKeyPem(text)) {
      fail(
        "MP_PRIVATE_KEY does not hold a PEM private key: paste the whole code-upload key file, from its '-----BEGIN' line to its '-----END' line, or set MP_PRIVATE_KEY_PATH to the file instead.",
      )
    }
    return { kind: 'content', text }
  }
  const keyPath = env.MP_PRIVATE_KEY_PATH?.trim()
  if (keyPath) {
    const absolute = path.resolve(keyPath)
    let text: string
    try {
      text = fs.readFileSync(absolute, 'utf8')
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code ?? 'unreadable'
      fail(
        `MP_PRIVATE_KEY_PATH points to ${absolute}, which cannot be read (${code}): set it to the code-upload key file.`,
      )
    }
    registerSecret(text)
    if (!isPrivateKeyPem(text)) {
      fail(
        `MP_PRIVATE_KEY_PATH points to ${absolute}, which is not a PEM private key: use the code-upload key file downloaded from ${KEY_HELP}.`,
      )
    }
    return { kind: 'path', path: absolute }
  }
  fail(
    `No code-upload key: set MP_PRIVATE_KEY to the key text or MP_PRIVATE_KEY_PATH to the key file (download it from ${KEY_HELP}).`,
  )
}

/** MP_ROBOT picks one of the 30 CI robots that show as the uploader; 1 by default. */
export function resolveRobot(env: NodeJS.ProcessEnv): number {
  const raw = env.MP_ROBOT?.trim()
  if (!raw) return 1
  const robot = Number(raw)
  if (!/^\d+$/.test(raw) || robot < 1 || robot > 30) {
    fail(`MP_ROBOT must be a whole number from 1 to 30 (the CI robot shown as uploader), got "${raw}".`)
  }
  return robot
}
