/**
 * The staged copy the official compiler works on (`.tmp/build/`): project.config.json, package.json and miniprogram/
 * (miniprogram_npm included), with `miniprogram/config/overrides.ts` rewritten for the tenant this build targets.
 * The source tree is never modified.
 */
import fs from 'node:fs'
import path from 'node:path'
import type { EnvVersion, TenantConfig, TenantOverrides } from '../../miniprogram/config/types'
import { TENANTS } from '../../miniprogram/config/tenant'
import { fail } from './errors'
import { ROOT, isWithin } from './paths'

export const OVERRIDES_FILE = path.join('miniprogram', 'config', 'overrides.ts')
const ENV_VERSIONS: EnvVersion[] = ['develop', 'trial', 'release']

/** tenant.ts ships this until an IT team fills in its own. */
export const PLACEHOLDER_CLIENT_ID = /^replace-with/

export interface OverrideInputs {
  /** EIAM_BASE_URL / EIAM_CLIENT_ID: the tenant of trial and release. */
  env: NodeJS.ProcessEnv
  /** Where the develop build (DevTools, preview QR codes) talks to; `--develop-base-url`. */
  developBaseUrl?: string
  developClientId?: string
}

/**
 * A base URL as the app's config wants it: an http(s) origin, optionally with a path, no trailing slash. Trial and
 * release only accept https (WeChat allows only HTTPS request domains there).
 */
export function normaliseBaseUrl(raw: string, source: string, secureOnly: boolean): string {
  let url: URL
  try {
    url = new URL(raw.trim())
  } catch {
    fail(`${source} is not a URL: "${raw}" (expected something like https://your-tenant.example.com).`)
  }
  if (secureOnly && url.protocol !== 'https:') {
    fail(
      `${source} must be an https:// address for trial and release builds (WeChat allows only HTTPS request domains there), got "${raw}".`,
    )
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    fail(`${source} must be an http:// or https:// address, got "${raw}".`)
  }
  if (url.search || url.hash || url.username || url.password) {
    fail(`${source} must be a plain address without query, fragment or credentials, got "${raw}".`)
  }
  return `${url.origin}${url.pathname.replace(/\/+$/, '')}`
}

function clientIdFrom(raw: string | undefined, source: string): string | undefined {
  const clientId = raw?.trim()
  if (!clientId) return undefined
  if (/\s/.test(clientId)) fail(`${source} must not contain spaces, got "${clientId}".`)
  return clientId
}

/**
 * Tenant options a build takes from the environment for every envVersion (develop included: a development preview
 * against the tenant must speak its dialect too). Each is refused with one sentence when its value is not allowed.
 */
export const TENANT_OPTION_VARIABLES = {
  EIAM_DIALECT: { option: 'dialect', allowed: ['bamboo', 'oneaccess'] },
  EIAM_TENANT_ID: { option: 'tenantId', allowed: undefined },
  EIAM_SIGNATURE_PADDING: { option: 'signaturePadding', allowed: ['pkcs1', 'oaep'] },
} as const

function tenantOptionsFrom(env: NodeJS.ProcessEnv): Partial<TenantConfig> {
  const options: Record<string, string> = {}
  for (const [variable, { option, allowed }] of Object.entries(TENANT_OPTION_VARIABLES)) {
    const value = env[variable]?.trim()
    if (!value) continue
    if (allowed && !(allowed as readonly string[]).includes(value)) {
      fail(`${variable} must be ${allowed.join(' or ')}, not "${value}".`)
    }
    if (!allowed && /\s/.test(value)) fail(`${variable} must not contain spaces, got "${value}".`)
    options[option] = value
  }
  return options as Partial<TenantConfig>
}

/** The overrides a build writes: only what the options and environment ask for. */
export function resolveOverrides(inputs: OverrideInputs): TenantOverrides {
  const overrides: TenantOverrides = {}
  const developBaseUrl = inputs.developBaseUrl?.trim()
    ? normaliseBaseUrl(inputs.developBaseUrl, '--develop-base-url', false)
    : undefined
  const developClientId = clientIdFrom(inputs.developClientId, 'the develop client id')
  if (developBaseUrl || developClientId) {
    overrides.develop = {
      ...(developBaseUrl ? { baseUrl: developBaseUrl } : {}),
      ...(developClientId ? { clientId: developClientId } : {}),
    }
  }
  const tenantBaseUrl = inputs.env.EIAM_BASE_URL?.trim()
    ? normaliseBaseUrl(inputs.env.EIAM_BASE_URL, 'EIAM_BASE_URL', true)
    : undefined
  const tenantClientId = clientIdFrom(inputs.env.EIAM_CLIENT_ID, 'EIAM_CLIENT_ID')
  if (tenantBaseUrl || tenantClientId) {
    const tenant = {
      ...(tenantBaseUrl ? { baseUrl: tenantBaseUrl } : {}),
      ...(tenantClientId ? { clientId: tenantClientId } : {}),
    }
    overrides.trial = { ...tenant }
    overrides.release = { ...tenant }
  }
  const options = tenantOptionsFrom(inputs.env)
  if (Object.keys(options).length) {
    for (const version of ENV_VERSIONS) overrides[version] = { ...overrides[version], ...options }
  }
  return overrides
}

