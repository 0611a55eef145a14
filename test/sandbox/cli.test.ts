import { spawn, type ChildProcess } from 'node:child_process'
import { createServer, type Server } from 'node:net'
import { resolve } from 'node:path'

const ROOT = resolve(__dirname, '../..')
const TSX = resolve(ROOT, 'node_modules/.bin/tsx')
const START_TIMEOUT_MS = 15000

jest.setTimeout(25000)

/** A port nobody listens on right now. */
function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer()
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const address = server.address()
      const port = typeof address === 'object' && address ? address.port : 0
      server.close(() => resolvePort(port))
    })
  })
}

/** A started command, its output so far, and its end. */
class Running {
  stdout = ''
  stderr = ''
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>
  private readonly child: ChildProcess

  constructor(command: string, args: string[], env: Record<string, string>) {
    const cleanEnv = Object.fromEntries(
      Object.entries(process.env).filter(([name]) => !name.startsWith('EIAM_SANDBOX_')),
    )
    // its own process group, so a signal reaches npm, the shell and node alike
    this.child = spawn(command, args, { cwd: ROOT, env: { ...cleanEnv, ...env }, detached: true })
    this.child.stdout?.on('data', (chunk: Buffer) => (this.stdout += chunk.toString()))
    this.child.stderr?.on('data', (chunk: Buffer) => (this.stderr += chunk.toString()))
    this.exited = new Promise((resolveExit) =>
      this.child.on('exit', (code, signal) => resolveExit({ code, signal })),
    )
  }

  async waitForStdout(pattern: RegExp): Promise<RegExpMatchArray> {
    const deadline = Date.now() + START_TIMEOUT_MS
    for (;;) {
      const match = this.stdout.match(pattern)
      if (match) return match
      if (Date.now() > deadline || this.child.exitCode !== null) {
        throw new Error(`no ${String(pattern)} in stdout:\n${this.stdout}\nstderr:\n${this.stderr}`)
      }
      await new Promise((wake) => setTimeout(wake, 25))
    }
  }

  signal(signal: NodeJS.Signals): void {
    if (this.child.pid !== undefined && this.child.exitCode === null) process.kill(-this.child.pid, signal)
  }

  /** The lines our process printed, without npm's own banner. */
  ownStdoutLines(): string[] {
    return this.stdout.split('\n').filter((line) => line.trim() !== '' && !line.startsWith('> '))
  }
}

const running: Running[] = []
const start = (command: string, args: string[], env: Record<string, string>) => {
  const started = new Running(command, args, env)
  running.push(started)
  return started
}

afterEach(async () => {
  for (const started of running.splice(0)) {
    started.signal('SIGKILL')
    await started.exited
  }
})

const device = {
  'X-operating-sys-version': 'Android 14',
  'X-device-fingerprint': 'cli-test',
  'X-agent': 'Pixel 8 Android 14 WeChat/8.0.47 base/3.3.4',
  'X-client-id': 'sandbox-client-id',
  'content-type': 'application/json',
}

describe('npm start', () => {
  test('prints the listening line, answers GET /, prints one line per code sent, and stops on SIGTERM', async () => {
    const port = await freePort()
    const sandbox = start('npm', ['start'], { EIAM_SANDBOX_PORT: String(port), EIAM_SANDBOX_HOOKS: '1' })
    const [listening] = await sandbox.waitForStdout(/^\[eiam-sandbox\] listening on .*$/m)
    expect(listening).toBe(
      `[eiam-sandbox] listening on http://127.0.0.1:${port} client_id=sandbox-client-id mode=bind`,
    )
    const url = `http://127.0.0.1:${port}`

    const health = await fetch(`${url}/`)
    expect(health.status).toBe(200)

    const puzzle = (await (await fetch(`${url}/api/v2/sdk/captcha`, { headers: device })).json()) as {
      token: string
    }
    const { x } = (await (await fetch(`${url}/__sandbox/captcha/${puzzle.token}`)).json()) as { x: number }
    const verified = await fetch(`${url}/api/v2/sdk/captcha/verify`, {
      method: 'POST',
      headers: device,
      body: JSON.stringify({
        point_json: JSON.stringify({ x, y: 5 }),
        token: puzzle.token,
        sender: '13800138000',
      }),
    })
    const { captcha_token } = (await verified.json()) as { captcha_token: string }
    const sent = await fetch(`${url}/api/v2/sdk/sms/send`, {
      method: 'POST',
      headers: device,
      body: JSON.stringify({ mobile: '138 0013 8000', type: 'BIND_MOBILE_SMS', captcha_token }),
    })
    expect(sent.status).toBe(200)
    const [codeLine] = await sandbox.waitForStdout(/^\[eiam-sandbox\] SMS to .*$/m)
    expect(codeLine).toMatch(/^\[eiam-sandbox\] SMS to 138 0013 8000 type=BIND_MOBILE_SMS code=\d{6}$/)
    expect(sandbox.ownStdoutLines()).toEqual([listening, codeLine])
    expect(sandbox.stderr).not.toContain(captcha_token)

    sandbox.signal('SIGTERM')
    await sandbox.exited
    expect(sandbox.stderr).toContain('SIGTERM: stopping')
    await expect(fetch(`${url}/`)).rejects.toThrow()
  })
})

describe('the start script', () => {
  test('prints the configured client id and mode, and exits 0 on SIGINT', async () => {
    const port = await freePort()
    const sandbox = start(TSX, ['scripts/start.ts'], {
      EIAM_SANDBOX_PORT: String(port),
      EIAM_SANDBOX_CLIENT_ID: 'tenant-app-7',
      EIAM_SANDBOX_MODE: 'auto',
    })
    const [listening] = await sandbox.waitForStdout(/^\[eiam-sandbox\] listening on .*$/m)
    expect(listening).toBe(
      `[eiam-sandbox] listening on http://127.0.0.1:${port} client_id=tenant-app-7 mode=auto`,
    )
    sandbox.signal('SIGINT')
    expect(await sandbox.exited).toEqual({ code: 0, signal: null })
  })

  test('an invalid variable is refused with one sentence on stderr and exit code 1', async () => {
    const sandbox = start(TSX, ['scripts/start.ts'], { EIAM_SANDBOX_MODE: 'open' })
    expect(await sandbox.exited).toEqual({ code: 1, signal: null })
    expect(sandbox.stdout).toBe('')
    expect(sandbox.stderr).toBe(
      '[eiam-sandbox] EIAM_SANDBOX_MODE must be bind, register or auto, not "open".\n',
    )
  })

  test('a port in use is refused with one sentence on stderr and exit code 1', async () => {
    const blocker: Server = createServer()
    await new Promise<void>((listening) => blocker.listen(0, '127.0.0.1', listening))
    const address = blocker.address()
    const port = typeof address === 'object' && address ? address.port : 0
    try {
      const sandbox = start(TSX, ['scripts/start.ts'], { EIAM_SANDBOX_PORT: String(port) })
      expect(await sandbox.exited).toEqual({ code: 1, signal: null })
      expect(sandbox.stdout).toBe('')
      expect(sandbox.stderr).toBe(
        `[eiam-sandbox] Port ${port} on 127.0.0.1 is already in use: stop the other process or choose another port with EIAM_SANDBOX_PORT.\n`,
      )
    } finally {
      await new Promise((closed) => blocker.close(closed))
    }
  })
})
