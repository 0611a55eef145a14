/**
 * The part of miniprogram-ci the scripts use, behind a small interface so tests can hand in fakes (no network, no
 * 2-second module load) and the rest of the code does not depend on its undocumented corners.
 */
import { createRequire } from 'node:module'
import { quietly, quietlySync } from './secrets'

/**
 * Compile settings for every compile, preview and upload: minified as uploaded. No ES5 pass (`es6`/`enhance`): it
 * wraps every async function in a 16 KB regenerator runtime; the source stays at ES2019 syntax instead (ESLint rule),
 * which `checkSyntaxLevel` verifies on the output (ES2019: optional catch binding is fine on iOS 12).
 */
export const COMPILE_SETTING = {
  es6: false,
  enhance: false,
  minify: true,
  minifyJS: true,
  minifyWXML: true,
  minifyWXSS: true,
  autoPrefixWXSS: true,
  // these two are read from project.config.json by miniprogram-ci; staging writes them there too
  useCompilerPlugins: ['typescript'],
  ignoreUploadUnusedFiles: true,
}
export type CompileSetting = typeof COMPILE_SETTING

export interface ProjectOptions {
  appid: string
  type: 'miniProgram'
  projectPath: string
  privateKeyPath: string
  ignores: string[]
  /**
   * Undocumented hook of miniprogram-ci 2.1.x: when given, the project's attributes come from here instead of from
   * WeChat's servers, which is what makes the offline compile work.
   */
  attr?: () => Promise<unknown>
}

/** A miniprogram-ci Project, opaque to the scripts: made by `createProject`, handed back to the other calls. */
export type CiProject = object

export interface PackNpmResult {
  miniProgramPackNum: number
  otherNpmPackNum: number
  warnList: unknown[]
}

export interface PreviewCall {
  project: CiProject
  robot: number
  desc: string
  setting: CompileSetting
  /** One format per call; the terminal rendering is made from the saved image (see preview.ts). */
  qrcodeFormat: 'image'
  qrcodeOutputDest: string
}

export interface UploadCall {
  project: CiProject
  version: string
  desc: string
  robot: number
  setting: CompileSetting
}

/** One rule of DevTools' code-quality audit as miniprogram-ci answers it (`text` describes the failure case). */
export interface QualityRuleResult {
  name: string
  success: boolean
  text?: string
  docURL?: string
  detail?: unknown
}

export interface CiApi {
  createProject(options: ProjectOptions): CiProject
  /** The attributes DevTools assumes for an unknown project (2 MB packages, ...). */
  defaultProjectAttr(): Promise<unknown>
  packNpmManually(options: {
    packageJsonPath: string
    miniprogramNpmDistDir: string
    /** package.json paths (globs, relative to its folder) not to pack */
    ignores?: string[]
  }): Promise<PackNpmResult>
  getCompiledResult(project: CiProject, setting: CompileSetting): Promise<Record<string, string | Buffer>>
  preview(call: PreviewCall): Promise<unknown>
  upload(call: UploadCall): Promise<unknown>
  /** miniprogram-ci's own HTTP proxy for its requests; '' lets the next Project read HTTPS_PROXY again. */
  setProxy(url: string): void
  /** The QR code of a JPEG (base64) as terminal art, with miniprogram-ci's own decoder and renderer. */
  renderTerminalQr(jpegBase64: string): Promise<string>
  /** DevTools' code-quality audit of the project on disk, offline with the `attr` hook (bench). Leaves watchers. */
  checkCodeQuality?(project: CiProject): Promise<QualityRuleResult[]>
}

let loaded: Promise<CiApi> | undefined

/** The real miniprogram-ci, loaded on first use (it takes ~2 s and prints a line). */
export function loadCi(): Promise<CiApi> {
  // loading it prints "[miniprogram-builder] initservices CI"
  loaded ??= quietly(() => import('miniprogram-ci'), process.env.MP_CI_VERBOSE === '1').then((ci): CiApi => {
    type RealProject = InstanceType<typeof ci.Project>
    const load = createRequire(__filename)
    return {
      createProject: (options) => new ci.Project(options),
      defaultProjectAttr: async () => ci.DefaultProjectAttr,
      packNpmManually: (options) => ci.packNpmManually(options),
      // the typings demand a version here; both calls ignore it (preview always sends 0.0.1)
      getCompiledResult: (project, setting) =>
        ci.getCompiledResult({ project: project as RealProject, setting, version: '0.0.1' }),
      preview: (call) => ci.preview({ ...call, project: call.project as RealProject, version: '0.0.1' }),
      upload: (call) => ci.upload({ ...call, project: call.project as RealProject }),
      setProxy: (url) => quietlySync(() => ci.proxy(url), process.env.MP_CI_VERBOSE === '1'),
      renderTerminalQr: async (jpegBase64) => {
        // not exported from the package root; it is what `qrcodeFormat: 'terminal'` uses
        const terminalQr = load('miniprogram-ci/dist/ci/utils/terminalQrcode') as {
          generateTerminalQrcode(base64: string): Promise<unknown>
        }
        return String(await terminalQr.generateTerminalQrcode(jpegBase64))
      },
      checkCodeQuality: async (project) =>
        (await ci.checkCodeQuality(project as RealProject)).map((rule) => ({
          name: String(rule.name ?? ''),
          success: rule.success === true,
          text: rule.text,
          docURL: rule.docURL,
          detail: rule.detail as unknown,
        })),
    }
  })
  return loaded
}
