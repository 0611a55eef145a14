/**
 * The service layer of the mini program as an "app" for node integration tests: a fresh wx-node `wx` installed as
 * `global.wx` and a fresh copy of every service module (their module state — fingerprint, login in flight, refresh in
 * flight, countdown cache — starts empty), talking to a real sandbox over loopback.
 *
 * - `appOn(context, linkedTo?)`: a new app with a fingerprint of its own, linked to a seeded user if asked.
 * - `secureValue(app, key)`: what the services wrote to encrypted storage, parsed (fails if it is stored plain).
 * - `startApp(sandbox, options)`: a new app. `options.storage` starts it from a copy of another app's storage, which is
 *   what a killed and reopened mini program sees; `app.restart()` does exactly that.
 * - `app.solveCaptcha(sender)`: a puzzle through the service, its answer from the sandbox, verified through the service.
 * - `app.sendCode(purpose, channel, target)`: captcha + `sendVerificationCode`, answering the code the sandbox sent.
 * - `app.failure(promise)`: the EiamError a call rejects with (fails the test on success or on any other error).
 *   Every error it returns is checked after the test: no token, session, id_token, captcha token or code that
 *   any app of the test sent or received may appear in its message.
 *
 * - `setAppClock(epochMs)`: the app's `Date` set to an instant (the sandbox keeps its own clock); undone after the test.
 *
 * One app is live at a time: the services read `global.wx` per call, so starting an app switches all of them to it.
 * The sandbox itself (`useSandbox`, its clock, `SEEDED`, `DEVELOP_ORIGIN`) comes from test/support/sandbox.ts.
 */
import type { Sandbox } from '../../sandbox'
import type * as ConfigModule from '../../miniprogram/config/index'
import type * as TenantModule from '../../miniprogram/config/tenant'
import type { TenantConfig } from '../../miniprogram/config/types'
import type * as I18nModule from '../../miniprogram/i18n/index'
import type * as CodesModule from '../../miniprogram/services/codes'
import type * as DeviceModule from '../../miniprogram/services/device'
import type * as EiamModule from '../../miniprogram/services/eiam'
import type * as ErrorsModule from '../../miniprogram/services/errors'
import type * as FeedbackModule from '../../miniprogram/services/feedback'
import type * as FlowModule from '../../miniprogram/services/flow'
import type * as FlowStoreModule from '../../miniprogram/services/flow-store'
import type * as LoginModule from '../../miniprogram/services/login'
import type * as RouterModule from '../../miniprogram/services/router'
import type * as HttpModule from '../../miniprogram/services/http'
import type * as SessionModule from '../../miniprogram/services/session'
import type * as StorageModule from '../../miniprogram/services/storage'
import type { OneAccessModule } from '../../miniprogram/services/subpackages'
import type * as SubpackagesModule from './subpackages'
import { DEVELOP_ORIGIN, fakeDateOnly, type SandboxContext, type SeededName } from './sandbox'
import {
  createWx,
  installWx,
  readEncrypted,
  type StoredItem,
  type WxNodeOptions,
  type WxNodeState,
} from './wx-node'

// ---- the app's clock ---------------------------------------------------------------------------------------------

let appClockSet = false

/**
 * Sets the app's clock (`Date`, what the services read for expiries) to `epochMs`, with jest's fake timers faking
 * `Date` only; the sandbox keeps its own clock. Undone after the test.
 */
export function setAppClock(epochMs: number): void {
  fakeDateOnly(epochMs)
  appClockSet = true
}

// ---- the app ------------------------------------------------------------------------------------------------

export interface Services {
  config: typeof ConfigModule
  tenants: typeof TenantModule
  i18n: typeof I18nModule
  storage: typeof StorageModule
  device: typeof DeviceModule
  errors: typeof ErrorsModule
  http: typeof HttpModule
  eiam: typeof EiamModule
  /** the flow layer as one: login, the flow record and draft store, the router and the state machine */
  flow: typeof FlowModule & typeof FlowStoreModule & typeof LoginModule & typeof RouterModule
  session: typeof SessionModule
  codes: typeof CodesModule
  feedback: typeof FeedbackModule
  /** services/subpackages.ts as jest maps it (test/support/subpackages.ts): `oneAccessLoads()` counts this app's loads */
  subpackages: typeof SubpackagesModule
  /** the `oneaccess` subpackage's module, as the app loads it */
  oneAccessApi(): Promise<OneAccessModule>
}

