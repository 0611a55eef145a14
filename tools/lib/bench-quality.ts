/**
 * WeChat's own code-quality audit (DevTools "代码质量" panel, miniprogram-ci `checkCodeQuality`), run offline on the
 * staged project, turned into one verdict per rule: name, pass/fail, and a detail a person can read.
 *
 * Two traps of miniprogram-ci 2.1.42 handled here: a rule whose checker throws is reported as *passing* (the error
 * only goes to console.error), so thrown errors are caught on the console and fail the audit; and the rule's `text`
 * describes the failure case ("JS compression is not turned on") whatever the verdict, so it is shown only on failure.
 */
import util from 'node:util'
import type { CiApi, QualityRuleResult } from '../../scripts/lib/ci'
import { withOfflineProject } from '../../scripts/lib/ci-project'
import { formatBytes, NPM_FOLDER } from './bench-size'
import { scrub } from '../../scripts/lib/secrets'
import { withTimeout } from '../../scripts/lib/timeout'

export interface QualityVerdict {
  name: string
  pass: boolean
  detail: string
}

export interface QualityAudit {
  verdicts: QualityVerdict[]
  /** Errors a rule's checker threw (miniprogram-ci then reports the rule as passing). */
  checkerErrors: string[]
  passed: boolean
  ms: number
}

/** The rules DevTools' audit runs for a mini program; a missing one means the audit itself changed. */
export const EXPECTED_RULES = [
  'PACKAGE_SIZE_LIMIT',
  'JS_COMPRESS_OPEN',
  'WXML_COMPRESS_OPEN',
  'WXSS_COMPRESS_OPEN',
  'LAZYCODE_LOADING_OPEN',
  'IMAGE_AND_AUDIO_LIMIT',
  'CONTAINS_OTHER_PKG_JS',
  'CONTAINS_OTHER_PKG_COMPONENTS',
  'CONTAINS_UNUSED_PLUGINS',
  'CONTAINS_UNUSED_COMPONENTS',
  'CONTAINS_UNUSED_CODES',
] as const

const asList = (value: unknown): unknown[] => (Array.isArray(value) ? value : [])
const asRecord = (value: unknown): Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : {}
const listed = (items: unknown[], max = 4) =>
  items.length <= max
    ? items.map(String).join(', ')
    : `${items.slice(0, max).map(String).join(', ')} and ${items.length - max} more`

/** What a rule found, in words; the rule's own text when nothing better is known and it failed. */
export function describeRule(rule: QualityRuleResult): string {
  const fallback = rule.success ? 'passed' : (rule.text ?? 'failed').trim()
  switch (rule.name) {
    case 'PACKAGE_SIZE_LIMIT': {
      const sizes = Object.entries(asRecord(rule.detail)).filter(([, bytes]) => typeof bytes === 'number')
      if (!sizes.length) return fallback
      const parts = sizes.map(
        ([pack, bytes]) => `${pack === '__APP__' ? 'main' : pack} ${formatBytes(Number(bytes))}`,
      )
      return `${parts.join(', ')} of source as analysed (limit 1.5 MB)`
    }
    case 'JS_COMPRESS_OPEN':
    case 'WXML_COMPRESS_OPEN':
    case 'WXSS_COMPRESS_OPEN':
      return rule.success ? 'minified in project.config.json' : fallback
    case 'LAZYCODE_LOADING_OPEN':
      return rule.success ? 'lazyCodeLoading set in app.json' : fallback
    case 'IMAGE_AND_AUDIO_LIMIT':
      return rule.success ? 'no image or audio file over 200 KB' : fallback
    case 'CONTAINS_OTHER_PKG_JS':
    case 'CONTAINS_OTHER_PKG_COMPONENTS': {
      const files = asList(asRecord(rule.detail).files)
      return files.length ? `${files.length} files: ${listed(files)}` : rule.success ? 'none' : fallback
    }
    case 'CONTAINS_UNUSED_PLUGINS':
    case 'CONTAINS_UNUSED_COMPONENTS': {
      const items = asList(rule.detail)
      return items.length ? `${items.length}: ${listed(items)}` : rule.success ? 'none' : fallback
    }
    case 'CONTAINS_UNUSED_CODES': {
      const files = asList(rule.detail).map(String)
      if (!files.length) return 'none'
      const ours = files.filter((file) => !file.startsWith(NPM_FOLDER))
      const where = ours.length ? `${ours.length} of ours (${listed(ours)})` : 'none of ours'
      return `${files.length} unused files, ${where}${rule.success ? '; left out of the upload (ignoreUploadUnusedFiles)' : ''}`
    }
    default:
      return fallback
  }
}

/** Verdicts in the order DevTools lists them; a rule the audit no longer answers is a failed verdict. */
export function verdictsOf(rules: readonly QualityRuleResult[]): QualityVerdict[] {
  const verdicts = rules.map((rule) => ({
    name: rule.name,
    pass: rule.success === true,
    detail: describeRule(rule),
  }))
  for (const name of EXPECTED_RULES) {
    if (!rules.some((rule) => rule.name === name)) {
      verdicts.push({ name, pass: false, detail: 'not answered by checkCodeQuality' })
    }
  }
  return verdicts
}

/**
 * Runs the audit on the project folder (a staged copy holding project.config.json) with the offline Project. Ends
 * with the caller's `process.exit`: miniprogram-ci leaves file watchers behind.
 */
export async function auditCodeQuality(
  ci: CiApi,
  projectPath: string,
  options: { timeoutMs: number; verbose: boolean },
): Promise<QualityAudit> {
  const started = Date.now()
  const check = ci.checkCodeQuality
  if (!check) throw new Error('this miniprogram-ci interface has no checkCodeQuality')
  const checkerErrors: string[] = []
  const original = { error: console.error, log: console.log, warn: console.warn, info: console.info }
  const hold =
    (echo: (...args: unknown[]) => void) =>
    (...args: unknown[]) => {
      const thrown = args.find((arg): arg is Error => arg instanceof Error)
      if (thrown) checkerErrors.push(scrub(`${thrown.name}: ${thrown.message}`))
      if (options.verbose) echo(scrub(util.format(...args)))
    }
  console.error = hold(original.error)
  console.log = hold(original.log)
  console.warn = hold(original.warn)
  console.info = hold(original.info)
  let rules: QualityRuleResult[]
  try {
    rules = await withOfflineProject(ci, projectPath, (project) =>
      withTimeout(check.call(ci, project), options.timeoutMs, 'The code-quality audit'),
    )
  } finally {
    Object.assign(console, original)
  }
  const verdicts = verdictsOf(rules)
  return {
    verdicts,
    checkerErrors,
    passed: checkerErrors.length === 0 && verdicts.every((verdict) => verdict.pass),
    ms: Date.now() - started,
  }
}
