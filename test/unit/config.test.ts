import { TENANTS } from '../../miniprogram/config/tenant'
import { OVERRIDES } from '../../miniprogram/config/overrides'
import * as config from '../../miniprogram/config/index'

describe('the tenant configuration', () => {
  test.each(['trial', 'release'] as const)('the %s build talks to its tenant over https only', (env) => {
    const url = new URL(TENANTS[env].baseUrl)
    expect(url.protocol).toBe('https:')
    expect(TENANTS[env].baseUrl.endsWith('/')).toBe(false)
  })

  test('the develop build talks to the local sandbox of npm start', () => {
    expect(TENANTS.develop.baseUrl).toBe('http://127.0.0.1:8787')
    expect(TENANTS.develop.clientId).toBe('sandbox-client-id')
  })

  test('the source tree carries no build-time overrides', () => {
    expect(OVERRIDES).toEqual({})
  })

  test('every environment names the organisation, its support and both agreement texts in both languages', () => {
    for (const tenant of Object.values(TENANTS)) {
      for (const text of [tenant.name, tenant.supportContact, tenant.agreementText, tenant.privacyText]) {
        expect(text.zh.trim()).not.toBe('')
        expect(text.en.trim()).not.toBe('')
      }
    }
  })
})

describe('which configuration the app reads', () => {
  const original = (global as { wx?: unknown }).wx
  afterEach(() => {
    ;(global as { wx?: unknown }).wx = original
  })

  const withEnv = (envVersion: unknown) => {
    ;(global as { wx?: unknown }).wx = { getAccountInfoSync: () => ({ miniProgram: { envVersion } }) }
    return config
  }

  test.each([
    ['develop', 'http://127.0.0.1:8787'],
    ['trial', TENANTS.trial.baseUrl],
    ['release', TENANTS.release.baseUrl],
  ])('a %s runtime reads its own tenant', (env, baseUrl) => {
    expect(withEnv(env).tenant().baseUrl).toBe(baseUrl)
  })

  test('an unknown runtime is treated as release, the strictest', () => {
    expect(withEnv('something-new').envVersion()).toBe('release')
    ;(global as { wx?: unknown }).wx = {
      getAccountInfoSync: () => {
        throw new Error('not supported')
      },
    }
    expect(config.envVersion()).toBe('release')
  })
})
