/**
 * Where credentials go, end to end: the service layer against the sandbox.
 *
 * After a whole journey (sign in → captcha → code → bind → SUCCESS → refresh → sign out) and a sweep of provoked
 * errors, no token — state, session, id, puzzle or captcha token — and no verification code appears in anything the
 * app printed, in any EiamError, or in any request URL; state and session tokens travel only in their headers; tokens
 * rest only in encrypted storage, and sign-out leaves none anywhere. The sandbox spends codes and captcha tokens on
 * first use. (That release and trial talk https only is test/unit/config.test.ts.)
 */
import util from 'node:util'
import { EIAM_PATHS } from '../../miniprogram/services/eiam'
import type { RecordedRequest, StoredItem } from '../support/wx-node'
import { startApp, type App, type EiamError } from '../support/client'
import { errorFault, SEEDED, useSandbox } from '../support/sandbox'

const context = useSandbox()
const ZHANGSAN = SEEDED.zhangsan

/** What the app sent or received that must stay secret, by kind. */
interface Credentials {
  state: Set<string>
  session: Set<string>
  id: Set<string>
  puzzle: Set<string>
  captcha: Set<string>
  code: Set<string>
}

function jsonOf(text: string | undefined): unknown {
  if (!text) return undefined
  try {
    return JSON.parse(text)
  } catch {
    return undefined
  }
}

const stringField = (value: unknown, name: string): string | undefined => {
  if (typeof value !== 'object' || value === null) return undefined
  const field = (value as Record<string, unknown>)[name]
  return typeof field === 'string' && field ? field : undefined
}

/** Every credential in the apps' traffic: headers, bodies and answers. */
function credentialsOf(...apps: App[]): Credentials {
  const found: Credentials = {
    state: new Set(),
    session: new Set(),
    id: new Set(),
    puzzle: new Set(),
    captcha: new Set(),
    code: new Set(),
  }
  const add = (set: Set<string>, value: string | undefined) => {
    if (value) set.add(value)
  }
  for (const request of apps.flatMap((app) => app.state.requests)) {
    const answer = jsonOf(request.responseText)
    add(found.state, request.headers['x-state-token'])
    add(found.state, stringField(answer, 'state_token'))
    add(found.session, request.headers['x-session-token'])
    add(found.session, stringField(answer, 'session_token'))
    add(found.id, stringField(answer, 'id_token'))
    if (request.path === EIAM_PATHS.captcha) add(found.puzzle, stringField(answer, 'token'))
    add(found.captcha, stringField(answer, 'captcha_token'))
    add(found.captcha, stringField(request.json, 'captcha_token'))
    add(found.code, stringField(request.json, 'verify_code'))
  }
  return found
}

/** The credentials a text carries, named by kind, for a readable failure. */
function leaksIn(text: string, found: Credentials, withCodes = true): string[] {
  const leaks: string[] = []
  for (const [kind, values] of Object.entries(found) as Array<[keyof Credentials, Set<string>]>) {
    if (kind === 'code' && !withCodes) continue
    for (const value of values) if (text.includes(value)) leaks.push(`${kind} ${value.slice(0, 12)}…`)
  }
  return leaks
}

/** The string leaves of a stored value; an encrypted entry holds a JSON string, which is opened too. */
function stringLeaves(value: unknown): string[] {
  if (typeof value === 'string') {
    const parsed = jsonOf(value)
    return typeof parsed === 'object' && parsed !== null ? [value, ...stringLeaves(parsed)] : [value]
  }
  if (typeof value === 'object' && value !== null) return Object.values(value).flatMap(stringLeaves)
  return []
}

/** `key: what leaks`, for every storage entry holding a credential (codes included: they are never kept). */
function storageLeaks(storage: Map<string, StoredItem>, found: Credentials, only?: 'plain'): string[] {
  const leaks: string[] = []
  for (const [key, item] of storage) {
    if (only === 'plain' && item.encrypted) continue
    for (const leaf of stringLeaves(item.value)) {
      for (const leak of leaksIn(leaf, found))
        leaks.push(`${key}${item.encrypted ? ' (encrypted)' : ''}: ${leak}`)
    }
  }
  return [...new Set(leaks)]
}

/**
 * What reached WeChat's real-time log (and the funnel): every line is audited for credentials and for the user's phone
 * and email in any written form. The log must have something in it, each line filtered by a support code, or the
 * audit proves nothing.
 */