export type EffectiveTenants = Record<EnvVersion, Pick<TenantConfig, 'baseUrl' | 'clientId'>>

/** What each envVersion of the build will use: tenant.ts with the overrides on top; trial/release must be https. */
export function effectiveTenants(overrides: TenantOverrides): EffectiveTenants {
  const result = {} as EffectiveTenants
  for (const version of ENV_VERSIONS) {
    const { baseUrl, clientId } = { ...TENANTS[version], ...overrides[version] }
    result[version] = { baseUrl, clientId }
    if (version !== 'develop' && !baseUrl.startsWith('https://')) {
      fail(
        `The ${version} base URL must be an https:// address (WeChat allows only HTTPS request domains there), got "${baseUrl}": set EIAM_BASE_URL or fix miniprogram/config/tenant.ts.`,
      )
    }
  }
  return result
}

/** The staged `overrides.ts`: the same module shape as the source file, with the values filled in. */
export function renderOverrides(overrides: TenantOverrides): string {
  const ordered: TenantOverrides = {}
  for (const version of ENV_VERSIONS) {
    const value = overrides[version]
    if (value) ordered[version] = value
  }
  return [
    '/**',
    ' * Build-time overrides, written by scripts/build.ts into its staged copy (never into the source tree) from',
    ' * EIAM_BASE_URL / EIAM_CLIENT_ID (trial, release), --develop-base-url (develop) and the tenant options',
    ' * EIAM_DIALECT, EIAM_TENANT_ID, EIAM_SIGNATURE_PADDING (every envVersion).',
    ' */',
    "import type { TenantOverrides } from './types'",
    '',
    `export const OVERRIDES: TenantOverrides = ${JSON.stringify(ordered, null, 2)}`,
    '',
  ].join('\n')
}

export interface StageOptions {
  rootDir?: string
  stageDir: string
  overrides: TenantOverrides
  /** Written into the staged project.config.json (preview/upload), so the compiled output names the real appid. */
  appid?: string
}

/**
 * Refuse to clear a folder that may hold sources: inside the repository only `dist/` and `.tmp/` (and folders under
 * them) are build output, so a mistyped `--out-dir .` or `--out-dir sandbox` cannot delete anything else.
 */
export function assertDisposable(dir: string, rootDir: string, what: string): void {
  const resolved = path.resolve(dir)
  const insideRoot = isWithin(resolved, rootDir)
  const buildOutput = ['dist', '.tmp'].some((folder) => isWithin(resolved, path.join(rootDir, folder)))
  if (isWithin(rootDir, resolved) || (insideRoot && !buildOutput)) {
    fail(
      `Refusing to clear ${resolved} as the ${what}: inside the project only dist/ and .tmp/ hold build output.`,
    )
  }
}

export function stageProject(options: StageOptions): void {
  const rootDir = options.rootDir ?? ROOT
  const stageDir = path.resolve(options.stageDir)
  assertDisposable(stageDir, rootDir, 'staging folder')
  if (!fs.existsSync(path.join(rootDir, OVERRIDES_FILE))) {
    fail(
      `${OVERRIDES_FILE} is missing: the build rewrites that file in its staged copy, so the source must have it.`,
    )
  }
  fs.rmSync(stageDir, { recursive: true, force: true })
  fs.mkdirSync(stageDir, { recursive: true })

  const config = JSON.parse(fs.readFileSync(path.join(rootDir, 'project.config.json'), 'utf8')) as {
    appid?: string
    setting?: Record<string, unknown>
  }
  if (options.appid) config.appid = options.appid
  // miniprogram-ci reads these from the project's config, not from the compile call
  config.setting = { ...config.setting, useCompilerPlugins: ['typescript'], ignoreUploadUnusedFiles: true }
  fs.writeFileSync(path.join(stageDir, 'project.config.json'), `${JSON.stringify(config, null, 2)}\n`)
  fs.copyFileSync(path.join(rootDir, 'package.json'), path.join(stageDir, 'package.json'))
  fs.cpSync(path.join(rootDir, 'miniprogram'), path.join(stageDir, 'miniprogram'), { recursive: true })
  fs.writeFileSync(path.join(stageDir, OVERRIDES_FILE), renderOverrides(options.overrides))
}
