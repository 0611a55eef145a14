/**
 * Turning what miniprogram-ci throws at preview/upload into one sentence saying what to fix.
 *
 * What it throws (read from miniprogram-ci 2.1.42's dist):
 * - every call first signs a random string from servicewechat.com (`utils/sign.js`); a refusal there becomes
 *   `CodeError("Error: errCode: <n>; errMsg: <msg>", 20001)` — this is where an IP outside the upload allow-list is
 *   refused (WeChat answers errCode -10008 with an errMsg starting "invalid ip"); the upload call wraps failures again
 *   as code 20003 (UPLOAD_CGI_ERR), so the code alone does not say which case it was: the text does;
 * - a key that cannot sign: code 20002, "generate local signature fail …";
 * - no network: the `request` library's errors, `getaddrinfo ENOTFOUND servicewechat.com`, ECONNREFUSED, ….
 */
import type { CiApi, CiProject } from './ci'
import { withReleaseProject } from './ci-project'
import { ScriptError, codeOf, condense, messageOf } from './errors'
import { KEY_HELP, type ReleaseSettings } from './release'
import { quietly, scrub } from './secrets'
import { TimeoutError, withTimeout } from './timeout'

const NETWORK =
  /\b(ENOTFOUND|EAI_AGAIN|ECONNREFUSED|ECONNRESET|ETIMEDOUT|ESOCKETTIMEDOUT|ENETUNREACH|EHOSTUNREACH|EPROTO|CERT_[A-Z_]+|socket hang up)\b/
const IP_REFUSED = /invalid ip|not in white ?list|ip white ?list|白名单|errCode"?\s*[:=]\s*-10008\b/i
const BAD_KEY = /generate local signature fail|invalid signature|signature (?:verify|check) fail|私钥|密钥/i
const BAD_APPID = /invalid appid|appid (?:not exist|is invalid|mismatch)/i

export interface CiErrorContext {
  action: 'Preview' | 'Upload'
  appid: string
  timeoutMs: number
}

export function explainCiError(error: unknown, context: CiErrorContext): string {
  const { action, appid, timeoutMs } = context
  if (error instanceof TimeoutError) {
    return `${action} gave up after ${timeoutMs / 1000} s without an answer from WeChat's server: check this machine's internet access to servicewechat.com (or its HTTPS_PROXY), or raise MP_CI_TIMEOUT_MS.`
  }
  const text = scrub(messageOf(error))
  const code = codeOf(error)
  if (IP_REFUSED.test(text)) {
    const ip = /invalid ip:?\s*([0-9a-f.:]+[0-9a-f])/i.exec(text)?.[1]
    return `WeChat refused this machine's IP address${ip ? ` ${ip}` : ''}: add it to the code-upload IP allow-list (${KEY_HELP} → IP白名单), or run the ${action.toLowerCase()} from an allow-listed machine.`
  }
  const network = NETWORK.exec(text)
  if (network) {
    return `${action} cannot reach WeChat's server servicewechat.com (${network[1]}): this machine needs internet access, directly or through HTTPS_PROXY.`
  }
  if (code === 20002 || BAD_KEY.test(text)) {
    return `WeChat did not accept the code-upload key: set MP_PRIVATE_KEY or MP_PRIVATE_KEY_PATH to the key generated for appid ${appid} (${KEY_HELP}).`
  }
  if (BAD_APPID.test(text)) {
    return `WeChat does not accept appid ${appid}: set MP_APPID to your mini program's appid.`
  }
  return `${action} failed: ${condense(text)}${code !== undefined ? ` (miniprogram-ci code ${code})` : ''}.`
}

/**
 * One preview/upload call to WeChat: a Project signed with the real key (temp key file removed afterwards), the call
 * bounded by the timeout, miniprogram-ci's chatter held back and scrubbed, any failure turned into one sentence.
 */
export async function callWeChat<T>(
  ci: CiApi,
  spec: { projectPath: string; settings: ReleaseSettings; action: CiErrorContext['action'] },
  call: (project: CiProject) => Promise<T>,
): Promise<T> {
  const { settings, action } = spec
  try {
    return await withReleaseProject(
      ci,
      { projectPath: spec.projectPath, appid: settings.appid, key: settings.key },
      // the timeout inside `quietly`, so the console is back to normal as soon as the call is given up on
      (project) => quietly(() => withTimeout(call(project), settings.timeoutMs, action), settings.verbose),
    )
  } catch (error) {
    if (error instanceof ScriptError) throw new ScriptError(scrub(error.message), error.exitCode)
    throw new ScriptError(
      scrub(explainCiError(error, { action, appid: settings.appid, timeoutMs: settings.timeoutMs })),
    )
  }
}