function realtimeLogLeaks(apps: App[], found: Credentials, personal: string[]): string[] {
  const lines = apps.flatMap((app) => app.state.realtimeLog)
  expect(lines.length).toBeGreaterThan(0)
  for (const line of lines) expect(line.filters).toEqual([expect.stringMatching(/^[0-9A-Z]{4}-[0-9A-Z]{4}$/)])
  const texts = [
    ...lines.map((line) => JSON.stringify(line)),
    ...apps.flatMap((app) => app.state.reportedEvents.map((event) => JSON.stringify(event))),
  ]
  const forms = personal.flatMap((value) => [value, value.replace(/^1(\d{2})(\d{4})(\d{4})$/, '+86-1$1$2$3')])
  return texts.flatMap((text) => [
    ...leaksIn(text, found),
    ...forms
      .filter((value) => text.toLowerCase().includes(value.toLowerCase()))
      .map((value) => `personal ${value}`),
  ])
}

/** Console output of everything the app does while the test runs. */
function captureConsole(): { lines: string[]; restore: () => void } {
  const lines: string[] = []
  const spies = (['log', 'info', 'warn', 'error', 'debug', 'trace'] as const).map((method) =>
    jest.spyOn(console, method).mockImplementation((...args: unknown[]) => {
      lines.push(`${method}: ${util.format(...args)}`)
    }),
  )
  return { lines, restore: () => spies.forEach((spy) => spy.mockRestore()) }
}

afterEach(() => jest.restoreAllMocks())

async function signInToBind(app: App): Promise<void> {
  const { route } = await app.services.flow.signIn()
  expect(route).toEqual({ kind: 'go', method: 'redirectTo', url: '/pages/bind/index' })
}

describe('a whole journey leaves no credential behind', () => {
  test('tokens travel in headers only, rest encrypted while needed, and are gone after sign-out', async () => {
    const output = captureConsole()
    const app = startApp(context.sandbox, { fingerprint: 'fp-security-journey' })
    const { flow, eiam, session } = app.services

    await signInToBind(app)
    const afterLogin = credentialsOf(app)
    expect(afterLogin.state.size).toBe(1)
    expect(app.state.storage.get('eiam.flow')?.encrypted).toBe(true)
    expect(storageLeaks(app.state.storage, afterLogin, 'plain')).toEqual([])

    const code = await app.sendCode('bind', 'mobile', ZHANGSAN.mobile)
    const home = await flow.runStep(
      'bind',
      (stateToken) => eiam.socialBind(stateToken, { mobile: ZHANGSAN.mobile }, code),
      {
        channel: 'mobile',
        value: ZHANGSAN.mobile,
      },
    )
    expect(home).toEqual({ kind: 'go', method: 'reLaunch', url: '/pages/home/index' })
    expect(storageLeaks(app.state.storage, credentialsOf(app), 'plain')).toEqual([])

    const refreshed = await session.refreshSession()
    const found = credentialsOf(app)
    expect(refreshed.sessionToken).not.toBe([...found.session][0])
    // the audit is only as good as what it looks for: every kind was seen
    expect({
      state: found.state.size,
      session: found.session.size,
      id: found.id.size,
      puzzle: found.puzzle.size,
      captcha: found.captcha.size,
      code: found.code.size,
    }).toEqual({ state: 1, session: 2, id: 2, puzzle: 1, captcha: 1, code: 1 })

    // while signed in: every entry that holds a token is encrypted, and the session is there
    for (const [key, item] of app.state.storage) {
      if (stringLeaves(item.value).some((leaf) => leaksIn(leaf, found).length > 0))
        expect([key, item.encrypted]).toEqual([key, true])
    }
    expect(
      storageLeaks(app.state.storage, found).some((leak) => leak.startsWith('eiam.session (encrypted)')),
    ).toBe(true)
    expect(storageLeaks(app.state.storage, found, 'plain')).toEqual([])

    await session.signOut()
    expect(storageLeaks(app.state.storage, found)).toEqual([])
    expect(app.state.storage.get('eiam.fingerprint')).toEqual({
      value: 'fp-security-journey',
      encrypted: false,
    })

    for (const request of app.state.requests) {
      expect(leaksIn(`${request.url} ${request.requestedUrl}`, found)).toEqual([])
    }
    expect(tokenPlaces(app.state.requests, found)).toEqual({
      state: ['x-state-token'],
      session: ['x-session-token'],
    })

    output.restore()
    expect(output.lines.flatMap((line) => leaksIn(line, found))).toEqual([])
    expect(realtimeLogLeaks([app], found, [ZHANGSAN.mobile, ZHANGSAN.email])).toEqual([])
    // one line per step, all of one attempt
    expect(app.state.realtimeLog.map((line) => (line.args[1] as { step: string }).step)).toEqual([
      'login/wechat-miniprogram',
      'captcha',
      'captcha/verify',
      'sms/send',
      'social/bind',
      'sso/session-token/id-token',
    ])
  })
})

