/**
 * The OneAccess dialect through the service layer against the sandbox in that dialect: every signed request carries a
 * signature the sandbox accepts, sign-out kills the session on the server, refresh keeps the session token, and the
 * BambooCloud dialect never downloads the `oneaccess` subpackage.
 */
import { ONEACCESS_ENDPOINT_PATHS as PATHS } from '../../sandbox'
import { EIAM_PATHS } from '../../miniprogram/services/eiam'
import type { StoredSession } from '../../miniprogram/services/session'
import { secureValue, startApp, type App, type AppOptions } from '../support/client'
import { errorFault, useSandbox } from '../support/sandbox'

const oneAccess = useSandbox({ dialect: 'oneaccess' })

let apps = 0

/** An app of a OneAccess tenant (ISV tenant id set), its WeChat linked to zhangsan, signed in. */
async function signedIn(tenant: NonNullable<AppOptions['tenant']> = {}): Promise<App> {
  apps += 1
  const fingerprint = `fp-oneaccess-${apps}`
  oneAccess.sandbox.linkIdentity(fingerprint, 'zhangsan')
  const app = startApp(oneAccess.sandbox, {
    fingerprint,
    tenant: { dialect: 'oneaccess', tenantId: 'isv-tenant-7', ...tenant },
  })
  expect(await app.services.flow.signIn()).toMatchObject({ route: { url: '/pages/home/index' } })
  return app
}

const session = (app: App) => secureValue<StoredSession>(app, 'eiam.session') as StoredSession
const statuses = (app: App, path: string) => app.state.requestsTo(path).map((request) => request.statusCode)

describe('signing out of a OneAccess tenant', () => {
  test('ends the session on the server with one signed logout, then wipes everything local', async () => {
    const app = await signedIn()
    const { sessionToken } = session(app)
    await app.services.session.signOut()

    expect(statuses(app, PATHS.logout)).toEqual([200])
    const [logout] = app.state.requestsTo(PATHS.logout)
    expect(logout.headers['x-signature']).toMatch(/^[A-Za-z0-9+/]+={0,2}$/)
    expect(logout.headers['x-session-token']).toBe(sessionToken)
    expect(app.state.storage.has('eiam.session')).toBe(false)
    expect(app.state.storage.has('eiam.signOutNotice')).toBe(false)
    // the copied token is dead: the server refuses it as an invalid session
    const copied = startApp(oneAccess.sandbox, { fingerprint: 'fp-thief', tenant: { dialect: 'oneaccess' } })
    const refused = await copied.failure(
      copied.services.oneAccessApi().then((api) => api.refreshIdToken(sessionToken)),
    )
    expect(refused).toMatchObject({ kind: 'session', code: 'SDK.PARAM.0023' })
  })

  test('wipes everything local when the logout fails too, and leaves launch the date the session ends', async () => {
    const app = await signedIn()
    const { sessionExpiresAt } = session(app)
    oneAccess.sandbox.fault({
      path: PATHS.logout,
      times: 1,
      status: 500,
      body: { error_code: 'SDK.COMMON.1008' },
    })
    await app.services.session.signOut()

    expect(statuses(app, PATHS.logout)).toEqual([500])
    expect(app.state.storage.has('eiam.session')).toBe(false)
    expect(app.services.session.signOutNotice()).toBe(sessionExpiresAt)
  })

  test('a session the server already ended needs no notice', async () => {
    const app = await signedIn()
    oneAccess.sandbox.fault(
      errorFault(PATHS.logout, 'IDAAS.SDK.PARAM.0023', 'Invalid or expired session token', { times: 1 }),
    )
    await app.services.session.signOut()
    expect(app.services.session.signOutNotice()).toBeUndefined()
  })
})

