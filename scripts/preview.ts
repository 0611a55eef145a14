/**
 * `npm run preview`: a development-preview QR code for a phone.
 *
 * Builds (staged) with the develop config pointing where the phone can reach it — EIAM_BASE_URL when given, else the
 * sandbox on this machine's LAN address — then calls `ci.preview` once with `qrcodeFormat: 'image'` (miniprogram-ci
 * takes one format per call, and a second call would upload twice), saves the JPEG to reports/preview-qr.jpg and
 * prints it as terminal art made from that image.
 *
 * Needs MP_APPID, MP_PRIVATE_KEY or MP_PRIVATE_KEY_PATH, and a machine on WeChat's IP allow-list; MP_ROBOT (1–30),
 * MP_CI_TIMEOUT_MS, MP_CI_VERBOSE optional.
 */
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { build, type BuildOptions, type BuildResult } from './build'
import { COMPILE_SETTING, loadCi, type CiApi } from './lib/ci'
import { lastCommitSubject, packageVersion, uploadDescription } from './lib/describe'
import { fail, isMainModule, runCli } from './lib/errors'
import { DEFAULT_QR_PATH, ROOT, displayPath } from './lib/paths'
import { resolveReleaseSettings } from './lib/release'
import { normaliseBaseUrl } from './lib/stage'
import { withTimeout } from './lib/timeout'
import { callWeChat } from './lib/wechat'

export const DEFAULT_SANDBOX_PORT = 8787

export interface PreviewOptions {
  rootDir?: string
  env?: NodeJS.ProcessEnv
  /** Where the QR image goes; reports/preview-qr.jpg by default. */
  qrPath?: string
  log?: (line: string) => void
  /** Passed through to build (tests and quick runs: stageDir, outDir, packNpm, typecheck). */
  buildOptions?: Partial<BuildOptions>
  ci?: CiApi
  build?: (options: BuildOptions) => Promise<BuildResult>
  networkInterfaces?: () => NodeJS.Dict<os.NetworkInterfaceInfo[]>
  gitSubject?: () => string | undefined
}

export interface DevelopTarget {
  baseUrl: string
  source: 'EIAM_BASE_URL' | 'lan'
}

/** The first IPv4 address a phone on the same network could reach (not loopback, not link-local). */
export function lanAddress(interfaces: NodeJS.Dict<os.NetworkInterfaceInfo[]>): string | undefined {
  for (const addresses of Object.values(interfaces)) {
    for (const address of addresses ?? []) {
      // Node 18.0–18.3 reported the family as a number
      const ipv4 = address.family === 'IPv4' || (address.family as unknown) === 4
      if (ipv4 && !address.internal && !address.address.startsWith('169.254.')) return address.address
    }
  }
  return undefined
}

export function sandboxPort(env: NodeJS.ProcessEnv): number {
  const raw = env.EIAM_SANDBOX_PORT?.trim()
  if (!raw) return DEFAULT_SANDBOX_PORT
  const port = Number(raw)
  if (!/^\d+$/.test(raw) || port < 1 || port > 65535) {
    fail(`EIAM_SANDBOX_PORT must be a port number from 1 to 65535, got "${raw}".`)
  }
  return port
}

/** EIAM_BASE_URL when given (the phone then talks to that tenant), else the sandbox on this machine's LAN address. */
export function chooseDevelopTarget(
  env: NodeJS.ProcessEnv,
  interfaces: NodeJS.Dict<os.NetworkInterfaceInfo[]>,
): DevelopTarget {
  if (env.EIAM_BASE_URL?.trim()) {
    return { baseUrl: normaliseBaseUrl(env.EIAM_BASE_URL, 'EIAM_BASE_URL', true), source: 'EIAM_BASE_URL' }
  }
  const port = sandboxPort(env)
  const address = lanAddress(interfaces)
  if (!address) {
    fail(
      'This machine has no LAN IPv4 address a phone could reach the sandbox on: connect it to the network the phone uses, or set EIAM_BASE_URL to a tenant the phone can reach.',
    )
  }
  return { baseUrl: `http://${address}:${port}`, source: 'lan' }
}

export async function preview(
  options: PreviewOptions = {},
): Promise<{ developBaseUrl: string; qrPath: string }> {
  const rootDir = options.rootDir ?? ROOT
  const env = options.env ?? process.env
  const log = options.log ?? console.log
  const qrPath = path.resolve(rootDir, options.qrPath ?? DEFAULT_QR_PATH)

  const settings = resolveReleaseSettings(env, rootDir)
  const target = chooseDevelopTarget(env, (options.networkInterfaces ?? os.networkInterfaces)())
  log(
    `preview: the develop build talks to ${target.baseUrl} (${target.source === 'lan' ? "the sandbox on this machine's LAN address" : 'EIAM_BASE_URL'})`,
  )
  if (target.source === 'EIAM_BASE_URL' && !env.EIAM_CLIENT_ID?.trim()) {
    log("preview: EIAM_CLIENT_ID is not set, so the develop build keeps tenant.ts's develop client id")
  }
  if (target.source === 'lan') {
    log(
      `preview: run the sandbox reachable from the phone: EIAM_SANDBOX_HOST=0.0.0.0 npm start (port ${sandboxPort(env)} open in the firewall, phone on the same network; on the phone open the mini program's ··· menu → 开发调试 so it may call a plain-HTTP address)`,
    )
  }

  const version = packageVersion(rootDir)
  const desc = uploadDescription((options.gitSubject ?? (() => lastCommitSubject(rootDir)))(), version)
  const built = await (options.build ?? build)({
    rootDir,
    env,
    appid: settings.appid,
    developBaseUrl: target.baseUrl,
    // the sandbox's client id would mean nothing to a real tenant
    developClientId: target.source === 'EIAM_BASE_URL' ? env.EIAM_CLIENT_ID : undefined,
    packNpm: 'always',
    log,
    ...options.buildOptions,
  })

  const ci = options.ci ?? (await loadCi())
  fs.mkdirSync(path.dirname(qrPath), { recursive: true })
  fs.rmSync(qrPath, { force: true }) // a QR code left from an earlier run must not pass for this one
  await callWeChat(ci, { projectPath: built.stageDir, settings, action: 'Preview' }, (project) =>
    ci.preview({
      project,
      robot: settings.robot,
      desc,
      setting: COMPILE_SETTING,
      qrcodeFormat: 'image',
      qrcodeOutputDest: qrPath,
    }),
  )
  if (!fs.existsSync(qrPath)) {
    fail(`WeChat accepted the preview but no QR code was saved to ${qrPath}: run again with MP_CI_VERBOSE=1.`)
  }

  try {
    log(
      await withTimeout(
        ci.renderTerminalQr(fs.readFileSync(qrPath).toString('base64')),
        15_000,
        'Drawing the QR code',
      ),
    )
  } catch {
    log('preview: the QR code could not be drawn in the terminal; open the image instead')
  }
  log(
    `preview: QR code saved to ${displayPath(qrPath, rootDir)} (robot ${settings.robot}); scan it with WeChat`,
  )
  return { developBaseUrl: target.baseUrl, qrPath }
}

if (isMainModule(__filename)) {
  void runCli(async () => {
    if (process.argv.length > 2)
      fail(`Unknown option ${process.argv[2]}: preview is configured by environment variables.`)
    await preview()
  })
}
