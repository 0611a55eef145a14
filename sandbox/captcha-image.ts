/**
 * The slider jigsaw images, AJ-Captcha style: a 310 × 155 background with a darkened, outlined hole whose left edge is
 * at the answer x, and a 47 px wide, full-height transparent strip carrying the piece at the hole's height.
 * The client draws the strip at its left edge and the user slides it until the piece covers the hole.
 *
 * Pixel loops use only arithmetic and Uint8ClampedArray stores (which round and clamp): `Math.*` calls cost about a
 * microsecond each under jest's vm contexts, which made one puzzle take 100 ms there.
 */
import { encodePng } from './png'

export const PUZZLE_WIDTH = 310
export const PUZZLE_HEIGHT = 155
export const PIECE_SIZE = 47
/** The piece keeps a margin from the top and bottom edges. */
export const PIECE_TOP_MIN = 5
export const PIECE_TOP_MAX = PUZZLE_HEIGHT - PIECE_SIZE - 5

const OUTSIDE = 0
const INSIDE = 1
const EDGE = 2

/** A square body with a round knob on top and one on the right, inside a 47 × 47 box; edge pixels marked. */
const PIECE_MASK = (() => {
  const body = { left: 0, right: 37, top: 9, bottom: 46 }
  const knobRadiusSquared = 7 * 7
  const knobs = [
    { x: 18.5, y: body.top },
    { x: body.right, y: 27.5 },
  ]
  const inside = (x: number, y: number) =>
    x >= 0 &&
    y >= 0 &&
    x < PIECE_SIZE &&
    y < PIECE_SIZE &&
    ((x >= body.left && x <= body.right && y >= body.top && y <= body.bottom) ||
      knobs.some((knob) => (x - knob.x) ** 2 + (y - knob.y) ** 2 <= knobRadiusSquared))
  const mask = new Uint8Array(PIECE_SIZE * PIECE_SIZE)
  for (let y = 0; y < PIECE_SIZE; y++) {
    for (let x = 0; x < PIECE_SIZE; x++) {
      if (!inside(x, y)) continue
      const onEdge = !inside(x - 1, y) || !inside(x + 1, y) || !inside(x, y - 1) || !inside(x, y + 1)
      mask[y * PIECE_SIZE + x] = onEdge ? EDGE : INSIDE
    }
  }
  return mask
})()

type Colour = readonly [number, number, number]

/** Mid-range channels, so both the darkened hole and the whitened outline stand out. */
const randomColour = (): Colour => [
  70 + Math.random() * 150,
  70 + Math.random() * 150,
  70 + Math.random() * 150,
]

/** `sin(index / period)` for each index, so the wave costs no trigonometry per pixel. */
function sineTable(length: number, period: number, phase = 0): Float64Array {
  const table = new Float64Array(length)
  for (let index = 0; index < length; index++) table[index] = Math.sin(index / period + phase)
  return table
}

const BLOBS = 6
const WAVE_AMPLITUDE = 10

