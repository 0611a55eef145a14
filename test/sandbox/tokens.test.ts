import { createPublicKey, verify, type JsonWebKey } from 'node:crypto'
import { EIAM_PATHS } from '../../miniprogram/services/eiam'
import { Device, claimsOf, errorOf, stringField, useContractSandbox, type Reply } from './support'

const SESSION_ERROR = {
  status: 400,
  code: 'IDAAS.SDK.PARAM.0023',
  message: 'Invalid or expired session token',
}

describe('session and id tokens', () => {
  const context = useContractSandbox({ hooks: true })

  async function signIn(user = 'zhangsan'): Promise<{ device: Device; reply: Reply }> {
    const device = new Device(context.sandbox)
    context.sandbox.linkIdentity(device.fingerprint, user)
    return { device, reply: await device.login() }
  }

  const refresh = (device: Device, sessionToken?: string) =>
    device.post(EIAM_PATHS.refresh, undefined, {
      headers: sessionToken === undefined ? {} : { 'X-session-token': sessionToken },
    })

  async function publicKey() {
    const jwks = (await (await fetch(`${context.sandbox.url}/__sandbox/jwks`)).json()) as {
      keys: JsonWebKey[]
    }
    expect(jwks.keys).toHaveLength(1)
    return createPublicKey({ key: jwks.keys[0] as JsonWebKey, format: 'jwk' })
  }

  test('the id_token is an RS256 JWT whose signature verifies with the sandbox key', async () => {
    const { reply } = await signIn()
    const idToken = stringField(reply, 'id_token')
    const [header = '', payload = '', signature = ''] = idToken.split('.')
    expect(JSON.parse(Buffer.from(header, 'base64url').toString())).toMatchObject({
      alg: 'RS256',
      typ: 'JWT',
    })
    const signed = Buffer.from(`${header}.${payload}`)
    expect(verify('sha256', signed, await publicKey(), Buffer.from(signature, 'base64url'))).toBe(true)
    expect(
      verify(
        'sha256',
        Buffer.from(`${header}.${payload}x`),
        await publicKey(),
        Buffer.from(signature, 'base64url'),
      ),
    ).toBe(false)
  })

  test('the id_token follows the vendor sample: sub the user name, nbf = iat − 120, exp = iat + 2 h', async () => {
    const { reply } = await signIn()
    const issuedAt = Math.floor(context.clock.now() / 1000)
    expect(claimsOf(stringField(reply, 'id_token'))).toEqual({
      iss: context.sandbox.url,
      aud: 'sandbox-client-id',
      sub: 'zhangsan',
      exp: issuedAt + 7200,
      iat: issuedAt,
      nbf: issuedAt - 120,
      jti: expect.any(String),
      id: '10001',
      name: '张三',
      userName: 'zhangsan',
      mobile: '+86-13800138000',
      email: 'zhangsan@example.com',
    })
  })

  test('refresh rotates the session token and issues a fresh id_token; the old session token stops working', async () => {
    const { device, reply } = await signIn()
    const oldSession = stringField(reply, 'session_token')
    context.clock.advanceS(30)
    const refreshed = await refresh(device, oldSession)
    expect(refreshed.json).toEqual({
      session_token: expect.any(String),
      expire: 432000,
      id_token: expect.any(String),
    })
    expect(refreshed.json.session_token).not.toBe(oldSession)
    const oldClaims = claimsOf(stringField(reply, 'id_token'))
    const newClaims = claimsOf(stringField(refreshed, 'id_token'))
    expect(newClaims.iat).toBe(Number(oldClaims.iat) + 30)
    expect(newClaims.jti).not.toBe(oldClaims.jti)
    expect(errorOf(await refresh(device, oldSession))).toEqual(SESSION_ERROR)
    expect((await refresh(device, stringField(refreshed, 'session_token'))).status).toBe(200)
  })

  test('refresh without X-session-token answers PARAM.0023', async () => {
    expect(errorOf(await refresh(new Device(context.sandbox)))).toEqual(SESSION_ERROR)
  })

  test('an unknown session token answers PARAM.0023, in Chinese with X-L zh', async () => {
    const reply = await new Device(context.sandbox).post(EIAM_PATHS.refresh, undefined, {
      headers: { 'X-session-token': 'made-up', 'X-L': 'zh' },
    })
    expect(reply.json).toEqual({
      error_code: 'IDAAS.SDK.PARAM.0023',
      error_msg: 'session token 无效或已过期',
    })
  })

  test('a session token older than its 432000 s answers PARAM.0023', async () => {
    const { device, reply } = await signIn()
    context.clock.advanceS(432000)
    expect(errorOf(await refresh(device, stringField(reply, 'session_token')))).toEqual(SESSION_ERROR)
  })

  test('refresh needs the common headers like every EIAM call', async () => {
    const { device, reply } = await signIn()
    const incomplete = await device.post(EIAM_PATHS.refresh, undefined, {
      headers: { 'X-session-token': stringField(reply, 'session_token') },
      omit: ['X-device-fingerprint'],
    })
    expect(incomplete.json.error_code).toBe('IDAAS.SDK.COMMON.1003')
  })

  test('session tokens are not tied to a device', async () => {
    const { reply } = await signIn()
    const other = await refresh(new Device(context.sandbox), stringField(reply, 'session_token'))
    expect(other.status).toBe(200)
  })
})
