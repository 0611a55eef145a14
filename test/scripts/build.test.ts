/**
 * The one test that runs the real toolchain: the offline build of the real mini program (wcc check, staging,
 * miniprogram-ci's official compile) into a temporary dist. It runs `build()` in a child process (see
 * build-runner.ts). Packing npm runs only if miniprogram_npm is missing (`npm test` packs it first) and the type check
 * is left to `npm run typecheck`, to stay within ~15 s.
 */
import { execFile } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import { promisify } from 'node:util'
import type { BuildOptions, BuildResult } from '../../scripts/build'
import { ROOT } from '../../scripts/lib/paths'
import { tempDir } from './helpers'

const work = tempDir('eiam-build-test-')
const outDir = path.join(work, 'dist')
let result: BuildResult
let logged: string[]

beforeAll(async () => {
  const options: BuildOptions = {
    outDir,
    stageDir: path.join(work, 'stage'),
    packNpm: 'if-missing',
    typecheck: false,
    env: { EIAM_BASE_URL: 'https://tenant.example.com', EIAM_CLIENT_ID: 'build-test-client' },
  }
  const resultFile = path.join(work, 'result.json')
  const tsx = path.join(ROOT, 'node_modules', 'tsx', 'dist', 'cli.mjs')
  await promisify(execFile)(
    process.execPath,
    [tsx, path.join(__dirname, 'build-runner.ts'), JSON.stringify(options), resultFile],
    { cwd: ROOT, timeout: 90_000 },
  ).catch(() => undefined) // the runner's result file says what went wrong
  const outcome = JSON.parse(fs.readFileSync(resultFile, 'utf8')) as {
    result?: BuildResult
    error?: string
    logged: string[]
  }
  logged = outcome.logged
  if (!outcome.result) throw new Error(`build failed: ${outcome.error}\n${outcome.logged.join('\n')}`)
  result = outcome.result
}, 100_000)

afterAll(() => fs.rmSync(work, { recursive: true, force: true }))

test('the compiled app, every page’s script and template and the packed Vant components are in dist', () => {
  const app = JSON.parse(fs.readFileSync(path.join(ROOT, 'miniprogram', 'app.json'), 'utf8')) as {
    pages: string[]
  }
  const expected = ['app.js', 'app.json', ...app.pages.flatMap((page) => [`${page}.js`, `${page}.wxml`])]
  for (const file of expected) expect(fs.existsSync(path.join(outDir, file))).toBe(true)
  expect(result.files).toEqual(expect.arrayContaining(expected))
  expect(result.files.some((file) => file.startsWith('miniprogram_npm/@vant/weapp/'))).toBe(true)
  expect(result.files.some((file) => file.endsWith('.ts'))).toBe(false)
})

test('the reported total is the bytes on disk, and the main package is within WeChat’s 2 MB', () => {
  const onDisk = result.files.reduce((sum, file) => sum + fs.statSync(path.join(outDir, file)).size, 0)
  expect(result.totalBytes).toBe(onDisk)
  expect(result.folders.reduce((sum, { bytes }) => sum + bytes, 0)).toBe(onDisk)
  expect(result.packages[0].name).toBe('main')
  expect(result.packages[0].bytes).toBeLessThanOrEqual(2 * 1024 * 1024)
  expect(logged).toContain(`${outDir}: ${onDisk} bytes in ${result.files.length} files`)
})

test('the compiled config carries the tenant from the environment', () => {
  const compiledOverrides = path.join(outDir, 'config', 'overrides.js')
  expect(fs.readFileSync(compiledOverrides, 'utf8')).toContain('https://tenant.example.com')
  expect(result.tenants.release).toEqual({
    baseUrl: 'https://tenant.example.com',
    clientId: 'build-test-client',
  })
})
