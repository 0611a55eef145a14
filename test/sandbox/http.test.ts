import { connect } from 'node:net'
import { startSandbox } from '../../sandbox'
import { EIAM_PATHS } from '../../miniprogram/services/eiam'
import { SandboxClock, withSandbox } from '../support/sandbox'
import { CONTRACT_EPOCH, Device, errorOf, refusal, useContractSandbox } from './support'

describe('the HTTP surface of the sandbox', () => {
  const context = useContractSandbox()
  const device = () => new Device(context.sandbox)

  test('GET / answers 200 health JSON without any EIAM header', async () => {
    const response = await fetch(`${context.sandbox.url}/`)
    expect(response.status).toBe(200)
    expect(await response.json()).toEqual({
      status: 'UP',
      service: 'eiam-sandbox',
      clientId: 'sandbox-client-id',
      mode: 'bind',
    })
  })

  test('an unknown path answers 404 with the error envelope', async () => {
    const reply = await device().get('/api/v2/sdk/nothing-here')
    expect(errorOf(reply)).toEqual(
      refusal('IDAAS.SDK.HTTP.404', 'No such path: /api/v2/sdk/nothing-here', 404),
    )
  })

  test('a known path with the wrong method answers 405 and says which method is allowed', async () => {
    const reply = await device().get(EIAM_PATHS.login)
    expect(reply.status).toBe(405)
    expect(reply.headers.get('allow')).toBe('POST')
    expect(reply.json.error_code).toBe('IDAAS.SDK.HTTP.405')
    const put = await device().call('PUT', EIAM_PATHS.captcha)
    expect(put.status).toBe(405)
    expect(put.headers.get('allow')).toBe('GET')
  })

  // the app's paths (EIAM_PATHS) and the sandbox's route table are written independently: they must agree
  test.each(Object.entries(EIAM_PATHS))(
    'the path the app calls for %s, %s, is a route of the sandbox (a wrong method answers 405, not 404)',
    async (_name, path) => {
      const reply = await device().call('PUT', path)
      expect(reply.status).toBe(405)
      expect(reply.headers.get('allow')).toMatch(/^(GET|POST)$/)
    },
  )

  test('a POST body that is not declared as JSON answers 415', async () => {
    const reply = await device().post(EIAM_PATHS.login, undefined, {
      rawBody: 'code=abc',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    })
    expect(errorOf(reply)).toEqual(
      refusal('IDAAS.SDK.HTTP.415', 'content-type must be application/json', 415),
    )
  })

  test('a JSON content type with a charset parameter is accepted', async () => {
    const reply = await device().post(
      EIAM_PATHS.login,
      { code: 'charset-code' },
      { headers: { 'content-type': 'application/json; charset=utf-8' } },
    )
    expect(reply.status).toBe(200)
  })

  test('a POST without a body needs no content type', async () => {
    const reply = await device().post(EIAM_PATHS.refresh, undefined, {
      headers: { 'X-session-token': 'nope' },
    })
    expect(reply.json.error_code).toBe('IDAAS.SDK.PARAM.0023')
  })

  test('a body over 1 MiB answers 413 or closes the connection, and the sandbox keeps serving', async () => {
    const big = JSON.stringify({ code: 'x'.repeat(1024 * 1024) })
    const outcome = await device()
      .post(EIAM_PATHS.login, undefined, { rawBody: big })
      .then((reply) => reply.status)
      .catch(() => 'closed')
    expect([413, 'closed']).toContain(outcome)
    expect((await device().login()).status).toBe(200)
  })

  test.each([
    ['not JSON at all', '{"code": '],
    ['a JSON array', '["code"]'],
    ['a JSON string', '"code"'],
  ])('a body that is %s answers 400 COMMON.1002 naming the body', async (_what, rawBody) => {
    const reply = await device().post(EIAM_PATHS.login, undefined, { rawBody })
    expect(errorOf(reply)).toEqual(refusal('IDAAS.SDK.COMMON.1002', 'Parameter body format is incorrect'))
  })

  test.each(['X-operating-sys-version', 'X-device-fingerprint', 'X-agent', 'X-client-id'])(
    'a call without %s answers COMMON.1003 device information incomplete',
    async (header) => {
      const reply = await device().post(EIAM_PATHS.login, { code: 'c' }, { omit: [header] })
      expect(errorOf(reply)).toEqual(refusal('IDAAS.SDK.COMMON.1003', 'Device information is incomplete'))
    },
  )

  test('a blank common header counts as missing', async () => {
    const reply = await device().get(EIAM_PATHS.countryCodes, { headers: { 'X-agent': '  ' } })
    expect(reply.json.error_code).toBe('IDAAS.SDK.COMMON.1003')
  })

  test('another client id answers COMMON.1012, checked after the header set', async () => {
    const stranger = new Device(context.sandbox, 'fp', 'someone-else')
    expect(errorOf(await stranger.post(EIAM_PATHS.login, { code: 'c' }))).toEqual(
      refusal('IDAAS.SDK.COMMON.1012', 'X-client-id is incorrect, application not found'),
    )
    const incomplete = await stranger.post(EIAM_PATHS.login, { code: 'c' }, { omit: ['X-agent'] })
    expect(incomplete.json.error_code).toBe('IDAAS.SDK.COMMON.1003')
  })

  test('X-L zh gives Chinese messages with parameter names kept literal; en or nothing gives English', async () => {
    const zh = await device().post(EIAM_PATHS.login, {}, { headers: { 'X-L': 'zh' } })
    expect(zh.json).toEqual({ error_code: 'IDAAS.SDK.COMMON.1001', error_msg: '参数 code 不能为空' })
    const zhCn = await device().post(EIAM_PATHS.bind, {}, { headers: { 'X-L': 'zh-CN' } })
    expect(zhCn.json.error_msg).toBe('state_token 参数错误')
    const en = await device().post(EIAM_PATHS.login, {}, { headers: { 'X-L': 'en' } })
    expect(en.json.error_msg).toBe('Parameter code cannot be left blank')
    const none = await device().post(EIAM_PATHS.login, {})
    expect(none.json.error_msg).toBe('Parameter code cannot be left blank')
  })

  test('every request except the hooks is recorded with method, path, headers, body and status', async () => {
    await device().post(`${EIAM_PATHS.login}?trace=1`, { code: 'recorded' })
    await device().get(EIAM_PATHS.captcha, { omit: ['X-agent'] })
    const requests = context.sandbox.requests()
    expect(requests.map(({ method, path, status }) => ({ method, path, status }))).toEqual([
      { method: 'POST', path: EIAM_PATHS.login, status: 200 },
      { method: 'GET', path: EIAM_PATHS.captcha, status: 400 },
    ])
    expect(requests[0]?.body).toEqual({ code: 'recorded' })
    expect(requests[0]?.headers['x-client-id']).toBe('sandbox-client-id')
    expect(requests[1]?.body).toBeUndefined()
  })

  test('a request line that is not HTTP gets a 400 and the sandbox keeps serving', async () => {
    const url = new URL(context.sandbox.url)
    const answer = await new Promise<string>((resolve, reject) => {
      const socket = connect(Number(url.port), url.hostname, () => socket.write('HELLO THERE\r\n\r\n'))
      let received = ''
      socket.on('data', (chunk) => (received += chunk.toString()))
      socket.on('end', () => resolve(received))
      socket.on('error', reject)
    })
    expect(answer).toMatch(/^HTTP\/1\.1 400/)
    expect((await device().login()).status).toBe(200)
  })
})