export type EiamError = InstanceType<typeof ErrorsModule.EiamError>

export interface AppOptions extends WxNodeOptions {
  /** Start from a copy of these storage entries (another app's `state.storage`): a reopened mini program. */
  storage?: Map<string, StoredItem>
  /** Seed the plain `eiam.fingerprint` entry, so the test knows the WeChat identity the sandbox sees. */
  fingerprint?: string
  /**
   * Values of the develop tenant config (config/tenant.ts) for THIS app only: written into its own module copy of
   * `TENANTS.develop`, e.g. `{ captchaEncryption: 'aes' }`. Other apps and the source tree are untouched.
   */
  tenant?: Partial<TenantConfig>
}

export interface App {
  wx: WechatMiniprogram.Wx
  state: WxNodeState
  services: Services
  /** The fingerprint the app sends (made by the app on its first call unless seeded). */
  fingerprint(): string | undefined
  /** A new app with a copy of this app's storage and fresh modules; `options` add to the ones this app had. */
  restart(options?: AppOptions): App
  solveCaptcha(sender: string): Promise<string>
  sendCode(purpose: EiamModule.CodePurpose, channel: EiamModule.Channel, target: string): Promise<string>
  failure(promise: Promise<unknown>): Promise<EiamError>
}

export type SandboxHandle = Pick<Sandbox, 'url' | 'captchaAnswer' | 'lastCode'>

function loadServices(): Services {
  let services: Services | undefined
  jest.isolateModules(() => {
    // `require` inside the isolated registry: each app gets its own module copies (an `import` would bind once, to
    // this file's copy). Literal paths, so that jest's dependency graph sees which tests reach which services (the
    // mutation run picks the tests of a changed file by that graph).
    /* eslint-disable @typescript-eslint/no-require-imports -- see above */
    services = {
      config: require('../../miniprogram/config/index'),
      tenants: require('../../miniprogram/config/tenant'),
      i18n: require('../../miniprogram/i18n/index'),
      storage: require('../../miniprogram/services/storage'),
      device: require('../../miniprogram/services/device'),
      errors: require('../../miniprogram/services/errors'),
      http: require('../../miniprogram/services/http'),
      eiam: require('../../miniprogram/services/eiam'),
      flow: {
        ...(require('../../miniprogram/services/login') as typeof LoginModule),
        ...(require('../../miniprogram/services/flow-store') as typeof FlowStoreModule),
        ...(require('../../miniprogram/services/router') as typeof RouterModule),
        ...(require('../../miniprogram/services/flow') as typeof FlowModule),
      },
      session: require('../../miniprogram/services/session'),
      codes: require('../../miniprogram/services/codes'),
      feedback: require('../../miniprogram/services/feedback'),
      // the module jest maps services/subpackages.ts to: the same copy the app's services use
      subpackages: require('./subpackages'),
      oneAccessApi: () => (services as Services).subpackages.loadOneAccess(),
    }
    /* eslint-enable @typescript-eslint/no-require-imports */
  })
  if (!services) throw new Error('loading the services failed')
  return services
}

/** Per test: wx installs to undo, apps to read secrets from, errors to audit. */
const uninstalls: Array<() => void> = []
const appsOfTest: App[] = []
const errorsOfTest: EiamError[] = []
let auditedErrors = 0

