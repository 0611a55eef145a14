/**
 * `npm run build [-- --develop-base-url URL] [-- --out-dir DIR]`: the release build, offline.
 *
 * 1. pack npm (always, so a changed @vant/weapp never ships stale; `packNpm: 'if-missing'` for quick callers),
 * 2. type-check the mini program (`tsc -p tsconfig.json`; the official compiler only strips types),
 * 3. wcc over every WXML file,
 * 4. stage project.config.json, package.json and miniprogram/ into .tmp/build/ with config/overrides.ts rewritten
 *    (EIAM_BASE_URL / EIAM_CLIENT_ID → trial and release, https only; --develop-base-url → develop),
 * 5. compile the staged copy with miniprogram-ci's getCompiledResult (minified, ES6, TypeScript plugin, unused files
 *    dropped) and write the files into dist/ — what a user downloads, file by file.
 * preview, upload and bench reuse `build()`; its staged folder is what they hand to miniprogram-ci.
 */
import { checkSyntaxLevel, SHIPPED_ECMA_VERSION } from './lib/syntax-level'
import { spawnSync } from 'node:child_process'
import fs from 'node:fs'
import { createRequire } from 'node:module'
import path from 'node:path'
import type { TenantOverrides } from '../miniprogram/config/types'
import { COMPILE_SETTING, loadCi, type CiApi } from './lib/ci'
import { withOfflineProject } from './lib/ci-project'
import {
  codeOf,
  condense,
  fail,
  isMainModule,
  messageOf,
  plural,
  runCli,
  ScriptError,
  seconds,
} from './lib/errors'
import { DEFAULT_OUT_DIR, DEFAULT_STAGE_DIR, ROOT, displayPath, isWithin } from './lib/paths'
import { quietly } from './lib/secrets'
import {
  PLACEHOLDER_CLIENT_ID,
  assertDisposable,
  effectiveTenants,
  resolveOverrides,
  stageProject,
  type EffectiveTenants,
} from './lib/stage'
import { TimeoutError, ciTimeoutFromEnv, withTimeout } from './lib/timeout'
import { checkWxml } from './check-wxml'
import { packNpm } from './pack-npm'

/** WeChat's limit for the main package and for each subpackage. */
export const PACKAGE_LIMIT_BYTES = 2 * 1024 * 1024
/** DevTools' code-quality audit warns above this for the main package. */
const MAIN_PACKAGE_WARNING_BYTES = 1.5 * 1024 * 1024

export interface BuildOptions {
  rootDir?: string
  /** Cleared, then filled with the compiled files. Default `dist/`. */
  outDir?: string
  /** The staged copy handed to miniprogram-ci. Default `.tmp/build/`. */
  stageDir?: string
  /** EIAM_BASE_URL, EIAM_CLIENT_ID, MP_CI_TIMEOUT_MS, MP_CI_VERBOSE. Default `process.env`. */
  env?: NodeJS.ProcessEnv
  /** Where the develop build talks to (preview points it at the LAN); tenant.ts's sandbox address otherwise. */
  developBaseUrl?: string
  developClientId?: string
  /** Written into the staged project.config.json (preview/upload pass the real one). */
  appid?: string
  packNpm?: 'always' | 'if-missing'
  typecheck?: boolean
  checkWxml?: boolean
  ci?: CiApi
  log?: (line: string) => void
}

export interface FolderSize {
  /** `pages/`, `miniprogram_npm/`, … or `(root files)`. */
  folder: string
  bytes: number
  files: number
}

export interface PackageSize {
  /** `main` or the subpackage root. */
  name: string
  bytes: number
}

export interface BuildResult {
  stageDir: string
  outDir: string
  /** Relative paths (with `/`) of everything written to outDir, sorted. */
  files: string[]
  totalBytes: number
  folders: FolderSize[]
  packages: PackageSize[]
  overrides: TenantOverrides
  tenants: EffectiveTenants
  ms: number
}

function typecheck(rootDir: string, log: (line: string) => void): void {
  const started = Date.now()
  const tsc = createRequire(__filename).resolve('typescript/bin/tsc')
  const run = spawnSync(process.execPath, [tsc, '-p', 'tsconfig.json', '--pretty', 'false'], {
    cwd: rootDir,
    encoding: 'utf8',
  })
  if (run.error) fail(`Cannot run tsc (${run.error.message}): reinstall dependencies with npm ci.`)
  if (run.status !== 0) {
    const output = `${run.stdout}${run.stderr}`.trim()
    if (output) log(output)
    const errors = (output.match(/error TS\d+/g) ?? []).length
    fail(`The type check failed: tsc -p tsconfig.json reported ${plural(errors, 'error')} (listed above).`)
  }
  log(`typecheck: tsc -p tsconfig.json passed in ${seconds(Date.now() - started)}`)
}