describe('sandbox options that shape every answer', () => {
  test('without the error prefix, codes come bare (SDK.COMMON.1003)', async () => {
    await withSandbox({ errorPrefix: false }, async (sandbox) => {
      const reply = await new Device(sandbox).post(EIAM_PATHS.login, { code: 'c' }, { omit: ['X-agent'] })
      expect(reply.json.error_code).toBe('SDK.COMMON.1003')
    })
  })

  test('a configured client id is the only one accepted', async () => {
    await withSandbox({ clientId: 'tenant-app-7' }, async (sandbox) => {
      expect((await new Device(sandbox, 'fp', 'tenant-app-7').login()).status).toBe(200)
      const reply = await new Device(sandbox).login()
      expect(reply.json.error_code).toBe('IDAAS.SDK.COMMON.1012')
    })
  })

  test('an exception inside an endpoint answers 500 System busy, logs no token, and the sandbox lives on', async () => {
    const clock = new SandboxClock(CONTRACT_EPOCH)
    let broken = false
    const sandbox = await startSandbox({
      port: 0,
      log: () => undefined,
      now: () => {
        if (broken) throw new Error('clock unplugged')
        return clock.now()
      },
    })
    const stderr = jest.spyOn(process.stderr, 'write').mockImplementation(() => true)
    try {
      const device = new Device(sandbox)
      const stateToken = String((await device.login()).json.state_token)
      broken = true
      const reply = await device.post(EIAM_PATHS.login, { code: 'breaks' }, { headers: { 'X-L': 'zh' } })
      expect(reply.status).toBe(500)
      expect(reply.json).toEqual({ error_code: 'IDAAS.SDK.COMMON.1008', error_msg: '系统繁忙' })
      const logged = stderr.mock.calls.map(([chunk]) => String(chunk)).join('')
      expect(logged).toContain('clock unplugged')
      expect(logged).not.toContain(stateToken)
      expect(logged).not.toContain(device.fingerprint)
      broken = false
      expect((await device.login()).status).toBe(200)
    } finally {
      stderr.mockRestore()
      await sandbox.close()
    }
  })

  test('invalid options are refused before listening', async () => {
    await expect(startSandbox({ mode: 'open' as never })).rejects.toThrow(
      'mode must be one of bind, register, auto',
    )
    await expect(startSandbox({ port: 70000 })).rejects.toThrow('port must be a whole number')
  })
})
