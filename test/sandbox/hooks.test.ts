import { MALFORMED_BODY } from '../../sandbox'
import { EIAM_PATHS } from '../../miniprogram/services/eiam'
import { Device, errorOf, stringField, useContractSandbox } from './support'
import { REGIONS } from '../support/sandbox'

describe('test hooks when they are off (the default)', () => {
  const context = useContractSandbox()

  test.each([
    ['GET', '/__sandbox/outbox'],
    ['GET', '/__sandbox/captcha/abc'],
    ['GET', '/__sandbox/jwks'],
    ['POST', '/__sandbox/faults'],
    ['POST', '/__sandbox/reset'],
  ])('%s %s answers 404', async (method, path) => {
    const response = await fetch(`${context.sandbox.url}${path}`, {
      method,
      headers: { 'content-type': 'application/json' },
      body: method === 'POST' ? JSON.stringify({ path: EIAM_PATHS.login }) : undefined,
    })
    expect(response.status).toBe(404)
  })

  test('the programmatic API still works for tests that hold the sandbox', async () => {
    context.sandbox.fault({ path: EIAM_PATHS.countryCodes, status: 503 })
    expect((await new Device(context.sandbox).get(EIAM_PATHS.countryCodes)).status).toBe(503)
  })
})

describe('test hooks when they are on', () => {
  const context = useContractSandbox({ hooks: true })
  const hook = (path: string, body?: unknown) =>
    fetch(`${context.sandbox.url}/__sandbox/${path}`, {
      method: body === undefined ? 'GET' : 'POST',
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    })

  test('GET /__sandbox/outbox lists every code sent', async () => {
    const device = new Device(context.sandbox)
    const code = await device.sendCode('email', 'Zhangsan@example.com', 'BIND_EMAIL_EMS')
    const response = await hook('outbox')
    expect(await response.json()).toEqual([
      {
        channel: 'email',
        target: 'Zhangsan@example.com',
        type: 'BIND_EMAIL_EMS',
        code,
        at: context.clock.now(),
      },
    ])
  })

  test('GET /__sandbox/captcha/{token} answers the x of a live puzzle, and 404 once it is spent', async () => {
    const device = new Device(context.sandbox)
    const token = stringField(await device.get(EIAM_PATHS.captcha), 'token')
    const response = await hook(`captcha/${token}`)
    const { x } = (await response.json()) as { x: number }
    expect(x).toBe(context.sandbox.captchaAnswer(token))
    await device.post(EIAM_PATHS.captchaVerify, {
      point_json: JSON.stringify({ x, y: 5 }),
      token,
      sender: '13800138000',
    })
    expect((await hook(`captcha/${token}`)).status).toBe(404)
  })

  test('a fault with a status and a body answers them for the next call only', async () => {
    const device = new Device(context.sandbox)
    expect(
      (
        await hook('faults', {
          path: EIAM_PATHS.login,
          status: 500,
          body: { error_code: 'X', error_msg: 'boom' },
        })
      ).status,
    ).toBe(200)
    const faulted = await device.login()
    expect(faulted.status).toBe(500)
    expect(faulted.json).toEqual({ error_code: 'X', error_msg: 'boom' })
    expect((await device.login()).status).toBe(200)
  })

  test('a fault with times applies to that many calls, whatever their headers', async () => {
    context.sandbox.fault({ path: EIAM_PATHS.countryCodes, times: 2, status: 502 })
    const device = new Device(context.sandbox)
    expect((await device.get(EIAM_PATHS.countryCodes, { omit: ['X-agent'] })).status).toBe(502)
    expect((await device.get(EIAM_PATHS.countryCodes)).status).toBe(502)
    expect((await device.get(EIAM_PATHS.countryCodes)).status).toBe(200)
  })

  test('a fault applies to its exact path only', async () => {
    context.sandbox.fault({ path: EIAM_PATHS.smsSend, status: 503 })
    const device = new Device(context.sandbox)
    expect((await device.post(EIAM_PATHS.emailSend, {})).status).toBe(400)
    expect((await device.post(EIAM_PATHS.smsSend, {})).status).toBe(503)
  })

  test('a delay fault waits, then answers normally', async () => {
    context.sandbox.fault({ path: EIAM_PATHS.countryCodes, delayMs: 150 })
    const started = performance.now()
    const reply = await new Device(context.sandbox).get(EIAM_PATHS.countryCodes)
    expect(performance.now() - started).toBeGreaterThanOrEqual(140)
    expect(reply.json.preferredAreaCode).toBe('+86')
  })

  test('a malformed fault answers 200 with a cut-off non-JSON body', async () => {
    await hook('faults', { path: EIAM_PATHS.login, malformed: true })
    const reply = await new Device(context.sandbox).login()
    expect(reply.status).toBe(200)
    expect(reply.text).toBe(MALFORMED_BODY)
    expect(() => JSON.parse(reply.text) as unknown).toThrow()
  })

  test('a drop fault closes the connection without an answer, and is recorded with status 0', async () => {
    await hook('faults', { path: EIAM_PATHS.login, drop: true })
    await expect(new Device(context.sandbox).login()).rejects.toThrow()
    expect(context.sandbox.requests().map(({ path, status }) => ({ path, status }))).toEqual([
      { path: EIAM_PATHS.login, status: 0 },
    ])
    expect((await new Device(context.sandbox).login()).status).toBe(200)
  })

  test('an invalid fault is refused with COMMON.1001 or 1002 naming the field', async () => {
    const missingPath = await hook('faults', { status: 500 })
    expect(await missingPath.json()).toEqual({
      error_code: 'IDAAS.SDK.COMMON.1001',
      error_msg: 'Parameter path cannot be left blank',
    })
    const badTimes = await hook('faults', { path: EIAM_PATHS.login, times: 0 })
    expect(((await badTimes.json()) as { error_msg: string }).error_msg).toBe(
      'Parameter times format is incorrect',
    )
    expect(() => context.sandbox.fault({ path: 'no-slash' })).toThrow('Parameter path format is incorrect')
  })

  test('POST /__sandbox/reset forgets links, codes, faults and the request log', async () => {
    const device = new Device(context.sandbox)
    context.sandbox.linkIdentity(device.fingerprint, 'zhangsan')
    await device.sendCode('sms', '13800138000', 'BIND_MOBILE_SMS')
    context.sandbox.fault({ path: EIAM_PATHS.countryCodes, status: 500 })
    expect((await hook('reset', {})).status).toBe(200)
    expect(context.sandbox.outbox()).toEqual([])
    expect(context.sandbox.lastCode('13800138000')).toBeUndefined()
    expect(context.sandbox.requests()).toEqual([])
    expect((await device.get(EIAM_PATHS.countryCodes)).status).toBe(200)
    expect((await device.login()).json.status).toBe('SOCIAL_BIND')
    // the resend interval is forgotten too
    await expect(device.sendCode('sms', '13800138000', 'BIND_MOBILE_SMS')).resolves.toMatch(/^\d{6}$/)
  })

  test('hook calls are not recorded among the requests', async () => {
    await hook('outbox')
    await new Device(context.sandbox).get(EIAM_PATHS.countryCodes)
    expect(context.sandbox.requests().map(({ path }) => path)).toEqual([EIAM_PATHS.countryCodes])
  })

  test('hooks need no EIAM headers but keep the 405 rule', async () => {
    expect((await fetch(`${context.sandbox.url}/__sandbox/reset`)).status).toBe(405)
    const outbox = await hook('outbox')
    expect(outbox.status).toBe(200)
  })

  test('an unknown hook answers 404', async () => {
    expect(errorOf(await new Device(context.sandbox).get('/__sandbox/nothing')).status).toBe(404)
  })
})

describe('the country codes', () => {
  const context = useContractSandbox()

  test('list +86, +852, +853, +886, +65 and +1 with zh/en names and a mobile pattern each, +86 preferred', async () => {
    const reply = await new Device(context.sandbox).get(EIAM_PATHS.countryCodes)
    const regions = reply.json.phoneAreaCodeDefinitions as Array<Record<string, unknown>>
    expect(regions.map(({ areaCode, countryCode }) => `${String(areaCode)} ${String(countryCode)}`)).toEqual(
      REGIONS,
    )
    for (const region of regions) {
      expect(region.displayMapping).toEqual({ zh: expect.any(String), en: expect.any(String) })
      expect(() => new RegExp(String(region.mobileRegex))).not.toThrow()
    }
    expect(new RegExp(String(regions[0]?.mobileRegex)).test('13800138000')).toBe(true)
    expect(new RegExp(String(regions[1]?.mobileRegex)).test('51234567')).toBe(true)
    expect(reply.json.preferredAreaCode).toBe('+86')
  })
})
