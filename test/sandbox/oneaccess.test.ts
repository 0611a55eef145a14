import { constants, createPublicKey, generateKeyPairSync, publicEncrypt, type KeyObject } from 'node:crypto'
import { ONEACCESS_ENDPOINT_PATHS, optionsFromEnv, SandboxConfigError } from '../../sandbox'
import { EIAM_PATHS } from '../../miniprogram/services/eiam'
import {
  CONTRACT_EPOCH,
  Device,
  errorOf,
  postMfaSms,
  stringField,
  useContractSandbox,
  type Reply,
} from './support'

const PATHS = ONEACCESS_ENDPOINT_PATHS
const SIGNATURE_ERROR = { status: 400, code: 'IDAAS.SDK.COMMON.1004', message: 'Signature decryption error' }
const SESSION_ERROR = {
  status: 400,
  code: 'IDAAS.SDK.PARAM.0023',
  message: 'Invalid or expired session token',
}

interface SignOptions {
  timestamp?: number
  nonce?: string
  text?: string
  padding?: 'pkcs1' | 'oaep'
  key?: KeyObject
}

/** What a OneAccess client puts in `X-signature`, made here with Node's RSA. */
function signature(key: KeyObject, sessionToken: string, options: SignOptions = {}): string {
  const timestamp = options.timestamp ?? CONTRACT_EPOCH
  const text =
    options.text ??
    `session_token=${sessionToken}&timestamp=${timestamp}&nonce=${options.nonce ?? timestamp.toString(16)}`
  const padding = options.padding === 'oaep' ? constants.RSA_PKCS1_OAEP_PADDING : constants.RSA_PKCS1_PADDING
  return publicEncrypt({ key: options.key ?? key, padding, oaepHash: 'sha256' }, Buffer.from(text)).toString(
    'base64',
  )
}

function useOneAccess(padding: 'pkcs1' | 'oaep' = 'pkcs1') {
  const context = useContractSandbox({ dialect: 'oneaccess', signaturePadding: padding, hooks: true })
  let key: KeyObject

  async function publicKey(): Promise<KeyObject> {
    const reply = await new Device(context.sandbox).get(PATHS.publicKey)
    return createPublicKey({
      key: Buffer.from(stringField(reply, 'public_key'), 'base64'),
      format: 'der',
      type: 'spki',
    })
  }

  beforeAll(async () => {
    key = await publicKey()
  })

  /** A device linked to zhangsan and signed in: its session token. */
  async function signIn(
    device = new Device(context.sandbox),
  ): Promise<{ device: Device; sessionToken: string }> {
    context.sandbox.linkIdentity(device.fingerprint, 'zhangsan')
    return { device, sessionToken: stringField(await device.login(), 'session_token') }
  }

  const signed = (
    device: Device,
    method: 'GET' | 'POST',
    path: string,
    sessionToken: string,
    options: SignOptions & { body?: unknown; headers?: Record<string, string> } = {},
  ): Promise<Reply> =>
    device.call(method, path, {
      body: options.body,
      headers: { 'X-signature': signature(key, sessionToken, options), ...options.headers },
    })

  return { context, signIn, signed, publicKey }
}

/** Solves a puzzle for 李四's phone and asks for an SMS code of `type` there: the dialects differ in the type. */
async function askSecondFactorSms(device: Device, type: string): Promise<Reply> {
  const captcha = await device.solveCaptcha('13900139000')
  return device.post(EIAM_PATHS.smsSend, { mobile: '13900139000', type, captcha_token: captcha })
}

