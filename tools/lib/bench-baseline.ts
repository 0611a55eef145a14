/**
 * The plain baseline the bench compares with: the same project built the same way (same staging, same compile
 * settings, same offline Project), except that app.json registers every Vant component globally and lazy code
 * loading is off — the common "import the whole UI kit" setup. It is staged and compiled under .tmp/, never dist/.
 */
import fs from 'node:fs'
import path from 'node:path'
import type { TenantOverrides } from '../../miniprogram/config/types'
import { COMPILE_SETTING, type CiApi } from '../../scripts/lib/ci'
import { withOfflineProject } from '../../scripts/lib/ci-project'
import { fail } from '../../scripts/lib/errors'
import { isWithin } from '../../scripts/lib/paths'
import { quietly } from '../../scripts/lib/secrets'
import { stageProject } from '../../scripts/lib/stage'
import { withTimeout } from '../../scripts/lib/timeout'

export const VANT_FOLDER = path.join('miniprogram', 'miniprogram_npm', '@vant', 'weapp')

/** Every packed Vant folder whose index.json declares a component: `button`, `cell-group`, … sorted. */
export function vantComponents(rootDir: string): string[] {
  const vant = path.join(rootDir, VANT_FOLDER)
  if (!fs.existsSync(vant)) fail(`${VANT_FOLDER} is missing: run npm run pack-npm first.`)
  return fs
    .readdirSync(vant, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .filter((name) => {
      const json = path.join(vant, name, 'index.json')
      if (!fs.existsSync(json)) return false
      return (JSON.parse(fs.readFileSync(json, 'utf8')) as { component?: unknown }).component === true
    })
    .sort()
}

/** app.json with every component registered globally as `van-<name>`, and without lazy code loading. */
export function baselineAppJson(
  appJson: Record<string, unknown>,
  components: readonly string[],
): Record<string, unknown> {
  const usingComponents: Record<string, string> = {
    ...((appJson.usingComponents as Record<string, string> | undefined) ?? {}),
  }
  for (const name of components) usingComponents[`van-${name}`] = `@vant/weapp/${name}/index`
  const copy: Record<string, unknown> = { ...appJson, usingComponents }
  delete copy.lazyCodeLoading
  return copy
}

export interface BaselineBuild {
  stageDir: string
  outDir: string
  components: number
  compiled: Record<string, string | Buffer>
  ms: number
}

/**
 * Stages the project into `<workDir>/stage` (the build's own staging, with the same overrides), rewrites its
 * app.json, compiles it offline with the build's settings and writes the files to `<workDir>/dist`.
 */
export async function buildBaseline(options: {
  ci: CiApi
  rootDir: string
  workDir: string
  overrides: TenantOverrides
  timeoutMs: number
  verbose: boolean
}): Promise<BaselineBuild> {
  const started = Date.now()
  const stageDir = path.join(options.workDir, 'stage')
  const outDir = path.resolve(options.workDir, 'dist')
  stageProject({ rootDir: options.rootDir, stageDir, overrides: options.overrides })
  const appJsonFile = path.join(stageDir, 'miniprogram', 'app.json')
  const components = vantComponents(options.rootDir)
  const appJson = JSON.parse(fs.readFileSync(appJsonFile, 'utf8')) as Record<string, unknown>
  fs.writeFileSync(appJsonFile, `${JSON.stringify(baselineAppJson(appJson, components), null, 2)}\n`)
  const compiled = await withOfflineProject(options.ci, stageDir, (project) =>
    quietly(
      () =>
        withTimeout(
          options.ci.getCompiledResult(project, COMPILE_SETTING),
          options.timeoutMs,
          'The baseline compile',
        ),
      options.verbose,
    ),
  )
  fs.rmSync(outDir, { recursive: true, force: true })
  for (const [file, content] of Object.entries(compiled)) {
    const target = path.resolve(outDir, file)
    if (!isWithin(target, outDir) || target === outDir)
      fail(`The baseline compile produced ${file}, outside its folder.`)
    fs.mkdirSync(path.dirname(target), { recursive: true })
    fs.writeFileSync(target, content)
  }
  return { stageDir, outDir, components: components.length, compiled, ms: Date.now() - started }
}
