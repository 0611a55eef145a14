/**
 * `npm run pack-npm [-- --if-missing]`: DevTools' "Build npm" (miniprogram-ci packNpmManually), writing
 * miniprogram/miniprogram_npm from package.json's dependencies. Works offline, with no appid and no key.
 */
import fs from 'node:fs'
import path from 'node:path'
import { loadCi, type CiApi } from './lib/ci'
import { ScriptError, condense, fail, isMainModule, messageOf, plural, runCli, seconds } from './lib/errors'
import { ROOT } from './lib/paths'
import { quietly } from './lib/secrets'
import { ciTimeoutFromEnv, withTimeout } from './lib/timeout'

/** Present when the pack has run: the one package the main package uses. */
export const PACKED_MARKER = path.join('miniprogram', 'miniprogram_npm', '@vant', 'weapp')

/**
 * Dependencies only a subpackage uses, by subpackage root (under miniprogram/). They are packed into that subpackage's
 * own miniprogram_npm, where WeChat's `require` finds them first, and kept out of the main package's: packed there they
 * would count in the main package, which WeChat's code-quality audit flags as code only subpackages use.
 */
export const SUBPACKAGE_DEPENDENCIES: Readonly<Record<string, readonly string[]>> = {
  oneaccess: ['jsencrypt'],
}

/** Present when each subpackage's dependencies are packed. */
export const SUBPACKAGE_MARKERS = Object.entries(SUBPACKAGE_DEPENDENCIES).flatMap(([root, names]) =>
  names.map((name) => path.join('miniprogram', root, 'miniprogram_npm', name)),
)

/** `packNpmManually`'s `ignores`: the package.json files of these dependencies' folders. */
const ignoring = (names: readonly string[]) => names.map((name) => `node_modules/${name}/**`)

export interface PackNpmOptions {
  rootDir?: string
  /** Do nothing when miniprogram_npm/@vant/weapp already exists. */
  ifMissing?: boolean
  ci?: CiApi
  log?: (line: string) => void
  timeoutMs?: number
  /** Show miniprogram-ci's own log lines; MP_CI_VERBOSE=1 by default. */
  verbose?: boolean
}

export interface PackNpmOutcome {
  packed: boolean
  ms: number
}

export async function packNpm(options: PackNpmOptions = {}): Promise<PackNpmOutcome> {
  const rootDir = options.rootDir ?? ROOT
  const log = options.log ?? console.log
  const started = Date.now()
  const markers = [PACKED_MARKER, ...SUBPACKAGE_MARKERS]
  if (options.ifMissing && markers.every((marker) => fs.existsSync(path.join(rootDir, marker)))) {
    log(`pack-npm: ${PACKED_MARKER} exists, nothing to do (${seconds(Date.now() - started)})`)
    return { packed: false, ms: Date.now() - started }
  }
  const ci = options.ci ?? (await loadCi())
  const packageJsonPath = path.join(rootDir, 'package.json')
  const subpackageNames = Object.values(SUBPACKAGE_DEPENDENCIES).flat()
  const dependencies = Object.keys(
    (JSON.parse(fs.readFileSync(packageJsonPath, 'utf8')) as { dependencies?: Record<string, string> })
      .dependencies ?? {},
  )
  // the main package first, without the subpackages' dependencies; then each subpackage with only its own
  const passes = [
    { distDir: path.join(rootDir, 'miniprogram'), ignores: ignoring(subpackageNames) },
    ...Object.entries(SUBPACKAGE_DEPENDENCIES).map(([root, names]) => ({
      distDir: path.join(rootDir, 'miniprogram', root),
      ignores: ignoring(dependencies.filter((name) => !names.includes(name))),
    })),
  ]
  const result = { miniProgramPackNum: 0, otherNpmPackNum: 0, warnList: [] as unknown[] }
  try {
    for (const pass of passes) {
      const packed = await quietly(
        () =>
          withTimeout(
            ci.packNpmManually({
              packageJsonPath,
              miniprogramNpmDistDir: pass.distDir,
              ignores: pass.ignores,
            }),
            options.timeoutMs ?? ciTimeoutFromEnv(process.env),
            'Packing npm',
          ),
        options.verbose ?? process.env.MP_CI_VERBOSE === '1',
      )
      result.miniProgramPackNum += packed.miniProgramPackNum
      result.otherNpmPackNum += packed.otherNpmPackNum
      result.warnList.push(...packed.warnList)
    }
  } catch (error) {
    if (error instanceof ScriptError) throw error
    fail(
      `Packing npm into miniprogram/miniprogram_npm failed: ${condense(messageOf(error))}; run npm ci and retry.`,
    )
  }
  const missing = markers.find((marker) => !fs.existsSync(path.join(rootDir, marker)))
  if (missing) {
    fail(
      `Packing npm finished but ${missing} is missing: check that its package is in package.json's dependencies and installed (npm ci).`,
    )
  }
  const ms = Date.now() - started
  const warnings = result.warnList.length ? `, ${result.warnList.length} warnings` : ''
  log(
    `pack-npm: built miniprogram/miniprogram_npm and ${Object.keys(SUBPACKAGE_DEPENDENCIES)
      .map((root) => `miniprogram/${root}/miniprogram_npm`)
      .join(
        ', ',
      )} (${plural(result.miniProgramPackNum, 'mini program package')}, ${result.otherNpmPackNum} other${warnings}) in ${seconds(ms)}`,
  )
  return { packed: true, ms }
}

function parseArgs(argv: string[]): PackNpmOptions {
  const options: PackNpmOptions = {}
  for (const arg of argv) {
    if (arg === '--if-missing') options.ifMissing = true
    else fail(`Unknown option ${arg}: pack-npm takes only --if-missing.`)
  }
  return options
}

if (isMainModule(__filename)) {
  void runCli(async () => {
    await packNpm(parseArgs(process.argv.slice(2)))
  })
}