describe('the oneaccess dialect of the sandbox', () => {
  const { context, signIn, signed, publicKey } = useOneAccess()

  test('public-key answers the application key as bare base64 DER, a 2048-bit RSA key', async () => {
    const parsed = await publicKey()
    expect(parsed.asymmetricKeyType).toBe('rsa')
    expect(parsed.asymmetricKeyDetails?.modulusLength).toBe(2048)
  })

  test('server-date answers the server clock in ms, as a string', async () => {
    const reply = await new Device(context.sandbox).get(PATHS.serverDate)
    expect(reply.status).toBe(200)
    expect(reply.json).toEqual({ timestamp: String(CONTRACT_EPOCH) })
  })

  test('a good signature lists the user linked social accounts', async () => {
    const { device, sessionToken } = await signIn()
    const reply = await signed(device, 'GET', PATHS.social, sessionToken)
    expect(reply.status).toBe(200)
    expect(reply.json).toEqual({
      social_accounts: [
        {
          id: expect.any(String),
          type: 'WECHAT_MINIPROGRAM',
          name: `WeChat ${device.fingerprint.slice(-4)}`,
          bound_at: new Date(CONTRACT_EPOCH).toISOString(),
        },
      ],
    })
  })

  test.each([
    ['no X-signature at all', (token: string) => ({ headers: { 'X-signature': '' }, token })],
    ['text that is not base64', (token: string) => ({ headers: { 'X-signature': 'not*base64!' }, token })],
    ['base64 of the wrong length', (token: string) => ({ headers: { 'X-signature': 'AAAA' }, token })],
    [
      'a signature made with another key',
      (token: string) => ({
        key: generateKeyPairSync('rsa', { modulusLength: 2048 }).publicKey,
        token,
      }),
    ],
    ['a nonce that is not the timestamp in hex', (token: string) => ({ nonce: 'abc', token })],
    ['a timestamp 5 min 1 s old', (token: string) => ({ timestamp: CONTRACT_EPOCH - 301_000, token })],
    ['a timestamp 5 min 1 s ahead', (token: string) => ({ timestamp: CONTRACT_EPOCH + 301_000, token })],
    [
      'a text with the fields in another order',
      (token: string) => ({
        text: `timestamp=${CONTRACT_EPOCH}&session_token=${token}&nonce=${CONTRACT_EPOCH.toString(16)}`,
        token,
      }),
    ],
    ['a session token it never issued', () => ({ token: 'never-issued-token' })],
    [
      'an X-session-token other than the signed one',
      (token: string) => ({ headers: { 'X-session-token': 'someone-else' }, token }),
    ],
  ])('%s answers COMMON.1004 "Signature decryption error"', async (_name, make) => {
    const { device, sessionToken } = await signIn()
    const { token, ...options } = make(sessionToken)
    const reply = await signed(device, 'GET', PATHS.social, token, options)
    expect(errorOf(reply)).toEqual(SIGNATURE_ERROR)
  })

  test('a timestamp 5 min away either way is still accepted', async () => {
    const { device, sessionToken } = await signIn()
    for (const timestamp of [CONTRACT_EPOCH - 300_000, CONTRACT_EPOCH + 300_000]) {
      expect((await signed(device, 'GET', PATHS.social, sessionToken, { timestamp })).status).toBe(200)
    }
  })

  test('logout answers 200 with an empty body and kills the session token on the server', async () => {
    const { device, sessionToken } = await signIn()
    const logout = await signed(device, 'GET', PATHS.logout, sessionToken)
    expect(logout.status).toBe(200)
    expect(logout.text).toBe('')
    expect(errorOf(await signed(device, 'POST', PATHS.refresh, sessionToken))).toEqual(SESSION_ERROR)
    expect(errorOf(await signed(device, 'GET', PATHS.social, sessionToken))).toEqual(SESSION_ERROR)
    expect(errorOf(await signed(device, 'GET', PATHS.logout, sessionToken))).toEqual(SESSION_ERROR)
  })

  test('an expired session token answers PARAM.0023', async () => {
    const { device, sessionToken } = await signIn()
    context.clock.advanceS(432000)
    const timestamp = context.clock.now()
    expect(errorOf(await signed(device, 'POST', PATHS.refresh, sessionToken, { timestamp }))).toEqual(
      SESSION_ERROR,
    )
  })

  test('refresh-id-token answers a new id_token only, and the session token keeps working', async () => {
    const { device, sessionToken } = await signIn()
    const reply = await signed(device, 'POST', PATHS.refresh, sessionToken)
    expect(reply.status).toBe(200)
    expect(Object.keys(reply.json)).toEqual(['id_token'])
    expect(stringField(reply, 'id_token').split('.')).toHaveLength(3)
    expect((await signed(device, 'POST', PATHS.refresh, sessionToken)).status).toBe(200)
  })

  test('unbind removes the link of that WeChat: its next login answers SOCIAL_BIND', async () => {
    const { device, sessionToken } = await signIn()
    const listed = await signed(device, 'GET', PATHS.social, sessionToken)
    const [account] = listed.json.social_accounts as { id: string }[]
    const unbind = await signed(device, 'POST', PATHS.unbind, sessionToken, { body: { id: account.id } })
    expect(unbind.status).toBe(200)
    expect(unbind.text).toBe('')
    expect((await device.login()).json.status).toBe('SOCIAL_BIND')
    const after = await signed(device, 'GET', PATHS.social, sessionToken)
    expect(after.json).toEqual({ social_accounts: [] })
  })

  test('unbind refuses a missing id, and an id that is not one of the user links', async () => {
    const { device, sessionToken } = await signIn()
    const colleague = new Device(context.sandbox)
    context.sandbox.linkIdentity(colleague.fingerprint, 'lisi')
    const listed = await signed(device, 'GET', PATHS.social, sessionToken)
    const [own] = listed.json.social_accounts as { id: string }[]
    const missing = await signed(device, 'POST', PATHS.unbind, sessionToken, { body: {} })
    expect(errorOf(missing).code).toBe('IDAAS.SDK.COMMON.1001')
    for (const id of ['wx-1', 'wx-2', 'wx-999'].filter((candidate) => candidate !== own.id)) {
      const foreign = await signed(device, 'POST', PATHS.unbind, sessionToken, { body: { id } })
      expect(errorOf(foreign)).toMatchObject({ code: 'IDAAS.SDK.COMMON.1006', message: 'id parameter error' })
    }
    expect((await device.login()).json.status).toBe('SUCCESS')
    expect((await colleague.login()).json.status).toBe('MFA_AUTH')
  })

  test('the BambooCloud refresh path answers 404 in this dialect', async () => {
    const { device, sessionToken } = await signIn()
    const reply = await device.post(EIAM_PATHS.refresh, undefined, {
      headers: { 'X-session-token': sessionToken },
    })
    expect(reply.status).toBe(404)
  })

  test('the second-factor SMS type is OTP_REST_SMS; MFA_AUTH_SMS is refused', async () => {
    const device = new Device(context.sandbox)
    context.sandbox.linkIdentity(device.fingerprint, 'lisi')
    const stateToken = stringField(await device.login(), 'state_token')
    const refused = await askSecondFactorSms(device, 'MFA_AUTH_SMS')
    expect(errorOf(refused)).toMatchObject({ code: 'IDAAS.SDK.COMMON.1002' })
    const code = await device.sendCode('sms', '13900139000', 'OTP_REST_SMS')
    const reply = await postMfaSms(device, stateToken, {
      mobile: '13900139000',
      verify_code: code,
    })
    expect(reply.json.status).toBe('SUCCESS')
  })
})

