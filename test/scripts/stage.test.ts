import fs from 'node:fs'
import path from 'node:path'
import ts from 'typescript'
import { ROOT } from '../../scripts/lib/paths'
import {
  assertDisposable,
  effectiveTenants,
  normaliseBaseUrl,
  renderOverrides,
  resolveOverrides,
  stageProject,
} from '../../scripts/lib/stage'
import type { TenantOverrides } from '../../miniprogram/config/types'
import { tempDir } from './helpers'

/** Run a staged overrides.ts the way the app would see it: transpiled, with its type-only import erased. */
function loadOverrides(source: string): TenantOverrides {
  const { outputText } = ts.transpileModule(source, {
    compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2020 },
  })
  const module = { exports: {} as { OVERRIDES?: TenantOverrides } }
  new Function('module', 'exports', 'require', outputText)(module, module.exports, () => {
    throw new Error('the overrides file must not import anything at run time')
  })
  return module.exports.OVERRIDES as TenantOverrides
}

describe('overrides from the environment and options', () => {
  test('EIAM_BASE_URL and EIAM_CLIENT_ID set trial and release; --develop-base-url sets develop', () => {
    const overrides = resolveOverrides({
      env: { EIAM_BASE_URL: 'https://tenant.example.com/', EIAM_CLIENT_ID: ' tenant-client ' },
      developBaseUrl: 'http://192.168.1.23:8787',
    })
    expect(overrides).toEqual({
      develop: { baseUrl: 'http://192.168.1.23:8787' },
      trial: { baseUrl: 'https://tenant.example.com', clientId: 'tenant-client' },
      release: { baseUrl: 'https://tenant.example.com', clientId: 'tenant-client' },
    })
  })

  test('EIAM_DIALECT, EIAM_TENANT_ID and EIAM_SIGNATURE_PADDING set those tenant options for every envVersion', () => {
    const options = { dialect: 'oneaccess', tenantId: 'isv-7', signaturePadding: 'oaep' }
    expect(
      resolveOverrides({
        env: {
          EIAM_DIALECT: 'oneaccess',
          EIAM_TENANT_ID: ' isv-7 ',
          EIAM_SIGNATURE_PADDING: 'oaep',
          EIAM_CLIENT_ID: 'c1',
        },
      }),
    ).toEqual({
      develop: options,
      trial: { clientId: 'c1', ...options },
      release: { clientId: 'c1', ...options },
    })
    const staged = loadOverrides(renderOverrides(resolveOverrides({ env: { EIAM_DIALECT: 'oneaccess' } })))
    expect(staged.release).toEqual({ dialect: 'oneaccess' })
  })

  test.each([
    ['EIAM_DIALECT', 'huawei', 'EIAM_DIALECT must be bamboo or oneaccess, not "huawei".'],
    ['EIAM_SIGNATURE_PADDING', 'pss', 'EIAM_SIGNATURE_PADDING must be pkcs1 or oaep, not "pss".'],
    ['EIAM_TENANT_ID', 'isv 7', 'EIAM_TENANT_ID must not contain spaces, got "isv 7".'],
  ])('%s=%s fails the build with one sentence', (variable, value, sentence) => {
    expect(() => resolveOverrides({ env: { [variable]: value } })).toThrow(sentence)
  })

  test('nothing set, nothing overridden', () => {
    expect(resolveOverrides({ env: {} })).toEqual({})
  })

  test('a client id alone overrides only the client id', () => {
    expect(resolveOverrides({ env: { EIAM_CLIENT_ID: 'c1' } })).toEqual({
      trial: { clientId: 'c1' },
      release: { clientId: 'c1' },
    })
  })

  test.each(['http://tenant.example.com', 'ftp://tenant.example.com', 'tenant.example.com'])(
    'trial/release base URL %s fails the build with one sentence',
    (url) => {
      expect(() => resolveOverrides({ env: { EIAM_BASE_URL: url } })).toThrow(
        /^EIAM_BASE_URL (must be an https:\/\/ address|is not a URL)/,
      )
    },
  )

  test('develop may be plain http (the sandbox), but not a URL with a query', () => {
    expect(normaliseBaseUrl('http://10.0.0.8:8787/', '--develop-base-url', false)).toBe(
      'http://10.0.0.8:8787',
    )
    expect(() => normaliseBaseUrl('http://10.0.0.8:8787/?x=1', '--develop-base-url', false)).toThrow(
      /without query/,
    )
  })

  test('the effective tenants are tenant.ts with the overrides on top, and trial/release must stay https', () => {
    const tenants = effectiveTenants({ release: { baseUrl: 'https://t.example.com' } })
    expect(tenants.release.baseUrl).toBe('https://t.example.com')
    expect(tenants.develop.baseUrl).toMatch(/^http:\/\/127\.0\.0\.1:/)
    expect(() => effectiveTenants({ trial: { baseUrl: 'http://t.example.com' } })).toThrow(
      /The trial base URL must be an https:\/\/ address/,
    )
  })
})