/** Where each state and session token was seen in the requests: only ever their own header. */
function tokenPlaces(
  requests: RecordedRequest[],
  found: Credentials,
): { state: string[]; session: string[] } {
  const places = (tokens: Set<string>) => {
    const seen = new Set<string>()
    for (const request of requests) {
      for (const token of tokens) {
        for (const [name, value] of Object.entries(request.headers)) if (value.includes(token)) seen.add(name)
        if (request.body?.includes(token)) seen.add('body')
        if (request.url.includes(token)) seen.add('url')
      }
    }
    return [...seen].sort()
  }
  return { state: places(found.state), session: places(found.session) }
}

describe('errors never carry a credential', () => {
  test('a sweep of provoked errors, with tokens in play, names none of them', async () => {
    const output = captureConsole()
    const errors: Array<{ what: string; error: EiamError }> = []
    const apps: App[] = []
    let current = startApp(context.sandbox, { fingerprint: 'fp-security-sweep' })
    apps.push(current)
    const provoke = async (what: string, call: (services: App['services']) => Promise<unknown>) => {
      errors.push({ what, error: await current.failure(call(current.services)) })
    }
    /** One app is live at a time: a restart keeps the storage (the same identity) with fresh modules. */
    const switchTo = (app: App) => {
      current = app
      apps.push(app)
    }
    const mobile = { mobile: ZHANGSAN.mobile }

    const answer = await current.services.flow.login()
    const stateToken = answer.status === 'SOCIAL_BIND' ? (answer.stateToken as string) : ''
    expect(stateToken).not.toBe('')
    const code = await current.sendCode('bind', 'mobile', ZHANGSAN.mobile)
    const wrong = code === '000000' ? '111111' : '000000'
    await provoke('a wrong code', ({ eiam }) => eiam.socialBind(stateToken, mobile, wrong))
    context.sandbox.fault({
      path: EIAM_PATHS.bind,
      status: 400,
      body: {
        error_code: 'IDAAS.SDK.COMMON.1006',
        error_msg: `verify_code parameter error (request ${stateToken})`,
      },
    })
    await provoke('a gateway that echoes the state token', ({ eiam }) =>
      eiam.socialBind(stateToken, mobile, code),
    )
    context.sandbox.fault({ path: EIAM_PATHS.bind, malformed: true })
    await provoke('a malformed answer to a bind', ({ eiam }) => eiam.socialBind(stateToken, mobile, code))
    await provoke('mobile-by-token with a bind-flow token', ({ eiam }) => eiam.mobileByToken(stateToken))

    switchTo(startApp(context.sandbox, { fingerprint: 'fp-security-intruder' }))
    await provoke('the state token on another device', ({ eiam }) =>
      eiam.socialBind(stateToken, mobile, code),
    )

    switchTo(apps[0]?.restart() as App)
    const bound = await current.services.eiam.socialBind(stateToken, mobile, code)
    if (bound.status !== 'SUCCESS') throw new Error(`the bind answered ${bound.status}`)
    await provoke('a spent state token', ({ eiam }) => eiam.socialBind(stateToken, mobile, code))
    const captchaToken = await current.solveCaptcha(SEEDED.lisi.email)
    await provoke('a captcha token for another sender', ({ codes }) =>
      codes.sendVerificationCode('bind', 'email', ZHANGSAN.email, captchaToken),
    )
    const puzzle = await current.services.eiam.fetchCaptcha()
    const x = context.sandbox.captchaAnswer(puzzle.token) as number
    await provoke('a puzzle solved in the wrong place', ({ eiam }) =>
      eiam.verifyCaptcha(puzzle, x > 155 ? x - 60 : x + 60, ZHANGSAN.email),
    )
    await provoke('the same puzzle again', ({ eiam }) => eiam.verifyCaptcha(puzzle, x, ZHANGSAN.email))
    const first = bound.tokens.sessionToken
    const rotated = (await current.services.eiam.refreshIdToken(first)).sessionToken
    await provoke('a rotated-out session token', ({ eiam }) => eiam.refreshIdToken(first))
    context.sandbox.fault({
      path: EIAM_PATHS.refresh,
      status: 400,
      body: { error_code: 'IDAAS.SDK.PARAM.0023', error_msg: `Invalid session token ${rotated}` },
    })
    await provoke('a gateway that echoes the session token', ({ eiam }) => eiam.refreshIdToken(rotated))
    context.sandbox.fault({ path: EIAM_PATHS.refresh, status: 500, body: `upstream failed for ${rotated}` })
    await provoke('a 500 in plain text', ({ eiam }) => eiam.refreshIdToken(rotated))
    context.sandbox.fault({ path: EIAM_PATHS.refresh, drop: true })
    await provoke('a dropped connection', ({ eiam }) => eiam.refreshIdToken(rotated))

    switchTo(current.restart({ timeoutMs: 150 }))
    context.sandbox.fault({ path: EIAM_PATHS.refresh, delayMs: 1_000 })
    await provoke('a timeout', ({ eiam }) => eiam.refreshIdToken(rotated))

    switchTo(startApp(context.sandbox, { fingerprint: 'fp-security-late' }))
    const late = await current.services.flow.login()
    const lateToken = late.status === 'SOCIAL_BIND' ? (late.stateToken as string) : ''
    context.clock.advanceS(601)
    await provoke('an expired state token', ({ eiam }) => eiam.socialBind(lateToken, mobile, code))

    const found = credentialsOf(...apps)
    expect({ state: found.state.size, session: found.session.size, captcha: found.captcha.size }).toEqual({
      state: 2,
      session: 2,
      captcha: 2,
    })
    expect(errors.map(({ what, error }) => `${what}: ${error.kind}`)).toEqual([
      'a wrong code: rejected',
      'a gateway that echoes the state token: rejected',
      'a malformed answer to a bind: server',
      'mobile-by-token with a bind-flow token: state-token',
      'the state token on another device: state-token',
      'a spent state token: state-token',
      'a captcha token for another sender: captcha',
      'a puzzle solved in the wrong place: captcha',
      'the same puzzle again: captcha',
      'a rotated-out session token: session',
      'a gateway that echoes the session token: session',
      'a 500 in plain text: server',
      'a dropped connection: network',
      'a timeout: timeout',
      'an expired state token: state-token',
    ])
    // an echoed credential is masked, the rest of the server's words kept
    expect(errors[1]?.error.message).toBe('verify_code parameter error (request ***)')
    expect(errors[10]?.error.message).toBe('Invalid session token ***')
    const leaks = errors.flatMap(({ what, error }) =>
      leaksIn(
        `${error.name} ${error.kind} ${error.code ?? ''} ${error.message} ${String(error.stack)}`,
        found,
      ).map((leak) => `${what}: ${leak}`),
    )
    expect(leaks).toEqual([])
    for (const app of apps) expect(storageLeaks(app.state.storage, found, 'plain')).toEqual([])
    output.restore()
    expect(output.lines.flatMap((line) => leaksIn(line, found))).toEqual([])
    const personal = [ZHANGSAN.mobile, ZHANGSAN.email, SEEDED.lisi.email]
    expect(realtimeLogLeaks(apps, found, personal)).toEqual([])
    // every provoked error is a line of its own, with its kind
    const failures = apps.flatMap((app) =>
      app.state.realtimeLog
        .filter((line) => line.level === 'warn')
        .map((line) => line.args[1] as { kind: string }),
    )
    expect(failures.map((line) => line.kind)).toEqual(errors.map(({ error }) => error.kind))
  })
})

