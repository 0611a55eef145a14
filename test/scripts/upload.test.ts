import fs from 'node:fs'
import { upload, type UploadOptions } from '../../scripts/upload'
import { fakeCi, keyBodyLines, RELEASE_APPID, type FakeCi, useReleaseFixture } from './helpers'

const APPID = RELEASE_APPID
const TENANT = { EIAM_BASE_URL: 'https://tenant.example.com', EIAM_CLIENT_ID: 'tenant-client' }

const fx = useReleaseFixture({ appid: 'touristappid' }, '2.4.0')

function run(env: NodeJS.ProcessEnv, fake: FakeCi = fakeCi(), extra: Partial<UploadOptions> = {}) {
  const { builds, options } = fx.commandOptions(env, fake)
  const result = upload({
    ...options,
    gitSubject: () => 'fix: keep the typed phone across a login restart',
    ...extra,
  })
  return { result, builds, fake }
}

/** A release's settings with the tenant's. */
const releaseEnv = (extra: NodeJS.ProcessEnv = {}) => fx.releaseEnv({ ...TENANT, ...extra })

test('uploads package.json’s version with the last commit’s subject, by robot MP_ROBOT, from the staged build', async () => {
  const { result, fake, builds } = run(releaseEnv({ MP_ROBOT: '7' }))
  await expect(result).resolves.toEqual({
    version: '2.4.0',
    desc: 'fix: keep the typed phone across a login restart',
    robot: 7,
  })
  expect(builds.calls[0]).toMatchObject({ rootDir: fx.root, appid: APPID, packNpm: 'always' })
  expect(builds.calls[0].env).toMatchObject(TENANT)
  expect(fake.projects[0]).toMatchObject({
    appid: APPID,
    projectPath: `${fx.root}/.tmp/build`,
    type: 'miniProgram',
  })
  expect(fake.uploads[0]).toMatchObject({
    version: '2.4.0',
    robot: 7,
    desc: 'fix: keep the typed phone across a login restart',
  })
  // uploaded exactly as the build measured it: minified, no ES5 pass (the fx.output is checked to parse as ES2019)
  expect(fake.uploads[0].setting).toMatchObject({
    es6: false,
    enhance: false,
    minify: true,
    minifyWXML: true,
    minifyWXSS: true,
  })
  expect(fx.logged.join('\n')).toMatch(/version 2\.4\.0 uploaded by robot 7/)
})

test('without git (or commits) the description falls back to the name and version', async () => {
  const { result, fake } = run(releaseEnv(), fakeCi(), { gitSubject: () => undefined })
  await result
  expect(fake.uploads[0].desc).toBe('eiam-bind-miniprogram 2.4.0')
})

test('trial and release with tenant.ts’s placeholder client id are not uploaded', async () => {
  const { result, builds } = run({ MP_APPID: APPID, MP_PRIVATE_KEY: fx.keyPem })
  await expect(result).rejects.toThrow(/placeholder client id .* set EIAM_BASE_URL and EIAM_CLIENT_ID/)
  expect(builds.calls).toHaveLength(0)
})

test('an http tenant is refused before anything is built', async () => {
  const { result, builds } = run(releaseEnv({ EIAM_BASE_URL: 'http://tenant.example.com' }))
  await expect(result).rejects.toThrow(
    'EIAM_BASE_URL must be an https:// address for trial and release builds (WeChat allows only HTTPS request domains there), got "http://tenant.example.com".',
  )
  expect(builds.calls).toHaveLength(0)
})

test('touristappid, a missing key and a bad robot each stop the upload with their own sentence', async () => {
  await expect(run({ ...TENANT, MP_PRIVATE_KEY: fx.keyPem }).result).rejects.toThrow(
    /touristappid.*set MP_APPID/,
  )
  await expect(run({ ...TENANT, MP_APPID: APPID }).result).rejects.toThrow(
    /MP_PRIVATE_KEY .* MP_PRIVATE_KEY_PATH/,
  )
  await expect(run(releaseEnv({ MP_ROBOT: '99' })).result).rejects.toThrow(
    /MP_ROBOT must be a whole number from 1 to 30/,
  )
})

test('an IP outside the allow-list, with the key removed and never shown', async () => {
  const fake = fakeCi(() =>
    Promise.reject(
      Object.assign(
        new Error(`Error: Error: errCode: -10008; errMsg: invalid ip: 198.51.100.4, reference: x`),
        {
          code: 20003,
        },
      ),
    ),
  )
  const error = await run(releaseEnv(), fake).result.catch((caught: unknown) => caught)
  expect((error as Error).message).toMatch(
    /^WeChat refused this machine's IP address 198\.51\.100\.4: .*run the upload from an allow-listed machine\.$/,
  )
  expect(fs.existsSync(fake.keyFiles[0].path)).toBe(false)
  const shown = [...fx.logged, ...fx.output.printed, (error as Error).message].join('\n')
  for (const line of keyBodyLines(fx.keyPem)) expect(shown).not.toContain(line)
})

test('an unreachable server and a timeout read as such', async () => {
  const offline = fakeCi(() => Promise.reject(new Error('getaddrinfo EAI_AGAIN servicewechat.com')))
  await expect(run(releaseEnv(), offline).result).rejects.toThrow(
    /^Upload cannot reach WeChat's server servicewechat\.com \(EAI_AGAIN\)/,
  )
  const silent = fakeCi(() => new Promise(() => undefined))
  await expect(run(releaseEnv({ MP_CI_TIMEOUT_MS: '100' }), silent).result).rejects.toThrow(
    /^Upload gave up after 0\.1 s/,
  )
  expect(fs.existsSync(silent.keyFiles[0].path)).toBe(false)
})