describe('the oneaccess dialect with OAEP signatures', () => {
  const { signIn, signed } = useOneAccess('oaep')

  test('an OAEP (SHA-256) signature is accepted and a PKCS#1 one is refused', async () => {
    const { device, sessionToken } = await signIn()
    expect((await signed(device, 'GET', PATHS.social, sessionToken, { padding: 'oaep' })).status).toBe(200)
    expect(errorOf(await signed(device, 'GET', PATHS.social, sessionToken))).toEqual(SIGNATURE_ERROR)
  })
})

describe('the bamboo dialect (default)', () => {
  const context = useContractSandbox()

  test.each(Object.entries(PATHS))('the OneAccess path %s (%s) answers 404', async (_name, path) => {
    const reply = await new Device(context.sandbox).call(
      path === PATHS.unbind || path === PATHS.refresh ? 'POST' : 'GET',
      path,
    )
    expect(reply.status).toBe(404)
  })

  test('the second-factor SMS type is MFA_AUTH_SMS; OTP_REST_SMS is refused', async () => {
    const device = new Device(context.sandbox)
    const refused = await askSecondFactorSms(device, 'OTP_REST_SMS')
    expect(errorOf(refused)).toMatchObject({ code: 'IDAAS.SDK.COMMON.1002' })
  })
})

describe('EIAM_SANDBOX_DIALECT and EIAM_SANDBOX_SIGNATURE_PADDING', () => {
  test('read bamboo, oneaccess, pkcs1 and oaep in any case', () => {
    expect(
      optionsFromEnv({ EIAM_SANDBOX_DIALECT: 'OneAccess', EIAM_SANDBOX_SIGNATURE_PADDING: 'OAEP' }),
    ).toEqual({
      dialect: 'oneaccess',
      signaturePadding: 'oaep',
    })
    expect(optionsFromEnv({ EIAM_SANDBOX_DIALECT: 'bamboo' })).toEqual({ dialect: 'bamboo' })
  })

  test('refuse anything else with one sentence naming the variable', () => {
    expect(() => optionsFromEnv({ EIAM_SANDBOX_DIALECT: 'huawei' })).toThrow(
      new SandboxConfigError('EIAM_SANDBOX_DIALECT must be bamboo or oneaccess, not "huawei".'),
    )
    expect(() => optionsFromEnv({ EIAM_SANDBOX_SIGNATURE_PADDING: 'pss' })).toThrow(
      new SandboxConfigError('EIAM_SANDBOX_SIGNATURE_PADDING must be pkcs1 or oaep, not "pss".'),
    )
  })
})