describe('a server that echoes what it was sent', () => {
  test('gets a 6-digit code masked in its message, the rest of its words kept', async () => {
    const app = startApp(context.sandbox, { fingerprint: 'fp-security-echo' })
    const answer = await app.services.flow.login()
    const stateToken = answer.status === 'SOCIAL_BIND' ? answer.stateToken : ''
    const code = '246810'
    context.sandbox.fault({
      path: EIAM_PATHS.bind,
      status: 400,
      body: { error_code: 'IDAAS.SDK.COMMON.1006', error_msg: `verify_code ${code} is not valid` },
    })

    const error = await app.failure(
      app.services.eiam.socialBind(stateToken, { mobile: ZHANGSAN.mobile }, code),
    )

    expect(error.message).toBe('verify_code *** is not valid')
  })
})

describe('the sandbox spends credentials on first use', () => {
  test('a code that bound one WeChat identity cannot bind another', async () => {
    const first = startApp(context.sandbox, { fingerprint: 'fp-security-first' })
    await signInToBind(first)
    const code = await first.sendCode('bind', 'mobile', ZHANGSAN.mobile)
    const bound = await first.services.flow.runStep('bind', (stateToken) =>
      first.services.eiam.socialBind(stateToken, { mobile: ZHANGSAN.mobile }, code),
    )
    expect(bound).toMatchObject({ url: '/pages/home/index' })

    const second = startApp(context.sandbox, { fingerprint: 'fp-security-second' })
    const answer = await second.services.flow.login()
    expect(answer.status).toBe('SOCIAL_BIND')
    const error = await second.failure(
      second.services.eiam.socialBind(
        answer.status === 'SOCIAL_BIND' ? (answer.stateToken as string) : '',
        { mobile: ZHANGSAN.mobile },
        code,
      ),
    )
    expect({ kind: error.kind, code: error.code }).toEqual({ kind: 'rejected', code: 'SDK.COMMON.1006' })
    expect((await second.services.flow.login()).status).toBe('SOCIAL_BIND')
  })

  test('a captcha token sends one code: used again once the resend interval allows, it is refused', async () => {
    const app = startApp(context.sandbox, { fingerprint: 'fp-security-captcha' })
    const captchaToken = await app.solveCaptcha(ZHANGSAN.mobile)
    await app.services.codes.sendVerificationCode('bind', 'mobile', ZHANGSAN.mobile, captchaToken)
    context.clock.advanceS(61)

    const error = await app.failure(
      app.services.eiam.sendCode('mobile', ZHANGSAN.mobile, 'BIND_MOBILE_SMS', captchaToken),
    )

    expect({ kind: error.kind, code: error.code }).toEqual({ kind: 'captcha', code: 'SDK.CAPTCHA.0004' })
    expect(context.sandbox.outbox()).toHaveLength(1)
  })
})