/** A diagonal gradient, soft round colour fields and a faint wave. */
function paintBackground(): Uint8ClampedArray {
  const from = randomColour()
  const to = randomColour()
  const colour = new Float32Array(PUZZLE_WIDTH * PUZZLE_HEIGHT * 3)
  for (let y = 0; y < PUZZLE_HEIGHT; y++) {
    for (let x = 0; x < PUZZLE_WIDTH; x++) {
      const along = (x / PUZZLE_WIDTH) * 0.7 + (y / PUZZLE_HEIGHT) * 0.3
      const offset = (y * PUZZLE_WIDTH + x) * 3
      colour[offset] = from[0] + (to[0] - from[0]) * along
      colour[offset + 1] = from[1] + (to[1] - from[1]) * along
      colour[offset + 2] = from[2] + (to[2] - from[2]) * along
    }
  }
  for (let blob = 0; blob < BLOBS; blob++) {
    const centreX = Math.random() * PUZZLE_WIDTH
    const centreY = Math.random() * PUZZLE_HEIGHT
    const radius = 20 + Math.random() * 50
    const radiusSquared = radius * radius
    const tint = randomColour()
    const top = Math.max(0, Math.floor(centreY - radius))
    const bottom = Math.min(PUZZLE_HEIGHT - 1, Math.ceil(centreY + radius))
    const left = Math.max(0, Math.floor(centreX - radius))
    const right = Math.min(PUZZLE_WIDTH - 1, Math.ceil(centreX + radius))
    for (let y = top; y <= bottom; y++) {
      for (let x = left; x <= right; x++) {
        const closeness = 1 - ((x - centreX) * (x - centreX) + (y - centreY) * (y - centreY)) / radiusSquared
        if (closeness <= 0) continue
        const weight = closeness * closeness * 0.6
        const offset = (y * PUZZLE_WIDTH + x) * 3
        for (let channel = 0; channel < 3; channel++) {
          const current = colour[offset + channel] ?? 0
          colour[offset + channel] = current + ((tint[channel] ?? 0) - current) * weight
        }
      }
    }
  }
  // sin(x/9 + y/13) = sin(x/9)·cos(y/13) + cos(x/9)·sin(y/13)
  const sinX = sineTable(PUZZLE_WIDTH, 9)
  const cosX = sineTable(PUZZLE_WIDTH, 9, Math.PI / 2)
  const sinY = sineTable(PUZZLE_HEIGHT, 13)
  const cosY = sineTable(PUZZLE_HEIGHT, 13, Math.PI / 2)
  const pixels = new Uint8ClampedArray(colour.length)
  for (let y = 0; y < PUZZLE_HEIGHT; y++) {
    for (let x = 0; x < PUZZLE_WIDTH; x++) {
      const wave = WAVE_AMPLITUDE * ((sinX[x] ?? 0) * (cosY[y] ?? 0) + (cosX[x] ?? 0) * (sinY[y] ?? 0))
      const offset = (y * PUZZLE_WIDTH + x) * 3
      pixels[offset] = (colour[offset] ?? 0) + wave
      pixels[offset + 1] = (colour[offset + 1] ?? 0) + wave
      pixels[offset + 2] = (colour[offset + 2] ?? 0) + wave
    }
  }
  return pixels
}

const HOLE_DARKNESS = 0.45
const HOLE_EDGE_WHITENESS = 0.6
const PIECE_EDGE_WHITENESS = 0.75

export interface PuzzleImages {
  /** PNG, 310 × 155, RGB. */
  background: Buffer
  /** PNG, 47 × 155, RGBA, transparent except the piece. */
  piece: Buffer
}

/** `left` is the answer x (the hole's left edge); `top` the piece's vertical position. */
export function drawPuzzle(left: number, top: number): PuzzleImages {
  const background = paintBackground()
  const piece = new Uint8ClampedArray(PIECE_SIZE * PUZZLE_HEIGHT * 4)
  for (let y = 0; y < PIECE_SIZE; y++) {
    for (let x = 0; x < PIECE_SIZE; x++) {
      const kind = PIECE_MASK[y * PIECE_SIZE + x]
      if (kind === OUTSIDE) continue
      const source = ((top + y) * PUZZLE_WIDTH + left + x) * 3
      const target = ((top + y) * PIECE_SIZE + x) * 4
      for (let channel = 0; channel < 3; channel++) {
        const original = background[source + channel] ?? 0
        if (kind === EDGE) {
          piece[target + channel] = original + (255 - original) * PIECE_EDGE_WHITENESS
          background[source + channel] = original + (255 - original) * HOLE_EDGE_WHITENESS
        } else {
          piece[target + channel] = original
          background[source + channel] = original * HOLE_DARKNESS
        }
      }
      piece[target + 3] = 255
    }
  }
  return {
    background: encodePng({ width: PUZZLE_WIDTH, height: PUZZLE_HEIGHT, channels: 3, pixels: background }),
    piece: encodePng({ width: PIECE_SIZE, height: PUZZLE_HEIGHT, channels: 4, pixels: piece }),
  }
}
