/**
 * Slider puzzles and captcha tokens (docs/eiam-api.md §3, docs/design.md "Captcha").
 * - A puzzle is single-use: any verify attempt that finds it spends it, pass or fail; it lives `captchaTtlS`.
 * - `point_json` is `{"x":…,"y":5.0}`, x the left edge of the piece in the 310-px background, ±5 px accepted; with
 *   the AES option it arrives AES-128-ECB/PKCS7 encrypted with the puzzle's `secretKey` (UTF-8 bytes), base64; with
 *   `key-plain` the puzzle carries a key but `point_json` is checked plain (the vendor's example).
 * - A passed puzzle gives a captcha_token `<token>---<point_json>`, bound to the sender (canonical), single-use,
 *   living `captchaTtlS` from the verify.
 */
import { createDecipheriv, randomInt, randomUUID } from 'node:crypto'
import { drawPuzzle, PIECE_TOP_MAX, PIECE_TOP_MIN } from './captcha-image'
import { SandboxError } from './messages'
import { KEEP_EXPIRED_MS, SweepSchedule } from './sweep'

export const ANSWER_X_MIN = 60
export const ANSWER_X_MAX = 250
export const X_TOLERANCE = 5
export const EXPECTED_Y = 5
const SECRET_KEY_LENGTH = 16
const SECRET_KEY_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789'

interface Puzzle {
  x: number
  /** the key point_json must be encrypted with, or null for plain */
  decryptWith: string | null
  expiresAt: number
}

interface IssuedCaptchaToken {
  sender: string
  expiresAt: number
}

/** The GET /captcha answer, AJ-Captcha field names; images are bare base64 (no `data:` prefix). */
export interface PuzzleAnswer {
  captchaType: 'blockPuzzle'
  token: string
  secretKey: string | null
  originalImageBase64: string
  jigsawImageBase64: string
  point: null
  wordList: null
  result: false
}

const invalidToken = () => new SandboxError('SDK.CAPTCHA.0004')
const expiredToken = () => new SandboxError('SDK.CAPTCHA.0003')
const wrongPosition = () => new SandboxError('SDK.CAPTCHA.0002')

function randomSecretKey(): string {
  let key = ''
  for (let index = 0; index < SECRET_KEY_LENGTH; index++) {
    key += SECRET_KEY_ALPHABET[randomInt(SECRET_KEY_ALPHABET.length)]
  }
  return key
}

function decrypt(base64: string, secretKey: string): string {
  const decipher = createDecipheriv('aes-128-ecb', Buffer.from(secretKey, 'utf8'), null)
  return Buffer.concat([decipher.update(Buffer.from(base64, 'base64')), decipher.final()]).toString('utf8')
}

/** The x of a point_json, or undefined when it is not one or when y is not 5. */
function readX(pointJson: string, secretKey: string | null): number | undefined {
  let point: unknown
  try {
    point = JSON.parse(secretKey === null ? pointJson : decrypt(pointJson, secretKey))
  } catch {
    return undefined
  }
  if (typeof point !== 'object' || point === null) return undefined
  const { x, y } = point as Record<string, unknown>
  if (typeof x !== 'number' || !Number.isFinite(x) || y !== EXPECTED_Y) return undefined
  return x
}

export class CaptchaStore {
  private readonly puzzles = new Map<string, Puzzle>()
  private readonly tokens = new Map<string, IssuedCaptchaToken>()
  private readonly sweep: SweepSchedule

  constructor(
    private readonly options: { captchaTtlS: number; captchaAes: boolean | 'key-plain' },
    private readonly now: () => number,
  ) {
    this.sweep = new SweepSchedule(now)
  }

  reset(): void {
    this.puzzles.clear()
    this.tokens.clear()
  }

  create(): PuzzleAnswer {
    if (this.sweep.due()) this.forgetExpired()
    const token = randomUUID().replace(/-/g, '')
    const x = randomInt(ANSWER_X_MIN, ANSWER_X_MAX + 1)
    const secretKey = this.options.captchaAes ? randomSecretKey() : null
    // key-plain: the vendor's example, a key handed out and plain point_json checked all the same
    const decryptWith = this.options.captchaAes === true ? secretKey : null
    this.puzzles.set(token, { x, decryptWith, expiresAt: this.now() + this.options.captchaTtlS * 1000 })
    const images = drawPuzzle(x, randomInt(PIECE_TOP_MIN, PIECE_TOP_MAX + 1))
    return {
      captchaType: 'blockPuzzle',
      token,
      secretKey,
      originalImageBase64: images.background.toString('base64'),
      jigsawImageBase64: images.piece.toString('base64'),
      point: null,
      wordList: null,
      result: false,
    }
  }

  /** The answer x of a live puzzle, for test hooks. */
  answer(token: string): number | undefined {
    const puzzle = this.puzzles.get(token)
    return puzzle && this.now() < puzzle.expiresAt ? puzzle.x : undefined
  }

  /** Checks the position; the puzzle is spent whatever the outcome. Answers the captcha_token. */
  verify(token: string, pointJson: string, sender: string): string {
    const puzzle = this.puzzles.get(token)
    if (!puzzle) throw invalidToken()
    this.puzzles.delete(token)
    const now = this.now()
    if (now >= puzzle.expiresAt) throw expiredToken()
    const x = readX(pointJson, puzzle.decryptWith)
    if (x === undefined || Math.abs(x - puzzle.x) > X_TOLERANCE) throw wrongPosition()
    const captchaToken = `${token}---${pointJson}`
    this.tokens.set(captchaToken, { sender, expiresAt: now + this.options.captchaTtlS * 1000 })
    return captchaToken
  }

  /** Spends a captcha_token for a send to `sender`; refused when unknown, reused, expired or bound to another sender. */
  spend(captchaToken: string, sender: string): void {
    const issued = this.tokens.get(captchaToken)
    if (!issued) throw invalidToken()
    this.tokens.delete(captchaToken)
    if (this.now() >= issued.expiresAt) throw expiredToken()
    if (issued.sender !== sender) throw invalidToken()
  }

  /** Long-expired entries only: a recently expired one must still answer "expired", not "invalid". */
  private forgetExpired(): void {
    const horizon = this.now() - KEEP_EXPIRED_MS
    for (const [token, puzzle] of this.puzzles) if (puzzle.expiresAt < horizon) this.puzzles.delete(token)
    for (const [token, issued] of this.tokens) if (issued.expiresAt < horizon) this.tokens.delete(token)
  }
}
