import { spawnSync } from 'node:child_process'
import path from 'node:path'
import { condense } from '../../scripts/lib/errors'
import { forgetSecrets, quietly, registerSecret, scrub } from '../../scripts/lib/secrets'
import { ROOT } from '../../scripts/lib/paths'
import { TimeoutError, ciTimeoutFromEnv, withTimeout } from '../../scripts/lib/timeout'
import { captureConsole, makeKeyPem } from './helpers'

afterEach(() => forgetSecrets())

describe('scrubbing secrets', () => {
  test('a registered key is redacted whole, line by line and as its joined base64 body', () => {
    const pem = makeKeyPem()
    registerSecret(pem)
    const lines = pem.trim().split('\n')
    const body = lines.slice(1, -1)
    expect(scrub(`key: ${pem}`)).not.toContain(body[0])
    expect(scrub(`part: ${body[2]}`)).toBe('part: [redacted]')
    expect(scrub(`joined: ${body.join('')}`)).toBe('joined: [redacted]')
    expect(scrub(JSON.stringify({ key: pem }))).not.toContain(body[1])
  })

  test('any PEM private key block is redacted even if nobody registered it', () => {
    const pem = makeKeyPem()
    expect(scrub(`oops ${pem} end`)).toBe('oops [redacted private key]\n end')
    expect(scrub(pem.slice(0, 200))).toBe('[redacted private key]')
  })

  test('quietly holds miniprogram-ci’s console lines back, scrubbed, and echoes them only when asked', async () => {
    registerSecret('secret-value-123456')
    const output = captureConsole()
    const held: string[] = []
    try {
      await quietly(async () => console.log('[error] secret-value-123456 getwhiteextlist'), false, held)
      expect(output.printed).toEqual([])
      await quietly(async () => console.error('[log] secret-value-123456'), true, held)
      expect(output.printed).toEqual(['[log] [redacted]'])
      expect(held).toEqual(['[error] [redacted] getwhiteextlist', '[log] [redacted]'])
    } finally {
      output.restore()
    }
  })
})

test('a call given up on by its timeout gives the console back at once', async () => {
  const output = captureConsole()
  try {
    const never = new Promise(() => undefined)
    await expect(quietly(() => withTimeout(never, 20, 'Upload'), false)).rejects.toThrow(TimeoutError)
    console.error('Upload gave up.')
    expect(output.printed).toEqual(['Upload gave up.'])
  } finally {
    output.restore()
  }
})

describe('the timeout wrapper', () => {
  test('rejects with a TimeoutError when the work does not settle in time', async () => {
    await expect(withTimeout(new Promise(() => undefined), 20, 'Preview')).rejects.toThrow(TimeoutError)
    await expect(withTimeout(Promise.resolve(7), 1000, 'Preview')).resolves.toBe(7)
    await expect(withTimeout(Promise.reject(new Error('no')), 1000, 'Preview')).rejects.toThrow('no')
  })

  test('MP_CI_TIMEOUT_MS: 120 s by default, whole milliseconds otherwise', () => {
    expect(ciTimeoutFromEnv({})).toBe(120_000)
    expect(ciTimeoutFromEnv({ MP_CI_TIMEOUT_MS: '5000' })).toBe(5000)
    for (const raw of ['0', '-1', '1e3', 'soon']) {
      expect(() => ciTimeoutFromEnv({ MP_CI_TIMEOUT_MS: raw })).toThrow(
        /MP_CI_TIMEOUT_MS must be a whole number/,
      )
    }
  })
})

test('a compiler message condenses to the lines before its code frame', () => {
  const message =
    'Error: file: pages/launch/index.ts\n /x/pages/launch/index.ts: Unexpected token (1:18)\n\n> 1 | const x = ;'
  expect(condense(message)).toBe(
    'file: pages/launch/index.ts /x/pages/launch/index.ts: Unexpected token (1:18)',
  )
})

test('the CLI prints one sentence on stderr and exits 1', () => {
  const tsx = path.join(ROOT, 'node_modules', 'tsx', 'dist', 'cli.mjs')
  const env = { ...process.env, MP_APPID: '', MP_PRIVATE_KEY: '', MP_PRIVATE_KEY_PATH: '' }
  const run = spawnSync(process.execPath, [tsx, 'scripts/preview.ts'], {
    cwd: ROOT,
    env,
    encoding: 'utf8',
    timeout: 20_000,
  })
  expect(run.status).toBe(1)
  expect(run.stdout).toBe('')
  expect(run.stderr.trim().split('\n')).toEqual([
    "project.config.json has the placeholder appid touristappid, which WeChat does not accept for preview or upload: set MP_APPID to your mini program's appid.",
  ])
})
