/**
 * `npm run review-kit [-- --reuse-screenshots]`: what an IT team hands WeChat's reviewer, written to reports/review/.
 *
 * - `journey/NN-scene.zh.png`, `journey-steps.zh.png`, `journey.zh.gif`: the journey in Chinese (launch → bind →
 *   captcha → code → home, and the second factor), as ordered screenshots, one step sheet and an animation of the
 *   same frames (tools/lib/review-recording.ts). The screenshots come from `npm run screenshots` (run first, or reused
 *   with `--reuse-screenshots` when reports/screenshots/ already has them, as in CI right after it).
 * - `reviewer-note.md`: who the app is for, the "not now" exit, the way through with the tenant's test account
 *   (REVIEW_ACCOUNT, REVIEW_CONTACT) and where the recording is, in Chinese and English.
 * - `privacy-declaration.md` / `.json`: what the privacy guide must declare, from a scan of the code.
 * - `domains.md`: the request domains of trial and release from the tenant config (EIAM_BASE_URL / EIAM_CLIENT_ID
 *   stand in for both, as for `npm run build`).
 */
import fs from 'node:fs'
import path from 'node:path'
import { TENANTS } from '../miniprogram/config/tenant'
import type { TenantConfig } from '../miniprogram/config/types'
import { fail, isMainModule, plural, runCli, seconds } from '../scripts/lib/errors'
import { displayPath, ROOT } from '../scripts/lib/paths'
import { renderDomainChecklist } from './lib/review-domains'
import { renderReviewerNote } from './lib/review-note'
import { declarationOf, renderDeclaration } from './lib/review-privacy'
import { JOURNEY, makeRecording } from './lib/review-recording'
import { readAppSources, scanSources } from './lib/review-scan'
import { pngName, SHOTS_DIR } from './lib/shots-plan'

export const REVIEW_DIR = path.join('reports', 'review')
export const KIT_FILES = {
  note: 'reviewer-note.md',
  declaration: 'privacy-declaration.md',
  declarationJson: 'privacy-declaration.json',
  domains: 'domains.md',
  sheet: 'journey-steps.zh.png',
  animation: 'journey.zh.gif',
  framesDir: 'journey',
  index: 'README.md',
} as const

export interface ReviewKitOptions {
  rootDir?: string
  env?: NodeJS.ProcessEnv
  log?: (line: string) => void
  /** reuse reports/screenshots/ when it has every journey frame, instead of taking them again */
  reuseScreenshots?: boolean
  /** takes the screenshots into reports/screenshots/; default: `npm run screenshots`' function */
  takeScreenshots?: (rootDir: string, log: (line: string) => void) => Promise<void>
}

async function defaultScreenshots(rootDir: string, log: (line: string) => void): Promise<void> {
  // loaded here: it brings Playwright, which the text half of the kit does not need
  const { screenshots } = await import('./screenshots')
  await screenshots({ rootDir, log })
}

type Endpoints = Pick<TenantConfig, 'baseUrl' | 'clientId'>

function releaseTenants(env: NodeJS.ProcessEnv): Record<'trial' | 'release', Endpoints> {
  const override = (config: Endpoints): Endpoints => ({
    baseUrl: env.EIAM_BASE_URL?.trim() || config.baseUrl,
    clientId: env.EIAM_CLIENT_ID?.trim() || config.clientId,
  })
  return { trial: override(TENANTS.trial), release: override(TENANTS.release) }
}

