/**
 * Fakes for the release scripts' tests: a miniprogram-ci that records what it was asked and answers as told, a build
 * that only returns where it would have staged, a throwaway project root, and a capture of everything printed.
 */
import crypto from 'node:crypto'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import util from 'node:util'
import type { BuildOptions, BuildResult } from '../../scripts/build'
import type { CiApi, PreviewCall, ProjectOptions, UploadCall } from '../../scripts/lib/ci'
import { forgetSecrets } from '../../scripts/lib/secrets'

export function tempDir(prefix = 'eiam-scripts-test-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix))
}

/** A project root with just what preview/upload read: project.config.json and package.json. */
export function fakeRoot(
  config: Record<string, unknown> = { appid: 'touristappid' },
  version = '1.2.3',
): string {
  const root = tempDir('eiam-root-')
  fs.writeFileSync(path.join(root, 'project.config.json'), JSON.stringify(config))
  fs.writeFileSync(path.join(root, 'package.json'), JSON.stringify({ name: 'fixture', version }))
  return root
}

/** A real RSA key in the PKCS#1 PEM shape WeChat's code-upload keys have. */
export function makeKeyPem(): string {
  return crypto.generateKeyPairSync('rsa', {
    modulusLength: 1024,
    privateKeyEncoding: { type: 'pkcs1', format: 'pem' },
    publicKeyEncoding: { type: 'spki', format: 'pem' },
  }).privateKey
}

/** The lines of a PEM body: none of them may ever be printed. */
export function keyBodyLines(pem: string): string[] {
  return pem.split('\n').filter((line) => line && !line.startsWith('-----'))
}

export interface KeyFileSeen {
  path: string
  existed: boolean
  mode: number
  content: string
}

export interface FakeCi {
  ci: CiApi
  projects: ProjectOptions[]
  keyFiles: KeyFileSeen[]
  previews: PreviewCall[]
  uploads: UploadCall[]
}

/**
 * A miniprogram-ci stand-in. `answer` decides what preview/upload do (resolve, reject, never settle); by default
 * preview writes a small "JPEG" where it was told to and upload answers like WeChat does.
 */
export function fakeCi(answer?: (call: PreviewCall | UploadCall) => Promise<unknown>): FakeCi {
  const fake: FakeCi = {
    ci: undefined as unknown as CiApi,
    projects: [],
    keyFiles: [],
    previews: [],
    uploads: [],
  }
  fake.ci = {
    createProject(options) {
      fake.projects.push(options)
      const existed = fs.existsSync(options.privateKeyPath)
      fake.keyFiles.push({
        path: options.privateKeyPath,
        existed,
        mode: existed ? fs.statSync(options.privateKeyPath).mode & 0o777 : 0,
        content: existed ? fs.readFileSync(options.privateKeyPath, 'utf8') : '',
      })
      return { appid: options.appid }
    },
    defaultProjectAttr: async () => ({}),
    packNpmManually: async () => ({ miniProgramPackNum: 1, otherNpmPackNum: 0, warnList: [] }),
    getCompiledResult: async () => ({}),
    async preview(call) {
      fake.previews.push(call)
      if (answer) return answer(call)
      fs.writeFileSync(call.qrcodeOutputDest, Buffer.from([0xff, 0xd8, 0xff, 0xd9]))
      return {}
    },
    async upload(call) {
      fake.uploads.push(call)
      if (answer) return answer(call)
      return { subPackageInfo: [{ name: '__FULL__', size: 123456 }] }
    },
    setProxy: () => undefined,
    renderTerminalQr: async () => '[QR]',
  }
  return fake
}

/** The appid the release tests set as MP_APPID. */
export const RELEASE_APPID = 'wx0123456789abcdef'

/** A build that stages nothing: records its options and answers with a staging folder. */
export function fakeBuild(): {
  build: (options: BuildOptions) => Promise<BuildResult>
  calls: BuildOptions[]
} {
  const calls: BuildOptions[] = []
  return {
    calls,
    build: async (options) => {
      calls.push(options)
      return {
        stageDir: path.join(options.rootDir ?? os.tmpdir(), '.tmp', 'build'),
        outDir: path.join(options.rootDir ?? os.tmpdir(), 'dist'),
        files: [],
        totalBytes: 0,
        folders: [],
        packages: [],
        overrides: {},
        tenants: {
          develop: {
            baseUrl: options.developBaseUrl ?? 'http://127.0.0.1:8787',
            clientId: 'sandbox-client-id',
          },
          trial: { baseUrl: 'https://t.example.com', clientId: 'c' },
          release: { baseUrl: 'https://t.example.com', clientId: 'c' },
        },
        ms: 0,
      }
    },
  }
}

/** Everything printed through console.* while a test runs, as text. */
export function captureConsole(): { printed: string[]; restore: () => void } {
  const printed: string[] = []
  const spies = (['log', 'info', 'warn', 'error', 'debug'] as const).map((method) =>
    jest.spyOn(console, method).mockImplementation((...args: unknown[]) => {
      printed.push(util.format(...args))
    }),
  )
  return { printed, restore: () => spies.forEach((spy) => spy.mockRestore()) }
}

/** A network interface table as os.networkInterfaces() returns it. */
export function interfaces(
  entries: Record<string, { address: string; family: 'IPv4' | 'IPv6'; internal: boolean }[]>,
): NodeJS.Dict<os.NetworkInterfaceInfo[]> {
  const table: NodeJS.Dict<os.NetworkInterfaceInfo[]> = {}
  for (const [name, addresses] of Object.entries(entries)) {
    table[name] = addresses.map(
      (address) =>
        ({
          netmask: '255.255.255.0',
          mac: '00:00:00:00:00:00',
          cidr: null,
          scopeid: 0,
          ...address,
        }) as os.NetworkInterfaceInfo,
    )
  }
  return table
}

/**
 * The fixture of a release-script test file (preview, upload): a signing key made once; per test a fake project root
 * (`fakeRoot(...rootArgs)`), the console captured and the script's log lines collected; all undone after each test.
 */
export function useReleaseFixture(...rootArgs: Parameters<typeof fakeRoot>) {
  const fixture = {
    keyPem: '',
    root: '',
    logged: [] as string[],
    output: { printed: [], restore: () => undefined } as ReturnType<typeof captureConsole>,
    /** The settings of a release (`RELEASE_APPID` and the fixture's key), then `extra`. */
    releaseEnv: (extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv => ({
      MP_APPID: RELEASE_APPID,
      MP_PRIVATE_KEY: fixture.keyPem,
      ...extra,
    }),
    /** What preview and upload both take, on this fixture: its root, `env`, its log, `fake`'s ci and a fake build. */
    commandOptions(env: NodeJS.ProcessEnv, fake: FakeCi) {
      const builds = fakeBuild()
      const options = {
        rootDir: fixture.root,
        env,
        log: (line: string) => fixture.logged.push(line),
        ci: fake.ci,
        build: builds.build,
      }
      return { builds, options }
    },
  }
  beforeAll(() => {
    fixture.keyPem = makeKeyPem()
  })
  beforeEach(() => {
    fixture.root = fakeRoot(...rootArgs)
    fixture.output = captureConsole()
    fixture.logged = []
  })
  afterEach(() => {
    fixture.output.restore()
    forgetSecrets()
    fs.rmSync(fixture.root, { recursive: true, force: true })
  })
  return fixture
}
