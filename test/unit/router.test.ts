/**
 * services/router.ts on a wx-node `wx`: a route opens its page with the method it names and answers whether WeChat
 * opened it; launch is reopened with or without the manual flag.
 */
import { freshApp, type FreshApp } from '../support/fresh-app'

type Router = typeof import('../../miniprogram/services/router')

let app: FreshApp<Router>

// only these pages exist: navigation anywhere else fails, as WeChat's does for a page not in app.json
const knownPages = ['/pages/launch/index', '/pages/bind/index', '/pages/home/index']

beforeEach(() => {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- a fresh module copy per app
  app = freshApp<Router>(() => require('../../miniprogram/services/router'), { knownPages })
})
afterEach(() => app.uninstall())

describe('navigate(route)', () => {
  test.each([
    ['reLaunch', '/pages/home/index'],
    ['redirectTo', '/pages/bind/index'],
  ] as const)('%s opens %s and answers true', async (method, url) => {
    await expect(app.modules.navigate(app.modules.go(method, url))).resolves.toBe(true)
    expect(app.state.navigation).toEqual([{ method, url }])
  })

  test('a page WeChat refuses to open answers false, so the caller keeps its page usable', async () => {
    await expect(app.modules.navigate(app.modules.go('reLaunch', '/pages/gone/index'))).resolves.toBe(false)
    await expect(app.modules.navigate(app.modules.go('redirectTo', '/pages/gone/index'))).resolves.toBe(false)
    expect(app.state.navigation).toEqual([])
  })

  test('a route that stays goes nowhere and answers false', async () => {
    await expect(app.modules.navigate({ kind: 'stay', notice: 'still unbound' })).resolves.toBe(false)
    expect(app.state.navigation).toEqual([])
  })
})

describe('backToLaunch', () => {
  test.each([
    [true, '/pages/launch/index?manual=1'],
    [false, '/pages/launch/index'],
  ])('manual: %s reopens launch at %s, with no way back', (manual, url) => {
    app.modules.backToLaunch({ manual })
    expect(app.state.navigation).toEqual([{ method: 'reLaunch', url }])
    expect(app.state.stack).toEqual([url])
  })
})
