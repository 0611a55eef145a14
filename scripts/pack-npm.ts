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

/** Present when the pack has run: the one package the mini program uses. */
export const PACKED_MARKER = path.join('miniprogram', 'miniprogram_npm', '@vant', 'weapp')

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
  if (options.ifMissing && fs.existsSync(path.join(rootDir, PACKED_MARKER))) {
    log(`pack-npm: ${PACKED_MARKER} exists, nothing to do (${seconds(Date.now() - started)})`)
    return { packed: false, ms: Date.now() - started }
  }
  const ci = options.ci ?? (await loadCi())
  let result
  try {
    result = await quietly(
      () =>
        withTimeout(
          ci.packNpmManually({
            packageJsonPath: path.join(rootDir, 'package.json'),
            miniprogramNpmDistDir: path.join(rootDir, 'miniprogram'),
          }),
          options.timeoutMs ?? ciTimeoutFromEnv(process.env),
          'Packing npm',
        ),
      options.verbose ?? process.env.MP_CI_VERBOSE === '1',
    )
  } catch (error) {
    if (error instanceof ScriptError) throw error
    fail(
      `Packing npm into miniprogram/miniprogram_npm failed: ${condense(messageOf(error))}; run npm ci and retry.`,
    )
  }
  if (!fs.existsSync(path.join(rootDir, PACKED_MARKER))) {
    fail(
      `Packing npm finished but ${PACKED_MARKER} is missing: check that @vant/weapp is in package.json's dependencies and installed (npm ci).`,
    )
  }
  const ms = Date.now() - started
  const warnings = result.warnList.length ? `, ${result.warnList.length} warnings` : ''
  log(
    `pack-npm: built miniprogram/miniprogram_npm (${plural(result.miniProgramPackNum, 'mini program package')}, ${result.otherNpmPackNum} other${warnings}) in ${seconds(ms)}`,
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