/** Subpackage roots from the compiled app.json, each ending in `/`. */
function subpackageRoots(appJson: string | Buffer | undefined): string[] {
  if (appJson === undefined) fail('The compiled output has no app.json: check miniprogram/app.json.')
  const app = JSON.parse(appJson.toString()) as {
    subpackages?: { root: string }[]
    subPackages?: { root: string }[]
  }
  return [...(app.subpackages ?? app.subPackages ?? [])].map(
    ({ root }) => `${root.replace(/^\/+|\/+$/g, '')}/`,
  )
}

function measure(
  written: Map<string, number>,
  roots: string[],
): { folders: FolderSize[]; packages: PackageSize[] } {
  const folders = new Map<string, FolderSize>()
  const packages = new Map<string, PackageSize>([['main', { name: 'main', bytes: 0 }]])
  for (const root of roots) packages.set(root, { name: root, bytes: 0 })
  for (const [file, bytes] of written) {
    const slash = file.indexOf('/')
    const folder = slash === -1 ? '(root files)' : file.slice(0, slash + 1)
    const entry = folders.get(folder) ?? { folder, bytes: 0, files: 0 }
    entry.bytes += bytes
    entry.files += 1
    folders.set(folder, entry)
    const pack = packages.get(roots.find((root) => file.startsWith(root)) ?? 'main')
    if (pack) pack.bytes += bytes
  }
  return {
    folders: [...folders.values()].sort((a, b) => a.folder.localeCompare(b.folder)),
    packages: [...packages.values()],
  }
}

function writeOutput(outDir: string, compiled: Record<string, string | Buffer>): Map<string, number> {
  fs.rmSync(outDir, { recursive: true, force: true })
  fs.mkdirSync(outDir, { recursive: true })
  const written = new Map<string, number>()
  for (const file of Object.keys(compiled).sort()) {
    const target = path.resolve(outDir, file)
    if (!isWithin(target, outDir) || target === path.resolve(outDir)) {
      fail(`The compiler produced a file outside the output folder (${file}); refusing to write it.`)
    }
    const content = compiled[file]
    const bytes = typeof content === 'string' ? Buffer.from(content, 'utf8') : content
    fs.mkdirSync(path.dirname(target), { recursive: true })
    fs.writeFileSync(target, bytes)
    written.set(file.split(path.sep).join('/'), bytes.length)
  }
  return written
}

function describeTenants(tenants: EffectiveTenants, overrides: TenantOverrides): string {
  return (['develop', 'trial', 'release'] as const)
    .map((version) => {
      const { baseUrl, clientId } = tenants[version]
      const overridden = overrides[version] ? ', overridden' : ''
      return `${version} ${baseUrl} (client ${clientId}${overridden})`
    })
    .join(' · ')
}

