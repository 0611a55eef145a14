import fs from 'node:fs'
import path from 'node:path'
import { chooseDevelopTarget, lanAddress, preview, type PreviewOptions } from '../../scripts/preview'
import { ScriptError } from '../../scripts/lib/errors'
import { fakeCi, interfaces, keyBodyLines, RELEASE_APPID, type FakeCi, useReleaseFixture } from './helpers'

const APPID = RELEASE_APPID
const LAN = interfaces({
  lo: [{ address: '127.0.0.1', family: 'IPv4', internal: true }],
  docker0: [{ address: 'fe80::1', family: 'IPv6', internal: false }],
  eth0: [
    { address: '169.254.10.10', family: 'IPv4', internal: false },
    { address: '192.168.1.23', family: 'IPv4', internal: false },
  ],
  wlan0: [{ address: '10.0.0.8', family: 'IPv4', internal: false }],
})

const fx = useReleaseFixture()

function run(env: NodeJS.ProcessEnv, fake: FakeCi = fakeCi(), extra: Partial<PreviewOptions> = {}) {
  const { builds, options } = fx.commandOptions(env, fake)
  const result = preview({
    ...options,
    networkInterfaces: () => LAN,
    gitSubject: () => 'feat: bind by email',
    ...extra,
  })
  return { result, builds, fake }
}

const releaseEnv = fx.releaseEnv

/** Everything a person could have seen: log lines, console output, the error sentence. */
function everythingShown(error?: unknown): string {
  return [...fx.logged, ...fx.output.printed, error instanceof Error ? error.message : ''].join('\n')
}

describe('settings are checked before anything is built', () => {
  test('without MP_APPID and an appid-less project.config.json it asks for MP_APPID', async () => {
    fs.writeFileSync(
      path.join(fx.root, 'project.config.json'),
      JSON.stringify({ miniprogramRoot: 'miniprogram/' }),
    )
    const { result, builds } = run({ MP_PRIVATE_KEY: fx.keyPem })
    await expect(result).rejects.toThrow(/^No appid: set MP_APPID/)
    expect(builds.calls).toHaveLength(0)
  })

  test('the touristappid placeholder is refused with a sentence saying to set MP_APPID', async () => {
    const { result } = run({ MP_PRIVATE_KEY: fx.keyPem })
    await expect(result).rejects.toThrow(ScriptError)
    await expect(result).rejects.toThrow(/touristappid.*set MP_APPID/)
  })

  test('MP_APPID wins over project.config.json', async () => {
    fs.writeFileSync(
      path.join(fx.root, 'project.config.json'),
      JSON.stringify({ appid: 'wxffffffffffffffff' }),
    )
    const { result, fake } = run(releaseEnv())
    await result
    expect(fake.projects[0].appid).toBe(APPID)
  })

  test('something that is not an appid is refused', async () => {
    await expect(run(releaseEnv({ MP_APPID: 'my-app' })).result).rejects.toThrow(
      /MP_APPID must be a mini program appid/,
    )
  })

  test('without a key it names MP_PRIVATE_KEY and MP_PRIVATE_KEY_PATH', async () => {
    const { result, builds } = run({ MP_APPID: APPID })
    await expect(result).rejects.toThrow(/No code-upload key: set MP_PRIVATE_KEY .* or MP_PRIVATE_KEY_PATH/)
    expect(builds.calls).toHaveLength(0)
  })

  test('key text that is not a PEM private key is refused without echoing it', async () => {
    const notAKey = 'this-is-not-a-private-key-but-it-is-secret'
    const { result } = run(releaseEnv({ MP_PRIVATE_KEY: notAKey }))
    const error = await result.catch((caught: unknown) => caught)
    expect(String((error as Error).message)).toMatch(/MP_PRIVATE_KEY does not hold a PEM private key/)
    expect(everythingShown(error)).not.toContain(notAKey)
  })

  test('an unreadable MP_PRIVATE_KEY_PATH is named with the reason', async () => {
    const missing = path.join(fx.root, 'missing.key')
    await expect(run({ MP_APPID: APPID, MP_PRIVATE_KEY_PATH: missing }).result).rejects.toThrow(
      `MP_PRIVATE_KEY_PATH points to ${missing}, which cannot be read (ENOENT)`,
    )
  })

  test.each(['0', '31', 'two', '1.5', '-3'])('MP_ROBOT=%s is refused: robots are 1 to 30', async (robot) => {
    const { result, builds } = run(releaseEnv({ MP_ROBOT: robot }))
    await expect(result).rejects.toThrow(
      `MP_ROBOT must be a whole number from 1 to 30 (the CI robot shown as uploader), got "${robot}".`,
    )
    expect(builds.calls).toHaveLength(0)
  })

  test('MP_ROBOT picks the robot, 1 by default', async () => {
    const first = run(releaseEnv())
    await first.result
    expect(first.fake.previews[0].robot).toBe(1)
    const second = run(releaseEnv({ MP_ROBOT: '30' }))
    await second.result
    expect(second.fake.previews[0].robot).toBe(30)
  })

  test('MP_CI_TIMEOUT_MS must be a number of milliseconds', async () => {
    await expect(run(releaseEnv({ MP_CI_TIMEOUT_MS: '2m' })).result).rejects.toThrow(
      /MP_CI_TIMEOUT_MS must be a whole number/,
    )
  })
})

