/**
 * `npm run upload`: builds (staged; trial and release use EIAM_BASE_URL / EIAM_CLIENT_ID when given) and uploads the
 * code with `ci.upload`: version from package.json, description from the last commit's subject, robot MP_ROBOT.
 * The uploaded version then shows in mp.weixin.qq.com → 版本管理, to be made the trial version or submitted for review.
 *
 * Needs MP_APPID, MP_PRIVATE_KEY or MP_PRIVATE_KEY_PATH, and a machine on WeChat's IP allow-list.
 */
import { build, type BuildOptions, type BuildResult } from './build'
import { COMPILE_SETTING, loadCi, type CiApi } from './lib/ci'
import { lastCommitSubject, packageVersion, uploadDescription } from './lib/describe'
import { fail, isMainModule, runCli } from './lib/errors'
import { ROOT } from './lib/paths'
import { resolveReleaseSettings } from './lib/release'
import { PLACEHOLDER_CLIENT_ID, effectiveTenants, resolveOverrides } from './lib/stage'
import { callWeChat } from './lib/wechat'

export interface UploadOptions {
  rootDir?: string
  env?: NodeJS.ProcessEnv
  log?: (line: string) => void
  buildOptions?: Partial<BuildOptions>
  ci?: CiApi
  build?: (options: BuildOptions) => Promise<BuildResult>
  gitSubject?: () => string | undefined
}

export interface UploadOutcome {
  version: string
  desc: string
  robot: number
}

export async function upload(options: UploadOptions = {}): Promise<UploadOutcome> {
  const rootDir = options.rootDir ?? ROOT
  const env = options.env ?? process.env
  const log = options.log ?? console.log

  const settings = resolveReleaseSettings(env, rootDir)
  const version = packageVersion(rootDir)
  const tenants = effectiveTenants(resolveOverrides({ env }))
  if (PLACEHOLDER_CLIENT_ID.test(tenants.release.clientId)) {
    fail(
      `Trial and release would use the placeholder client id "${tenants.release.clientId}" of miniprogram/config/tenant.ts: set EIAM_BASE_URL and EIAM_CLIENT_ID to your tenant, or fill in tenant.ts.`,
    )
  }
  const desc = uploadDescription((options.gitSubject ?? (() => lastCommitSubject(rootDir)))(), version)

  const built = await (options.build ?? build)({
    rootDir,
    env,
    appid: settings.appid,
    packNpm: 'always',
    log,
    ...options.buildOptions,
  })
  const ci = options.ci ?? (await loadCi())
  const result = await callWeChat(
    ci,
    { projectPath: built.stageDir, settings, action: 'Upload' },
    (project) => ci.upload({ project, version, desc, robot: settings.robot, setting: COMPILE_SETTING }),
  )
  const packages = (result as { subPackageInfo?: { name: string; size: number }[] } | undefined)
    ?.subPackageInfo
  for (const { name, size } of packages ?? []) log(`upload: package ${name}: ${size} bytes`)
  log(
    `upload: version ${version} uploaded by robot ${settings.robot} ("${desc}"); make it the trial version or submit it for review at mp.weixin.qq.com → 版本管理`,
  )
  return { version, desc, robot: settings.robot }
}

if (isMainModule(__filename)) {
  void runCli(async () => {
    if (process.argv.length > 2)
      fail(`Unknown option ${process.argv[2]}: upload is configured by environment variables.`)
    await upload()
  })
}