describe('the staged overrides.ts', () => {
  test('exports exactly the overrides, in the shape the app imports', () => {
    const overrides: TenantOverrides = {
      release: { baseUrl: 'https://tenant.example.com', clientId: 'quote"and\\slash' },
      develop: { baseUrl: 'http://192.168.1.23:8787' },
    }
    const source = renderOverrides(overrides)
    expect(source).toContain("import type { TenantOverrides } from './types'")
    expect(source).toContain('export const OVERRIDES: TenantOverrides = {')
    expect(Object.keys(loadOverrides(source))).toEqual(['develop', 'release'])
    expect(loadOverrides(source)).toEqual(overrides)
    expect(loadOverrides(renderOverrides({}))).toEqual({})
  })

  test('staging copies the project, rewrites only the staged overrides and writes the appid and compile settings', () => {
    const stageDir = path.join(tempDir(), 'build')
    const overrides = resolveOverrides({
      env: { EIAM_BASE_URL: 'https://tenant.example.com', EIAM_CLIENT_ID: 'c9' },
    })
    const sourceOverrides = fs.readFileSync(path.join(ROOT, 'miniprogram/config/overrides.ts'), 'utf8')
    stageProject({ rootDir: ROOT, stageDir, overrides, appid: 'wx0123456789abcdef' })
    expect(
      loadOverrides(fs.readFileSync(path.join(stageDir, 'miniprogram/config/overrides.ts'), 'utf8')),
    ).toEqual(overrides)
    expect(fs.readFileSync(path.join(ROOT, 'miniprogram/config/overrides.ts'), 'utf8')).toBe(sourceOverrides)
    const config = JSON.parse(fs.readFileSync(path.join(stageDir, 'project.config.json'), 'utf8'))
    expect(config).toMatchObject({
      appid: 'wx0123456789abcdef',
      setting: { useCompilerPlugins: ['typescript'], ignoreUploadUnusedFiles: true },
    })
    expect(fs.existsSync(path.join(stageDir, 'package.json'))).toBe(true)
    expect(fs.existsSync(path.join(stageDir, 'miniprogram/app.json'))).toBe(true)
    fs.rmSync(path.dirname(stageDir), { recursive: true, force: true })
  })

  test('build output folders that could hold sources are refused', () => {
    expect(() => assertDisposable(ROOT, ROOT, 'output folder')).toThrow(/Refusing to clear/)
    expect(() => assertDisposable(path.dirname(ROOT), ROOT, 'output folder')).toThrow(/Refusing to clear/)
    expect(() => assertDisposable(path.join(ROOT, 'sandbox'), ROOT, 'output folder')).toThrow(
      /only dist\/ and \.tmp\//,
    )
    expect(() => assertDisposable(path.join(ROOT, 'dist'), ROOT, 'output folder')).not.toThrow()
    expect(() => assertDisposable(path.join(ROOT, '.tmp', 'build'), ROOT, 'staging folder')).not.toThrow()
  })
})