export function startApp(sandbox: SandboxHandle, options: AppOptions = {}): App {
  const { storage, fingerprint, tenant, ...wxOptions } = options
  const { wx, state } = createWx({ rewriteOrigin: { from: DEVELOP_ORIGIN, to: sandbox.url }, ...wxOptions })
  if (storage) for (const [key, item] of storage) state.storage.set(key, structuredClone(item))
  if (fingerprint !== undefined)
    state.storage.set('eiam.fingerprint', { value: fingerprint, encrypted: false })
  uninstalls.push(installWx(wx))
  const services = loadServices()
  if (tenant) Object.assign(services.tenants.TENANTS.develop, tenant)
  const { eiam, codes, errors } = services

  const app: App = {
    wx,
    state,
    services,
    fingerprint: () => {
      const item = state.storage.get('eiam.fingerprint')
      return typeof item?.value === 'string' ? item.value : undefined
    },
    restart: (more = {}) => startApp(sandbox, { ...wxOptions, tenant, ...more, storage: state.storage }),
    async solveCaptcha(sender) {
      const puzzle = await eiam.fetchCaptcha()
      const x = sandbox.captchaAnswer(puzzle.token)
      if (x === undefined) throw new Error(`the sandbox knows no live puzzle ${puzzle.token}`)
      return eiam.verifyCaptcha(puzzle, x, sender)
    },
    async sendCode(purpose, channel, target) {
      const captchaToken = await app.solveCaptcha(target)
      await codes.sendVerificationCode(purpose, channel, target, captchaToken)
      const code = sandbox.lastCode(target)
      if (code === undefined) throw new Error(`the sandbox sent no code to ${target}`)
      return code
    },
    async failure(promise) {
      let outcome: unknown
      try {
        await promise
      } catch (error) {
        outcome = error
      }
      if (outcome === undefined) throw new Error('expected the call to fail, it succeeded')
      if (!(outcome instanceof errors.EiamError)) {
        throw new Error(
          `expected an EiamError, got ${outcome instanceof Error ? outcome.stack : String(outcome)}`,
        )
      }
      errorsOfTest.push(outcome)
      return outcome
    },
  }
  appsOfTest.push(app)
  return app
}

let identities = 0

/**
 * A new app with a WeChat identity of its own (a seeded fingerprint, so the test knows what the sandbox sees),
 * linked to a seeded user when `linkedTo` names one: its logins then answer that user's policy.
 */
export function appOn(context: SandboxContext, linkedTo?: SeededName): App {
  identities += 1
  const fingerprint = `fp-app-${identities}`
  if (linkedTo) context.sandbox.linkIdentity(fingerprint, linkedTo)
  return startApp(context.sandbox, { fingerprint })
}

/** `appOn`, signed in: its login answered and its flow stored (`flow.signIn()`), as a page would leave it. */
export async function signedInOn(context: SandboxContext, linkedTo?: SeededName): Promise<App> {
  const app = appOn(context, linkedTo)
  await app.services.flow.signIn()
  return app
}

/** The bind page's draft of a mainland `mobile` typed on the mobile tab. */
export const mobileDraft = (mobile: string): FlowStoreModule.Draft => ({
  tab: 'mobile',
  areaCode: '+86',
  mobile,
  email: '',
})

/** A value the services wrote with `encrypt: true` (JSON text), read the way only they can; fails if stored plain. */
export function secureValue<T>(app: App, key: string): T | undefined {
  return readEncrypted<T>(app.state, key)
}

// ---- the token audit ------------------------------------------------------------------------------------------

const SECRET_FIELDS = ['state_token', 'session_token', 'id_token', 'captcha_token', 'code', 'verify_code']
const SECRET_HEADERS = ['x-state-token', 'x-session-token', 'x-signature']

function secretsIn(value: unknown, into: Set<string>): void {
  if (typeof value !== 'object' || value === null) return
  for (const [key, field] of Object.entries(value)) {
    if (SECRET_FIELDS.includes(key) && typeof field === 'string' && field.length >= 6) into.add(field)
  }
}

/** Every credential the apps of this test sent or received: tokens, captcha tokens, wx.login and verify codes. */
export function secretsOfTest(): Set<string> {
  const secrets = new Set<string>()
  for (const app of appsOfTest) {
    for (const request of app.state.requests) {
      for (const name of SECRET_HEADERS) if (request.headers[name]) secrets.add(request.headers[name])
      secretsIn(request.json, secrets)
      if (request.responseText) {
        try {
          secretsIn(JSON.parse(request.responseText), secrets)
        } catch {
          // not JSON: nothing to collect
        }
      }
    }
  }
  return secrets
}

/** How many provoked errors the audit has checked so far in this file. */
export const auditedErrorCount = () => auditedErrors

if (typeof afterEach === 'function') {
  afterEach(() => {
    try {
      const secrets = secretsOfTest()
      for (const error of errorsOfTest) {
        const text = `${error.name} ${error.kind} ${error.code ?? ''} ${error.message}`
        for (const secret of secrets) {
          if (text.includes(secret)) {
            throw new Error(`an EiamError message carries a credential: "${error.message}"`)
          }
        }
        auditedErrors += 1
      }
    } finally {
      errorsOfTest.length = 0
      appsOfTest.length = 0
      while (uninstalls.length) uninstalls.pop()?.()
      if (appClockSet) {
        jest.useRealTimers()
        appClockSet = false
      }
    }
  })
}