export async function build(options: BuildOptions = {}): Promise<BuildResult> {
  const started = Date.now()
  const rootDir = options.rootDir ?? ROOT
  const env = options.env ?? process.env
  const log = options.log ?? console.log
  const outDir = path.resolve(rootDir, options.outDir ?? DEFAULT_OUT_DIR)
  const stageDir = path.resolve(rootDir, options.stageDir ?? DEFAULT_STAGE_DIR)
  const timeoutMs = ciTimeoutFromEnv(env)
  const verbose = env.MP_CI_VERBOSE === '1'

  // every setting is checked before the slow steps
  assertDisposable(outDir, rootDir, 'output folder')
  assertDisposable(stageDir, rootDir, 'staging folder')
  const overrides = resolveOverrides({
    env,
    developBaseUrl: options.developBaseUrl,
    developClientId: options.developClientId,
  })
  const tenants = effectiveTenants(overrides)
  log(`tenant: ${describeTenants(tenants, overrides)}`)
  if (PLACEHOLDER_CLIENT_ID.test(tenants.release.clientId)) {
    log(
      'tenant: trial and release still use the placeholder of miniprogram/config/tenant.ts; set EIAM_BASE_URL and EIAM_CLIENT_ID for a real tenant',
    )
  }

  const ci = options.ci ?? (await loadCi())
  await packNpm({ rootDir, ifMissing: options.packNpm === 'if-missing', ci, log, timeoutMs, verbose })
  if (options.typecheck !== false) typecheck(rootDir, log)
  if (options.checkWxml !== false) checkWxml({ rootDir, log })

  stageProject({ rootDir, stageDir, overrides, appid: options.appid })
  log(
    `stage: ${displayPath(stageDir, rootDir)} (overrides.ts: ${Object.keys(overrides).join(', ') || 'none'})`,
  )

  const compileStarted = Date.now()
  let compiled: Record<string, string | Buffer>
  try {
    compiled = await withOfflineProject(ci, stageDir, (project) =>
      quietly(
        () => withTimeout(ci.getCompiledResult(project, COMPILE_SETTING), timeoutMs, 'The offline compile'),
        verbose,
      ),
    )
  } catch (error) {
    if (error instanceof ScriptError) throw error
    if (error instanceof TimeoutError) {
      fail(
        `The offline compile did not finish within ${timeoutMs / 1000} s: raise MP_CI_TIMEOUT_MS or run with MP_CI_VERBOSE=1 to see where it stalls.`,
      )
    }
    const message = messageOf(error)
      .split(`${stageDir}${path.sep}miniprogram${path.sep}`)
      .join(`miniprogram${path.sep}`)
      .split(`${stageDir}${path.sep}`)
      .join('')
    const code = codeOf(error)
    fail(
      `The official compile rejected the project: ${condense(message)}${code !== undefined ? ` (miniprogram-ci code ${code})` : ''}.`,
    )
  }
  log(`compile: ${plural(Object.keys(compiled).length, 'file')} in ${seconds(Date.now() - compileStarted)}`)

  const tooNew = checkSyntaxLevel(compiled)
  if (tooNew.length) {
    const first = tooNew[0]
    fail(
      `${first.file} uses syntax newer than ES${SHIPPED_ECMA_VERSION} (${first.message}), which older iPhones cannot run: rewrite it${tooNew.length > 1 ? ` (and ${tooNew.length - 1} more files)` : ''}.`,
    )
  }
  log(`syntax: every shipped script parses as ES${SHIPPED_ECMA_VERSION}`)

  const written = writeOutput(outDir, compiled)
  const { folders, packages } = measure(written, subpackageRoots(compiled['app.json']))
  const totalBytes = [...written.values()].reduce((sum, bytes) => sum + bytes, 0)
  log(`${displayPath(outDir, rootDir)}: ${totalBytes} bytes in ${plural(written.size, 'file')}`)
  const width = Math.max(...folders.map(({ folder }) => folder.length))
  for (const { folder, bytes, files } of folders) {
    log(`  ${folder.padEnd(width)}  ${String(bytes).padStart(9)} bytes  ${plural(files, 'file')}`)
  }
  for (const { name, bytes } of packages) {
    log(`  package ${name}: ${bytes} bytes of ${PACKAGE_LIMIT_BYTES} allowed`)
    if (bytes > PACKAGE_LIMIT_BYTES) {
      fail(
        `The ${name} package is ${bytes} bytes, over WeChat's 2 MB limit per package: move pages into subpackages or drop unused code.`,
      )
    }
  }
  const main = packages[0]
  if (main.bytes > MAIN_PACKAGE_WARNING_BYTES) {
    log(`  note: the main package is over 1.5 MB, where DevTools' code-quality audit starts to warn`)
  }
  const ms = Date.now() - started
  log(`build: done in ${seconds(ms)}`)
  return {
    stageDir,
    outDir,
    files: [...written.keys()],
    totalBytes,
    folders,
    packages,
    overrides,
    tenants,
    ms,
  }
}

function parseArgs(argv: string[]): BuildOptions {
  const options: BuildOptions = {}
  for (let index = 0; index < argv.length; index += 1) {
    const [flag, inline] = argv[index].split(/=(.*)/s, 2)
    const value = () => {
      const next = inline ?? argv[(index += 1)]
      if (next === undefined || next.startsWith('--')) fail(`${flag} needs a value.`)
      return next
    }
    if (flag === '--develop-base-url') options.developBaseUrl = value()
    else if (flag === '--out-dir') options.outDir = path.resolve(value())
    else fail(`Unknown option ${flag}: build takes --develop-base-url URL and --out-dir DIR.`)
  }
  return options
}

if (isMainModule(__filename)) {
  void runCli(async () => {
    await build(parseArgs(process.argv.slice(2)))
  })
}