export async function reviewKit(options: ReviewKitOptions = {}) {
  const started = Date.now()
  const rootDir = options.rootDir ?? ROOT
  const env = options.env ?? process.env
  const log = options.log ?? console.log
  const outDir = path.resolve(rootDir, REVIEW_DIR)
  fs.rmSync(outDir, { recursive: true, force: true })
  fs.mkdirSync(path.join(outDir, KIT_FILES.framesDir), { recursive: true })
  const write = (name: string, content: string | Buffer) => fs.writeFileSync(path.join(outDir, name), content)

  const uses = scanSources(readAppSources(path.join(rootDir, 'miniprogram')))
  const declared = declarationOf(uses)
  write(KIT_FILES.declaration, renderDeclaration(declared, TENANTS.release.name))
  write(
    KIT_FILES.declarationJson,
    `${JSON.stringify(
      declared.map(({ id, title, declare, foundAt, purpose }) => ({ id, title, declare, purpose, foundAt })),
      null,
      2,
    )}\n`,
  )
  const domains = renderDomainChecklist(releaseTenants(env), uses)
  write(KIT_FILES.domains, domains.text)
  const note = renderReviewerNote({
    release: TENANTS.release,
    account: { account: env.REVIEW_ACCOUNT?.trim(), contact: env.REVIEW_CONTACT?.trim() },
    recording: { sheet: KIT_FILES.sheet, animation: KIT_FILES.animation },
  })
  write(KIT_FILES.note, note.text)

  const shotsDir = path.resolve(rootDir, SHOTS_DIR)
  const framePaths = JOURNEY.map((step) => path.join(shotsDir, pngName(step.scene, 'zh', 'light')))
  const haveAll = () => framePaths.every((file) => fs.existsSync(file) && fs.statSync(file).size > 0)
  if (!options.reuseScreenshots || !haveAll()) {
    log('review-kit: taking the screenshots (npm run screenshots)')
    await (options.takeScreenshots ?? defaultScreenshots)(rootDir, log)
  } else {
    log(`review-kit: reusing the screenshots in ${displayPath(shotsDir, rootDir)}`)
  }
  const missing = framePaths.filter((file) => !fs.existsSync(file)).map((file) => path.basename(file))
  if (missing.length) fail(`The screenshots lack ${missing.join(', ')}: see tools/drivers/shots-scenes.ts.`)
  const recording = await makeRecording(
    framePaths.map((file) => fs.readFileSync(file)),
    JOURNEY,
  )
  const frameNames = JOURNEY.map(
    (step, index) => `${KIT_FILES.framesDir}/${String(index + 1).padStart(2, '0')}-${step.scene}.zh.png`,
  )
  recording.frames.forEach((frame, index) => write(frameNames[index] as string, frame))
  write(KIT_FILES.sheet, recording.sheet)
  write(KIT_FILES.animation, recording.animation)

  const files = [
    [KIT_FILES.note, '审核说明（中英）/ note for the reviewer: paste into 提审 → 补充说明'],
    [KIT_FILES.sheet, '分步长图 / step sheet of the journey: upload as a supplementary image'],
    [KIT_FILES.animation, '流程动画 / the journey, animated'],
    [
      `${KIT_FILES.framesDir}/`,
      `逐步截图 / the frames in order: ${frameNames.map((name) => path.basename(name)).join(', ')}`,
    ],
    [KIT_FILES.declaration, '用户隐私保护指引 / what the privacy guide must declare, with text to paste'],
    [KIT_FILES.domains, '服务器域名 / the request domains to allow-list'],
  ]
  write(
    KIT_FILES.index,
    [
      '# Review kit',
      '',
      `Made by \`npm run review-kit\` on ${new Date().toISOString().slice(0, 10)}.`,
      '',
      '| file | what |',
      '| --- | --- |',
      ...files.map(([name, what]) => `| \`${name}\` | ${what} |`),
      '',
    ].join('\n'),
  )

  log('')
  log(`review kit in ${displayPath(outDir, rootDir)}:`)
  for (const [name, what] of files) log(`  ${String(name).padEnd(28)} ${what}`)
  log(
    `  privacy items: ${declared.map((entry) => entry.id).join(', ') || 'none'}; recording: ${plural(recording.frames.length, 'frame')}, sheet ${Math.round(recording.sheet.length / 1024)} KB, GIF ${Math.round(recording.animation.length / 1024)} KB`,
  )
  const warnings = [
    ...note.missing.map((what) => `the reviewer note has a blank: set ${what}`),
    ...domains.checks.flatMap((check) => check.problems.map((problem) => `${check.env} domain: ${problem}`)),
  ]
  for (const warning of warnings) log(`  ! ${warning}`)
  log(`review-kit: done in ${seconds(Date.now() - started)}`)
  return { outDir, declared, warnings, frames: frameNames }
}

function parseArgs(argv: string[]): Pick<ReviewKitOptions, 'reuseScreenshots'> {
  let reuseScreenshots = false
  for (const arg of argv) {
    if (arg === '--reuse-screenshots') reuseScreenshots = true
    else fail(`Unknown option ${arg}: review-kit takes --reuse-screenshots.`)
  }
  return { reuseScreenshots }
}

if (isMainModule(__filename)) {
  void runCli(async () => {
    await reviewKit(parseArgs(process.argv.slice(2)))
  })
}
