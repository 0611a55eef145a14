/**
 * The tenant variants of docs/eiam-api.md §10 at the service level, each against a sandbox playing it: how the
 * captcha form is learned, a refresh that does not rotate, the second factor's phone, wrong-code codes, code lengths.
 * (The same variants through the real pages: test/pages/variants.test.ts.)
 */
import { createDecipheriv } from 'node:crypto'
import { EIAM_PATHS } from '../../miniprogram/services/eiam'
import { appOn, secureValue, setAppClock, startApp, type App, signedInOn } from '../support/client'
import { realTime, SEEDED, useSandbox, type SandboxContext } from '../support/sandbox'

const aes = useSandbox({ captchaAes: true })
const keyPlain = useSandbox({ captchaAes: 'key-plain' })
const plain = useSandbox()
const noRotation = useSandbox({ rotate: false })
const bareMobile = useSandbox({ mfaMobile: 'bare' })
const vendorCodes = useSandbox({ wrongCode: 'vendor', codeLength: 4 })

const LEARNED_KEY = 'eiam.captchaForm'
const BASE_URL = 'http://127.0.0.1:8787'

const pointJsonsSent = (context: SandboxContext) =>
  context.sandbox
    .requests()
    .filter((request) => request.path === EIAM_PATHS.captchaVerify)
    .map((request) => (request.body as { point_json: string }).point_json)

const isPlain = (pointJson: string) => pointJson.startsWith('{')

/** One puzzle answered at (or `missBy` px off) its answer through the services: passed or the error code. */
async function attempt(app: App, context: SandboxContext, missBy = 0): Promise<'passed' | string> {
  const { eiam } = app.services
  const puzzle = await eiam.fetchCaptcha()
  const x = (context.sandbox.captchaAnswer(puzzle.token) as number) + missBy
  try {
    await eiam.verifyCaptcha(puzzle, x, SEEDED.zhangsan.mobile)
    return 'passed'
  } catch (error) {
    return (error as { code?: string }).code ?? 'unknown'
  }
}

const learned = (app: App) =>
  (app.state.storage.get(LEARNED_KEY)?.value as Record<string, { learned?: string }> | undefined)?.[BASE_URL]
    ?.learned

describe('the captcha form, learned (the default)', () => {
  test('an AES tenant: the plain answer fails, the next puzzle goes encrypted and passes, and that is kept', async () => {
    const app = startApp(aes.sandbox)

    expect(await attempt(app, aes)).toBe('SDK.CAPTCHA.0002')
    expect(await attempt(app, aes)).toBe('passed')
    expect(await attempt(app, aes)).toBe('passed')

    const [first, second, third] = pointJsonsSent(aes)
    expect(isPlain(first as string)).toBe(true)
    expect(isPlain(second as string)).toBe(false)
    expect(isPlain(third as string)).toBe(false)
    expect(learned(app)).toBe('aes')
  })

  test('what an install learned survives a restart: the first puzzle after it goes encrypted', async () => {
    const app = startApp(aes.sandbox)
    await attempt(app, aes)
    await attempt(app, aes)

    const reopened = app.restart()
    expect(await attempt(reopened, aes)).toBe('passed')
    expect(isPlain(pointJsonsSent(aes)[2] as string)).toBe(false)
  })

  test('a key-plain tenant (the vendor example): plain passes at once and is kept, however the next puzzles go', async () => {
    const app = startApp(keyPlain.sandbox)

    expect(await attempt(app, keyPlain)).toBe('passed')
    expect(learned(app)).toBe('plain')
    // a miss after that never flips the form
    expect(await attempt(app, keyPlain, 40)).toBe('SDK.CAPTCHA.0002')
    expect(await attempt(app, keyPlain)).toBe('passed')

    expect(pointJsonsSent(keyPlain).every(isPlain)).toBe(true)
    expect(learned(app)).toBe('plain')
  })

  test('an AES tenant whose user misses first: the forms alternate until one passes, then it stays', async () => {
    const app = startApp(aes.sandbox)

    expect(await attempt(app, aes, 40)).toBe('SDK.CAPTCHA.0002') // plain, and a miss
    expect(await attempt(app, aes, 40)).toBe('SDK.CAPTCHA.0002') // aes, and a miss
    expect(await attempt(app, aes)).toBe('SDK.CAPTCHA.0002') // plain: right place, wrong form
    expect(await attempt(app, aes)).toBe('passed') // aes
    expect(await attempt(app, aes, 40)).toBe('SDK.CAPTCHA.0002') // a miss after learning…
    expect(await attempt(app, aes)).toBe('passed') // …still aes

    expect(pointJsonsSent(aes).map(isPlain)).toEqual([true, false, true, false, false, false])
  })

  test('an expired puzzle teaches nothing: the next one keeps the form', async () => {
    const app = startApp(aes.sandbox)
    const { eiam } = app.services
    const puzzle = await eiam.fetchCaptcha()
    aes.clock.advanceS(121)
    await app.failure(eiam.verifyCaptcha(puzzle, 100, SEEDED.zhangsan.mobile))
    aes.clock.reset()

    expect(await attempt(app, aes)).toBe('SDK.CAPTCHA.0002')
    expect(pointJsonsSent(aes).map(isPlain)).toEqual([true, true])
  })

  test('a puzzle without a key is answered plain and teaches nothing', async () => {
    const app = startApp(plain.sandbox)

    expect(await attempt(app, plain)).toBe('passed')

    expect(app.state.storage.has(LEARNED_KEY)).toBe(false)
  })

  test('the learned form is kept per base URL, in plain storage (it is no secret) that sign-out keeps', async () => {
    const app = startApp(keyPlain.sandbox)
    await attempt(app, keyPlain)
    await app.services.session.signOut()

    const item = app.state.storage.get(LEARNED_KEY)
    expect(item?.encrypted).toBe(false)
    expect(item?.value).toEqual({ [BASE_URL]: { learned: 'plain' } })
  })
})

