import { createCipheriv } from 'node:crypto'
import { PNG } from 'pngjs'
import { EIAM_PATHS } from '../../miniprogram/services/eiam'
import { Device, errorOf, refusal, stringField, useContractSandbox, type Reply } from './support'

const SENDER = '13800138000'

/** A captcha image read back through pngjs (independently of how the sandbox wrote it): its PNG colour type and pixels. */
function decodePng(base64: string) {
  const { width, height, colorType, data } = PNG.sync.read(Buffer.from(base64, 'base64'))
  const channels = colorType === 6 ? 4 : colorType === 2 ? 3 : 0
  return {
    width,
    height,
    channels,
    pixel: (x: number, y: number) => [...data.subarray((y * width + x) * 4, (y * width + x) * 4 + channels)],
  }
}

function encrypt(pointJson: string, secretKey: string): string {
  const cipher = createCipheriv('aes-128-ecb', Buffer.from(secretKey, 'utf8'), null)
  return Buffer.concat([cipher.update(pointJson, 'utf8'), cipher.final()]).toString('base64')
}

describe('the slider captcha, plain point_json', () => {
  const context = useContractSandbox()
  const device = () => new Device(context.sandbox)

  async function newPuzzle(): Promise<{ token: string; x: number; reply: Reply }> {
    const reply = await device().get(EIAM_PATHS.captcha)
    const token = stringField(reply, 'token')
    const x = context.sandbox.captchaAnswer(token)
    if (x === undefined) throw new Error('no answer for a new puzzle')
    return { token, x, reply }
  }

  const verify = (token: string, point: object | string, sender = SENDER) =>
    device().post(EIAM_PATHS.captchaVerify, {
      point_json: typeof point === 'string' ? point : JSON.stringify(point),
      token,
      sender,
    })

  test('a puzzle comes with a token, no secret key and two bare base64 PNG images', async () => {
    const { reply } = await newPuzzle()
    expect(reply.status).toBe(200)
    expect(reply.json).toMatchObject({
      token: expect.stringMatching(/^[0-9a-f]{32}$/),
      secretKey: null,
      originalImageBase64: expect.stringMatching(/^iVBORw0KGgo/),
      jigsawImageBase64: expect.stringMatching(/^iVBORw0KGgo/),
    })
  })

  test('the background is 310 × 155 with a darkened hole exactly where the 47 px piece fits at the answer x', async () => {
    const { reply, x } = await newPuzzle()
    expect(x).toBeGreaterThanOrEqual(60)
    expect(x).toBeLessThanOrEqual(250)
    const background = decodePng(stringField(reply, 'originalImageBase64'))
    const piece = decodePng(stringField(reply, 'jigsawImageBase64'))
    expect([background.width, background.height, background.channels]).toEqual([310, 155, 3])
    expect([piece.width, piece.height, piece.channels]).toEqual([47, 155, 4])

    const opaque = (column: number, row: number) =>
      column >= 0 && column < 47 && row >= 0 && row < 155 && piece.pixel(column, row)[3] === 255
    const rows = [...Array(155).keys()].filter((row) =>
      [...Array(47).keys()].some((column) => opaque(column, row)),
    )
    expect(rows.length).toBeGreaterThan(30)
    expect(rows.length).toBeLessThanOrEqual(47)
    // the piece touches its strip's left edge: x is both the hole's and the piece's left edge
    expect(rows.some((row) => opaque(0, row))).toBe(true)

    let interior = 0
    for (const row of rows) {
      for (let column = 0; column < 47; column++) {
        const inside = [
          [0, 0],
          [1, 0],
          [-1, 0],
          [0, 1],
          [0, -1],
        ].every(([dx, dy]) => opaque(column + (dx ?? 0), row + (dy ?? 0)))
        if (!inside) continue
        interior += 1
        const original = piece.pixel(column, row)
        const hole = background.pixel(x + column, row)
        hole.forEach((value, channel) =>
          expect(Math.abs(value - Math.round((original[channel] ?? 0) * 0.45))).toBeLessThanOrEqual(1),
        )
      }
    }
    expect(interior).toBeGreaterThan(1000)
  })

  test('a position within 5 px of the answer passes and gives captcha_token "<token>---<point_json>"', async () => {
    const { token, x } = await newPuzzle()
    const pointJson = JSON.stringify({ x: x + 4.6, y: 5.0 })
    const reply = await verify(token, pointJson)
    expect(reply.status).toBe(200)
    expect(reply.json).toEqual({ captcha_token: `${token}---${pointJson}` })
  })

  test.each([
    ['6 px right of the answer', (x: number) => ({ x: x + 6, y: 5 })],
    ['6 px left of the answer', (x: number) => ({ x: x - 6, y: 5 })],
    ['a y other than 5', (x: number) => ({ x, y: 6 })],
    ['an x that is not a number', (x: number) => ({ x: String(x), y: 5 })],
    ['no point at all', () => 'not json'],
  ])('%s fails with CAPTCHA.0002 and spends the puzzle', async (_case, point) => {
    const { token, x } = await newPuzzle()
    expect(errorOf(await verify(token, point(x)))).toEqual(
      refusal('IDAAS.SDK.CAPTCHA.0002', 'Graphic verification code verification failed'),
    )
    expect(context.sandbox.captchaAnswer(token)).toBeUndefined()
    expect((await verify(token, { x, y: 5 })).json.error_code).toBe('IDAAS.SDK.CAPTCHA.0004')
  })

  test('a solved puzzle cannot be solved again (CAPTCHA.0004)', async () => {
    const { token, x } = await newPuzzle()
    expect((await verify(token, { x, y: 5 })).status).toBe(200)
    expect(errorOf(await verify(token, { x, y: 5 }))).toEqual(
      refusal('IDAAS.SDK.CAPTCHA.0004', 'CAPTCHA token invalid'),
    )
  })

  test('an unknown puzzle token answers CAPTCHA.0004', async () => {
    expect((await verify('0123456789abcdef0123456789abcdef', { x: 100, y: 5 })).json.error_code).toBe(
      'IDAAS.SDK.CAPTCHA.0004',
    )
  })

  test('a puzzle older than 2 minutes answers CAPTCHA.0003 expired', async () => {
    const { token, x } = await newPuzzle()
    context.clock.advanceS(120)
    expect(context.sandbox.captchaAnswer(token)).toBeUndefined()
    expect(errorOf(await verify(token, { x, y: 5 }))).toEqual(
      refusal('IDAAS.SDK.CAPTCHA.0003', 'CAPTCHA token expired'),
    )
  })

  test('a puzzle solved just before 2 minutes passes', async () => {
    const { token, x } = await newPuzzle()
    context.clock.advanceS(119)
    expect((await verify(token, { x, y: 5 })).status).toBe(200)
  })

  test.each(['point_json', 'token', 'sender'])('a verify without %s answers COMMON.1001', async (field) => {
    const { token, x } = await newPuzzle()
    const body: Record<string, string> = { point_json: JSON.stringify({ x, y: 5 }), token, sender: SENDER }
    delete body[field]
    const reply = await device().post(EIAM_PATHS.captchaVerify, body)
    expect(errorOf(reply)).toEqual({
      status: 400,
      code: 'IDAAS.SDK.COMMON.1001',
      message: `Parameter ${field} cannot be left blank`,
    })
  })

  test('a sender that is neither a mobile nor an email answers COMMON.1002 and keeps the puzzle', async () => {
    const { token, x } = await newPuzzle()
    const reply = await verify(token, { x, y: 5 }, 'not-a-target')
    expect(reply.json.error_msg).toBe('Parameter sender format is incorrect')
    expect((await verify(token, { x, y: 5 })).status).toBe(200)
  })
})

