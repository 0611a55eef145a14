import { decodeIdClaims } from '../../miniprogram/utils/jwt'

const segment = (value: unknown) => Buffer.from(JSON.stringify(value), 'utf8').toString('base64url')
const fakeSignature = Buffer.from('not-a-real-rs256-signature').toString('base64url')

/** A JWT as the tenant would send it; the signature is never checked by the client, so a fake one will do. */
const jwtOf = (payload: unknown, signature = fakeSignature) =>
  `${segment({ alg: 'RS256', typ: 'JWT', kid: 'sandbox' })}.${segment(payload)}.${signature}`

const zhangsan = {
  iss: 'https://example.idaas-cloud.com',
  aud: 'sandbox-client-id',
  sub: 'u-1001',
  exp: 1735700000,
  iat: 1735696400,
  nbf: 1735696400,
  jti: 'b3c1',
  id: 'u-1001',
  name: '张三',
  userName: 'zhangsan',
  mobile: '+86-13800138000',
  email: 'zhangsan@example.com',
}

describe('reading the claims of an id_token', () => {
  test('claims at the top level are shown as the tenant sent them', () => {
    expect(decodeIdClaims(jwtOf(zhangsan))).toEqual({
      sub: 'u-1001',
      id: 'u-1001',
      name: '张三',
      userName: 'zhangsan',
      mobile: '+86-13800138000',
      email: 'zhangsan@example.com',
      exp: 1735700000,
      iat: 1735696400,
    })
  })

  test('an unsigned token (empty signature) is read the same way', () => {
    expect(decodeIdClaims(jwtOf(zhangsan, ''))?.name).toBe('张三')
  })

  test('Chinese names and emoji in claims come through intact', () => {
    const claims = decodeIdClaims(jwtOf({ ...zhangsan, name: '欧阳娜娜🌸', userName: '娜娜' }))
    expect(claims?.name).toBe('欧阳娜娜🌸')
    expect(claims?.userName).toBe('娜娜')
  })

  test('a payload in standard base64 with padding is read too', () => {
    const payload = Buffer.from(JSON.stringify({ name: '李四' }), 'utf8').toString('base64')
    expect(payload).toMatch(/[=+/]/)
    expect(decodeIdClaims(`${segment({ alg: 'RS256' })}.${payload}.${fakeSignature}`)?.name).toBe('李四')
  })

  test('the older layout with user claims nested as a JSON string in `api` is read', () => {
    const token = jwtOf({
      iss: 'https://example.idaas-cloud.com',
      exp: 1735700000,
      iat: 1735696400,
      api: JSON.stringify({
        id: 'u-2002',
        name: '李四',
        userName: 'lisi',
        mobile: '+86-13900139000',
        email: 'lisi@example.com',
      }),
    })
    expect(decodeIdClaims(token)).toEqual({
      sub: undefined,
      id: 'u-2002',
      name: '李四',
      userName: 'lisi',
      mobile: '+86-13900139000',
      email: 'lisi@example.com',
      exp: 1735700000,
      iat: 1735696400,
    })
  })

  test('nested claims given as an object rather than a string are read too', () => {
    expect(decodeIdClaims(jwtOf({ api: { name: '王五', userName: 'wangwu' } }))).toMatchObject({
      name: '王五',
      userName: 'wangwu',
    })
  })

  test('a top-level claim wins over the same claim nested in `api`', () => {
    const claims = decodeIdClaims(
      jwtOf({ name: '张三', api: JSON.stringify({ name: 'old name', email: 'z@example.com' }) }),
    )
    expect(claims?.name).toBe('张三')
    expect(claims?.email).toBe('z@example.com')
  })

  test('a broken `api` claim leaves the top-level claims', () => {
    const claims = decodeIdClaims(jwtOf({ name: '张三', exp: 1735700000, api: '{not json' }))
    expect(claims).toMatchObject({ name: '张三', exp: 1735700000, userName: undefined })
  })

  test('a lower-case `username` claim stands in for `userName`', () => {
    expect(decodeIdClaims(jwtOf({ username: 'zhangsan' }))?.userName).toBe('zhangsan')
  })

  test('numeric strings for exp and iat are read as numbers', () => {
    const claims = decodeIdClaims(jwtOf({ exp: '1735700000', iat: '1735696400' }))
    expect(claims?.exp).toBe(1735700000)
    expect(claims?.iat).toBe(1735696400)
  })

  test('an exp that is not a number is left out rather than guessed', () => {
    expect(decodeIdClaims(jwtOf({ exp: 'tomorrow' }))?.exp).toBeUndefined()
    expect(decodeIdClaims(jwtOf({ exp: null }))?.exp).toBeUndefined()
    expect(decodeIdClaims(jwtOf({ exp: true }))?.exp).toBeUndefined()
  })

  test('a blank exp is left out rather than read as the epoch', () => {
    expect(decodeIdClaims(jwtOf({ exp: '' }))?.exp).toBeUndefined()
    expect(decodeIdClaims(jwtOf({ exp: '  ' }))?.exp).toBeUndefined()
  })

  test('a numeric id is shown as text', () => {
    expect(decodeIdClaims(jwtOf({ id: 1001, sub: 1001 }))).toMatchObject({ id: '1001', sub: '1001' })
  })

  test('empty or non-text claims are left out', () => {
    expect(
      decodeIdClaims(jwtOf({ name: '', email: { address: 'x' }, mobile: ['+86-13800138000'] })),
    ).toMatchObject({
      name: undefined,
      email: undefined,
      mobile: undefined,
    })
  })

  test('text that is not a JWT answers undefined', () => {
    for (const token of ['', 'opaque-session-token', 'a.b', `${jwtOf(zhangsan)}.extra`, '..']) {
      expect(decodeIdClaims(token)).toBeUndefined()
    }
  })

  test('a payload that is not base64 answers undefined', () => {
    expect(decodeIdClaims(`${segment({ alg: 'RS256' })}.!!!not base64!!!.${fakeSignature}`)).toBeUndefined()
    expect(decodeIdClaims(`${segment({ alg: 'RS256' })}.A.${fakeSignature}`)).toBeUndefined()
  })

  test('a payload that is not UTF-8 answers undefined', () => {
    const payload = Buffer.from([0x7b, 0xff, 0xfe, 0x7d]).toString('base64url')
    expect(decodeIdClaims(`${segment({ alg: 'RS256' })}.${payload}.${fakeSignature}`)).toBeUndefined()
  })

  test('a payload that is not JSON answers undefined', () => {
    const payload = Buffer.from('{"name":"张三"', 'utf8').toString('base64url')
    expect(decodeIdClaims(`${segment({ alg: 'RS256' })}.${payload}.${fakeSignature}`)).toBeUndefined()
  })

  test('a payload that is JSON but not an object answers undefined', () => {
    for (const payload of [['name'], 'zhangsan', 42, null]) {
      expect(decodeIdClaims(jwtOf(payload))).toBeUndefined()
    }
  })
})