describe('the code-upload key', () => {
  test('key text goes to a 0600 temp file that is gone after the preview, and is never printed', async () => {
    const { result, fake } = run(
      releaseEnv({ MP_CI_VERBOSE: '1' }),
      fakeCi(async (call) => {
        // miniprogram-ci printing or throwing the key would be a leak: the scripts must scrub it
        console.log('[debug] using key', fx.keyPem)
        fs.writeFileSync((call as { qrcodeOutputDest: string }).qrcodeOutputDest, 'jpeg')
        return {}
      }),
    )
    await result
    const [seen] = fake.keyFiles
    expect(seen).toMatchObject({ existed: true, mode: 0o600, content: fx.keyPem.trim() + '\n' })
    expect(fs.existsSync(seen.path)).toBe(false)
    expect(fs.existsSync(path.dirname(seen.path))).toBe(false)
    const shown = everythingShown()
    expect(shown).toContain('[debug] using key')
    for (const line of keyBodyLines(fx.keyPem)) expect(shown).not.toContain(line)
  })

  test('the temp key file is removed when WeChat rejects the call, and the error carries no key text', async () => {
    const fake = fakeCi(async () => {
      throw new Error(`signing with ${fx.keyPem} failed: errCode: -1`)
    })
    const { result } = run(releaseEnv({ MP_CI_VERBOSE: '1' }), fake)
    const error = await result.catch((caught: unknown) => caught)
    expect(error).toBeInstanceOf(ScriptError)
    expect(fs.existsSync(fake.keyFiles[0].path)).toBe(false)
    for (const line of keyBodyLines(fx.keyPem)) expect(everythingShown(error)).not.toContain(line)
  })

  test('key text with its line breaks written as \\n (a CI secret) is accepted', async () => {
    const { result, fake } = run(releaseEnv({ MP_PRIVATE_KEY: fx.keyPem.trim().split('\n').join('\\n') }))
    await result
    expect(fake.keyFiles[0].content).toBe(fx.keyPem.trim() + '\n')
  })

  test('a key file from MP_PRIVATE_KEY_PATH is used in place and left alone', async () => {
    const keyPath = path.join(fx.root, 'private.wx0123456789abcdef.key')
    fs.writeFileSync(keyPath, fx.keyPem, { mode: 0o600 })
    const { result, fake } = run({ MP_APPID: APPID, MP_PRIVATE_KEY_PATH: keyPath })
    await result
    expect(fake.projects[0].privateKeyPath).toBe(keyPath)
    expect(fs.readFileSync(keyPath, 'utf8')).toBe(fx.keyPem)
    for (const line of keyBodyLines(fx.keyPem)) expect(everythingShown()).not.toContain(line)
  })
})