describe('every call of a OneAccess tenant', () => {
  test('carries X-tenant-id, and each signed call a signature the sandbox accepted', async () => {
    const app = await signedIn()
    await app.services.session.refreshSession()
    const api = await app.services.oneAccessApi()
    const accounts = await api.socialAccounts(session(app).sessionToken)
    expect(accounts).toEqual([
      {
        id: expect.any(String),
        type: 'WECHAT_MINIPROGRAM',
        name: expect.stringMatching(/^WeChat /),
        boundAt: expect.any(Number),
      },
    ])
    await app.services.session.signOut()

    expect(app.state.requests.length).toBeGreaterThanOrEqual(6)
    for (const request of app.state.requests) expect(request.headers['x-tenant-id']).toBe('isv-tenant-7')
    const signed = app.state.requests.filter((request) => request.headers['x-signature'])
    expect(signed.map((request) => request.path)).toEqual([PATHS.refresh, PATHS.social, PATHS.logout])
    expect(signed.map((request) => request.statusCode)).toEqual([200, 200, 200])
    // the key and the server clock are read once per app run
    expect(app.state.requestsTo(PATHS.publicKey)).toHaveLength(1)
    expect(app.state.requestsTo(PATHS.serverDate)).toHaveLength(1)
  })

  test('the signature follows the server clock, not the phone clock', async () => {
    const app = await signedIn()
    oneAccess.clock.advanceS(3600)
    await expect(app.services.session.refreshSession()).resolves.toMatchObject({
      idToken: expect.any(String),
    })
    expect(statuses(app, PATHS.refresh)).toEqual([200])
  })

  test('a refused signature is made once more with a fresh key and clock', async () => {
    const app = await signedIn()
    await app.services.session.refreshSession()
    oneAccess.sandbox.fault(
      errorFault(PATHS.refresh, 'IDAAS.SDK.COMMON.1004', 'Signature decryption error', { times: 1 }),
    )
    await app.services.session.refreshSession()
    expect(statuses(app, PATHS.refresh)).toEqual([200, 400, 200])
    expect(app.state.requestsTo(PATHS.publicKey)).toHaveLength(2)
  })
})

describe('signaturePadding', () => {
  const oaep = useSandbox({ dialect: 'oneaccess', signaturePadding: 'oaep' })

  function appOfOaepTenant(signaturePadding: 'pkcs1' | 'oaep'): App {
    apps += 1
    const fingerprint = `fp-oaep-${apps}`
    oaep.sandbox.linkIdentity(fingerprint, 'zhangsan')
    return startApp(oaep.sandbox, { fingerprint, tenant: { dialect: 'oneaccess', signaturePadding } })
  }

  test('oaep: the signatures reach a tenant that decrypts OAEP', async () => {
    const app = appOfOaepTenant('oaep')
    await app.services.flow.signIn()
    await app.services.session.refreshSession()
    expect(statuses(app, PATHS.refresh)).toEqual([200])
  })

  test('pkcs1 (the default) against a tenant that decrypts OAEP: refused twice, the tenant says why, the session stays', async () => {
    const app = appOfOaepTenant('pkcs1')
    await app.services.flow.signIn()
    const error = await app.failure(app.services.session.refreshSession())
    expect(error).toMatchObject({ code: 'SDK.COMMON.1004', message: '签名解密错误' })
    expect(statuses(app, PATHS.refresh)).toEqual([400, 400])
    expect(app.state.storage.has('eiam.session')).toBe(true)
  })
})

describe('refreshing with a OneAccess tenant', () => {
  test('brings a new id_token and keeps the session token and its expiry as they were', async () => {
    const app = await signedIn()
    const before = session(app)
    oneAccess.clock.advanceS(60)
    const after = await app.services.session.refreshSession()
    expect(after.sessionToken).toBe(before.sessionToken)
    expect(after.sessionExpiresAt).toBe(before.sessionExpiresAt)
    expect(after.idToken).not.toBe(before.idToken)
    expect(session(app)).toEqual(after)
    expect(app.state.requestsTo(EIAM_PATHS.refresh)).toHaveLength(0)
  })

  test('after a logout elsewhere, the refused refresh drops the session', async () => {
    const app = await signedIn()
    const api = await app.services.oneAccessApi()
    await api.logoutSession(session(app).sessionToken)
    const error = await app.failure(app.services.session.refreshSession())
    expect(error).toMatchObject({ kind: 'session', code: 'SDK.PARAM.0023' })
    expect(app.state.storage.has('eiam.session')).toBe(false)
  })
})

describe('a BambooCloud tenant', () => {
  const bamboo = useSandbox()

  test('signs out with no request and leaves launch the date the session ends; it never loads the oneaccess subpackage', async () => {
    bamboo.sandbox.linkIdentity('fp-bamboo', 'zhangsan')
    const app = startApp(bamboo.sandbox, { fingerprint: 'fp-bamboo', tenant: { tenantId: 'isv-tenant-7' } })
    await app.services.flow.signIn()
    await app.services.session.refreshSession()
    const { sessionExpiresAt } = session(app)
    const sent = app.state.requests.length
    await app.services.session.signOut()

    expect(app.state.requests).toHaveLength(sent)
    expect(app.services.session.signOutNotice()).toBe(sessionExpiresAt)
    expect(app.services.subpackages.oneAccessLoads()).toBe(0)
    expect(app.state.requests.every((request) => request.headers['x-tenant-id'] === 'isv-tenant-7')).toBe(
      true,
    )
    expect(app.state.requests.some((request) => request.headers['x-signature'])).toBe(false)
  })
})