describe('a password goes into its own request and nowhere else', () => {
  /** Every place a text holding `secret` was seen: storage entries (encrypted too), requests by path and part. */
  function placesOf(app: App, secret: string): string[] {
    const places = new Set<string>()
    for (const [key, item] of app.state.storage) {
      if (stringLeaves(item.value).some((leaf) => leaf.includes(secret))) places.add(`storage ${key}`)
    }
    for (const request of app.state.requests) {
      const at = request.path.replace('/api/v2/sdk/', '')
      if (`${request.url} ${request.requestedUrl}`.includes(secret)) places.add(`url ${at}`)
      if (Object.values(request.headers).some((value) => value.includes(secret))) places.add(`header ${at}`)
      if (request.body?.includes(secret)) places.add(`body ${at}`)
    }
    return [...places].sort()
  }

  test('binding, a wrong password, an echoing gateway, an expired password changed: only the bind and update bodies carry one', async () => {
    const output = captureConsole()
    const app = startApp(context.sandbox, { fingerprint: 'fp-security-password' })
    const { flow } = app.services
    const zhaoliu = SEEDED.zhaoliu
    const wrong = 'Wrong#Pass1'
    const changed = 'Changed#2027'
    await signInToBind(app)

    const refused = await app.failure(flow.linkWithPassword('zhaoliu', wrong))
    expect(refused.message).toBe('password 参数错误')
    context.sandbox.fault({
      path: EIAM_PATHS.passwordBind,
      status: 400,
      body: { error_code: 'IDAAS.SDK.COMMON.1006', error_msg: `password ${wrong} is wrong` },
    })
    const echoed = await app.failure(flow.linkWithPassword('zhaoliu', wrong))
    expect(echoed.message).toBe('password *** is wrong')
    context.sandbox.fault(
      errorFault(EIAM_PATHS.passwordBind, 'IDAAS.SDK.COMMON.1006', 'password "Q9!" refused'),
    )
    // a password shorter than any token is masked too
    const short = await app.failure(flow.linkWithPassword('zhaoliu', 'Q9!'))
    expect(short.message).toBe('password "***" refused')

    expect(await flow.linkWithPassword('ZhaoLiu', zhaoliu.password)).toEqual({
      kind: 'go',
      method: 'redirectTo',
      url: '/pages/password/index',
    })
    expect((await flow.openFlow())?.passwordMode).toBe('forced')
    const wrongOld = await app.failure(flow.changePassword(wrong, changed))
    expect(wrongOld.message).toBe('old_password 参数错误')
    expect(await flow.changePassword(zhaoliu.password, changed)).toMatchObject({ url: '/pages/home/index' })

    expect({
      wrong: placesOf(app, wrong),
      seeded: placesOf(app, zhaoliu.password),
      changed: placesOf(app, changed),
      short: placesOf(app, 'Q9!'),
    }).toEqual({
      wrong: ['body pwd/update', 'body social/username-password-bind'],
      seeded: ['body pwd/update', 'body social/username-password-bind'],
      changed: ['body pwd/update'],
      short: ['body social/username-password-bind'],
    })
    output.restore()
    expect(
      output.lines.filter((line) => [wrong, zhaoliu.password, changed].some((s) => line.includes(s))),
    ).toEqual([])
  })
})