describe('the captcha form, forced by the tenant option', () => {
  test('plain: never encrypted, however many checks fail', async () => {
    const app = startApp(aes.sandbox, { tenant: { captchaEncryption: 'plain' } })

    expect(await attempt(app, aes)).toBe('SDK.CAPTCHA.0002')
    expect(await attempt(app, aes)).toBe('SDK.CAPTCHA.0002')

    expect(pointJsonsSent(aes).every(isPlain)).toBe(true)
    expect(app.state.storage.has(LEARNED_KEY)).toBe(false)
  })

  test('aes: encrypted from the first puzzle, so an AES tenant costs no extra puzzle', async () => {
    const app = startApp(aes.sandbox, { tenant: { captchaEncryption: 'aes' } })

    expect(await attempt(app, aes)).toBe('passed')

    const sent = pointJsonsSent(aes)[0] as string
    const puzzleKey = (
      JSON.parse(app.state.requestsTo(EIAM_PATHS.captcha)[0]?.responseText ?? '{}') as {
        secretKey: string
      }
    ).secretKey
    const decipher = createDecipheriv('aes-128-ecb', Buffer.from(puzzleKey, 'utf8'), null)
    const text = Buffer.concat([decipher.update(Buffer.from(sent, 'base64')), decipher.final()]).toString()
    expect(text).toMatch(/^\{"x":\d+\.\d,"y":5\.0\}$/)
  })
})

describe('refresh', () => {
  /** zhangsan signed in on `context`, then an hour later a refresh: the session before and the one it answered. */
  async function refreshedAfterAnHour(context: SandboxContext) {
    const app = appOn(context, 'zhangsan')
    const { flow, session } = app.services
    const signedInAt = realTime()
    setAppClock(signedInAt)
    await flow.signIn()
    const before = await session.loadSession()
    setAppClock(signedInAt + 3600 * 1000)
    return { app, before, after: await session.refreshSession() }
  }

  test('without rotation: the same session token comes back and the session keeps the expiry it had', async () => {
    const { app, before, after } = await refreshedAfterAnHour(noRotation)

    expect(after.sessionToken).toBe(before?.sessionToken)
    expect(after.sessionExpiresAt).toBe(before?.sessionExpiresAt)
    expect(after.idToken).not.toBe(before?.idToken)
    expect(secureValue(app, 'eiam.session')).toEqual(after)
  })

  test('with rotation: the new session token brings its own expiry', async () => {
    const { before, after } = await refreshedAfterAnHour(plain)

    expect(after.sessionToken).not.toBe(before?.sessionToken)
    expect(after.sessionExpiresAt).toBe((before?.sessionExpiresAt ?? 0) + 3600 * 1000)
  })
})

describe('the phone of the second factor', () => {
  const mfaToken = async (app: App) => {
    const { route } = await app.services.flow.signIn()
    expect(route).toMatchObject({ url: '/pages/mfa/index' })
    const record = await app.services.flow.currentFlow()
    return record?.stateToken as string
  }

  test.each([
    ['dash', plain],
    ['bare', bareMobile],
  ])(
    'mobile-by-token written %s: the code goes to, and is checked with, 11 bare digits',
    async (_, context) => {
      const app = appOn(context, 'lisi')
      const stateToken = await mfaToken(app)

      const mobile = await app.services.eiam.mobileByToken(stateToken)
      const code = await app.sendCode('mfa', 'mobile', mobile)
      const answer = await app.services.eiam.mfaBySms(stateToken, mobile, code)

      expect(mobile).toBe(SEEDED.lisi.mobile)
      expect(answer.status).toBe('SUCCESS')
      const sent = context.sandbox.requests().filter((request) => request.path !== EIAM_PATHS.mobileByToken)
      const mobiles = sent.map((request) => (request.body as { mobile?: string } | undefined)?.mobile)
      expect(mobiles.filter(Boolean)).toEqual([SEEDED.lisi.mobile, SEEDED.lisi.mobile])
    },
  )
})

describe('a tenant with 4-digit codes and the vendor wrong-code errors', () => {
  test('a wrong SMS code is SDK.SMS.1005 at the code field; the 4-digit code then binds', async () => {
    const app = await signedInOn(vendorCodes)
    const { flow, eiam, feedback } = app.services
    const stateToken = (await flow.currentFlow())?.stateToken as string
    const code = await app.sendCode('bind', 'mobile', SEEDED.zhangsan.mobile)
    expect(code).toMatch(/^\d{4}$/)
    const wrong = code === '0000' ? '1111' : '0000'

    const error = await app.failure(eiam.socialBind(stateToken, { mobile: SEEDED.zhangsan.mobile }, wrong))

    expect([error.kind, error.code]).toEqual(['rejected', 'SDK.SMS.1005'])
    expect(feedback.failurePatch(error, { code: 'errors.mobileCode' })).toEqual({
      'errors.mobileCode': error.message,
    })
    const answer = await eiam.socialBind(stateToken, { mobile: SEEDED.zhangsan.mobile }, code)
    expect(answer.status).toBe('SUCCESS')
  })

  test('a wrong email code is SDK.SMS.1006', async () => {
    const app = await signedInOn(vendorCodes)
    const { flow, eiam } = app.services
    const stateToken = (await flow.currentFlow())?.stateToken as string
    await app.sendCode('bind', 'email', SEEDED.zhangsan.email)

    const error = await app.failure(eiam.socialBind(stateToken, { email: SEEDED.zhangsan.email }, '99999'))

    expect([error.kind, error.code]).toEqual(['rejected', 'SDK.SMS.1006'])
  })
})