describe('the slider captcha with AES', () => {
  const context = useContractSandbox({ captchaAes: true })
  const device = () => new Device(context.sandbox)

  test('a puzzle brings a 16-character secret key and accepts point_json AES-ECB encrypted with it', async () => {
    const puzzle = await device().get(EIAM_PATHS.captcha)
    const secretKey = stringField(puzzle, 'secretKey')
    expect(secretKey).toMatch(/^[A-Za-z0-9]{16}$/)
    const token = stringField(puzzle, 'token')
    const pointJson = encrypt(JSON.stringify({ x: context.sandbox.captchaAnswer(token), y: 5.0 }), secretKey)
    const reply = await device().post(EIAM_PATHS.captchaVerify, {
      point_json: pointJson,
      token,
      sender: 'a@example.com',
    })
    expect(reply.json).toEqual({ captcha_token: `${token}---${pointJson}` })
  })

  test('a plain point_json fails with CAPTCHA.0002 when AES is required', async () => {
    const puzzle = await device().get(EIAM_PATHS.captcha)
    const token = stringField(puzzle, 'token')
    const pointJson = JSON.stringify({ x: context.sandbox.captchaAnswer(token), y: 5 })
    const reply = await device().post(EIAM_PATHS.captchaVerify, {
      point_json: pointJson,
      token,
      sender: SENDER,
    })
    expect(reply.json.error_code).toBe('IDAAS.SDK.CAPTCHA.0002')
  })

  test('a point encrypted with another key fails with CAPTCHA.0002', async () => {
    const puzzle = await device().get(EIAM_PATHS.captcha)
    const token = stringField(puzzle, 'token')
    const pointJson = encrypt(
      JSON.stringify({ x: context.sandbox.captchaAnswer(token), y: 5 }),
      'ABCDEFGHIJKLMNOP',
    )
    const reply = await device().post(EIAM_PATHS.captchaVerify, {
      point_json: pointJson,
      token,
      sender: SENDER,
    })
    expect(reply.json.error_code).toBe('IDAAS.SDK.CAPTCHA.0002')
  })
})