describe('failures of the WeChat call are one sentence with what to fix', () => {
  const rejecting = (error: unknown) => fakeCi(() => Promise.reject(error))

  test('no route to servicewechat.com', async () => {
    const error = Object.assign(new Error('Error: getaddrinfo ENOTFOUND servicewechat.com'), { code: 20001 })
    await expect(run(releaseEnv(), rejecting(error)).result).rejects.toThrow(
      "Preview cannot reach WeChat's server servicewechat.com (ENOTFOUND): this machine needs internet access, directly or through HTTPS_PROXY.",
    )
  })

  test('a refused connection', async () => {
    await expect(
      run(releaseEnv(), rejecting(new Error('connect ECONNREFUSED 10.0.0.1:443'))).result,
    ).rejects.toThrow(/cannot reach WeChat's server servicewechat\.com \(ECONNREFUSED\)/)
  })

  test('an IP outside the upload allow-list names the IP and where to allow it', async () => {
    // what miniprogram-ci's sign step throws when WeChat answers errCode -10008
    const error = Object.assign(
      new Error(
        'Error: errCode: -10008; errMsg: invalid ip: 203.0.113.7, reference: https://developers.weixin.qq.com/miniprogram/dev/devtools/ci.html',
      ),
      { code: 20001 },
    )
    const caught = await run(releaseEnv(), rejecting(error)).result.catch((failure: unknown) => failure)
    expect((caught as Error).message).toBe(
      "WeChat refused this machine's IP address 203.0.113.7: add it to the code-upload IP allow-list (mp.weixin.qq.com → 开发管理 → 开发设置 → 小程序代码上传 → IP白名单), or run the preview from an allow-listed machine.",
    )
  })

  test('a key WeChat cannot use', async () => {
    const error = Object.assign(
      new Error('generate local signature fail. Detail: error:1E08010C:DECODER routines::unsupported'),
      {
        code: 20002,
      },
    )
    await expect(run(releaseEnv(), rejecting(error)).result).rejects.toThrow(
      /^WeChat did not accept the code-upload key: set MP_PRIVATE_KEY or MP_PRIVATE_KEY_PATH to the key generated for appid wx0123456789abcdef/,
    )
  })

  test('anything else keeps miniprogram-ci’s first line and code', async () => {
    const error = Object.assign(
      new Error('Error: {"errCode":-80011,"errMsg":"代码包超过大小限制"}\n    at upload'),
      { code: 20003 },
    )
    await expect(run(releaseEnv(), rejecting(error)).result).rejects.toThrow(
      'Preview failed: {"errCode":-80011,"errMsg":"代码包超过大小限制"} at upload (miniprogram-ci code 20003).',
    )
  })

  test('a server that never answers is given up on after MP_CI_TIMEOUT_MS, and the key file is still removed', async () => {
    const fake = fakeCi(() => new Promise(() => undefined))
    const started = Date.now()
    await expect(run(releaseEnv({ MP_CI_TIMEOUT_MS: '200' }), fake).result).rejects.toThrow(
      /^Preview gave up after 0\.2 s without an answer from WeChat's server: .* raise MP_CI_TIMEOUT_MS\.$/,
    )
    expect(Date.now() - started).toBeLessThan(5000)
    expect(fs.existsSync(fake.keyFiles[0].path)).toBe(false)
  })
})

describe('where the develop build points', () => {
  test('without EIAM_BASE_URL: the sandbox on the first LAN IPv4 address, port 8787, with a reminder to listen on 0.0.0.0', async () => {
    const { result, builds } = run(releaseEnv())
    await expect(result).resolves.toMatchObject({ developBaseUrl: 'http://192.168.1.23:8787' })
    expect(builds.calls[0]).toMatchObject({
      developBaseUrl: 'http://192.168.1.23:8787',
      developClientId: undefined,
      appid: APPID,
    })
    expect(fx.logged.join('\n')).toContain('http://192.168.1.23:8787')
    expect(fx.logged.join('\n')).toContain('EIAM_SANDBOX_HOST=0.0.0.0')
  })

  test('EIAM_SANDBOX_PORT changes the port', () => {
    expect(chooseDevelopTarget({ EIAM_SANDBOX_PORT: '9000' }, LAN).baseUrl).toBe('http://192.168.1.23:9000')
    expect(() => chooseDevelopTarget({ EIAM_SANDBOX_PORT: '70000' }, LAN)).toThrow(
      /EIAM_SANDBOX_PORT must be a port number/,
    )
  })

  test('EIAM_BASE_URL, when given, is the develop address too, with its client id', async () => {
    const env = releaseEnv({ EIAM_BASE_URL: 'https://tenant.example.com/', EIAM_CLIENT_ID: 'tenant-client' })
    const { result, builds } = run(env)
    await expect(result).resolves.toMatchObject({ developBaseUrl: 'https://tenant.example.com' })
    expect(builds.calls[0]).toMatchObject({
      developBaseUrl: 'https://tenant.example.com',
      developClientId: 'tenant-client',
    })
    expect(fx.logged.join('\n')).not.toContain('EIAM_SANDBOX_HOST')
  })

  test('no reachable address: a sentence saying to join the network or set EIAM_BASE_URL', () => {
    const loopbackOnly = interfaces({ lo: [{ address: '127.0.0.1', family: 'IPv4', internal: true }] })
    expect(lanAddress(loopbackOnly)).toBeUndefined()
    expect(() => chooseDevelopTarget({}, loopbackOnly)).toThrow(/no LAN IPv4 address .* set EIAM_BASE_URL/)
  })

  test('an http EIAM_BASE_URL is refused: it would also be the trial and release tenant', async () => {
    const { result, builds } = run(releaseEnv({ EIAM_BASE_URL: 'http://tenant.example.com' }))
    await expect(result).rejects.toThrow(
      /EIAM_BASE_URL must be an https:\/\/ address for trial and release builds/,
    )
    expect(builds.calls).toHaveLength(0)
  })
})

describe('the QR code', () => {
  test('one preview call saves the image, which is also drawn in the terminal', async () => {
    const { result, fake } = run(releaseEnv())
    const { qrPath } = await result
    expect(qrPath).toBe(path.join(fx.root, 'reports', 'preview-qr.jpg'))
    expect(fake.previews).toHaveLength(1)
    expect(fake.previews[0]).toMatchObject({
      qrcodeFormat: 'image',
      qrcodeOutputDest: qrPath,
      desc: 'feat: bind by email',
    })
    expect(fs.existsSync(qrPath)).toBe(true)
    expect(fx.logged).toContain('[QR]')
    expect(fx.logged.join('\n')).toContain('reports/preview-qr.jpg')
  })

  test('a QR image left from an earlier run does not pass for a new one', async () => {
    const qrPath = path.join(fx.root, 'reports', 'qr.jpg')
    fs.mkdirSync(path.dirname(qrPath))
    fs.writeFileSync(qrPath, 'old')
    const { result } = run(
      releaseEnv(),
      fakeCi(async () => ({})),
      { qrPath },
    )
    await expect(result).rejects.toThrow(/no QR code was saved/)
  })
})
