/**
 * Is a screenshot blank? Decodes the PNG Chromium wrote (8-bit RGB or RGBA, not interlaced — what Chromium writes;
 * anything else is refused with a sentence) and counts what is drawn: distinct colours, and the share of pixels that
 * differ from the most common colour (the background), below the navigation bar.
 */
import zlib from 'node:zlib'

export interface Pixels {
  width: number
  height: number
  /** bytes per pixel: 3 (RGB) or 4 (RGBA) */
  channels: 3 | 4
  data: Uint8Array
}

const SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])

function paeth(left: number, up: number, upLeft: number): number {
  const estimate = left + up - upLeft
  const toLeft = Math.abs(estimate - left)
  const toUp = Math.abs(estimate - up)
  const toUpLeft = Math.abs(estimate - upLeft)
  if (toLeft <= toUp && toLeft <= toUpLeft) return left
  return toUp <= toUpLeft ? up : upLeft
}

export function decodePng(png: Buffer): Pixels {
  if (png.length < 8 || !png.subarray(0, 8).equals(SIGNATURE)) throw new Error('not a PNG file')
  let offset = 8
  let header:
    { width: number; height: number; depth: number; colourType: number; interlace: number } | undefined
  const idat: Buffer[] = []
  while (offset + 8 <= png.length) {
    const length = png.readUInt32BE(offset)
    const type = png.toString('latin1', offset + 4, offset + 8)
    const body = png.subarray(offset + 8, offset + 8 + length)
    if (body.length !== length) throw new Error(`PNG chunk ${type} is cut off`)
    if (type === 'IHDR') {
      header = {
        width: body.readUInt32BE(0),
        height: body.readUInt32BE(4),
        depth: body[8] ?? 0,
        colourType: body[9] ?? 0,
        interlace: body[12] ?? 0,
      }
    } else if (type === 'IDAT') idat.push(body)
    else if (type === 'IEND') break
    offset += 12 + length
  }
  if (!header) throw new Error('PNG without IHDR')
  const { width, height, depth, colourType, interlace } = header
  const channels = colourType === 2 ? 3 : colourType === 6 ? 4 : 0
  if (depth !== 8 || !channels || interlace !== 0) {
    throw new Error(`unsupported PNG (bit depth ${depth}, colour type ${colourType}, interlace ${interlace})`)
  }
  const raw = zlib.inflateSync(Buffer.concat(idat))
  const stride = width * channels
  if (raw.length < height * (stride + 1)) throw new Error('PNG image data is shorter than its size says')
  const data = new Uint8Array(height * stride)
  for (let y = 0; y < height; y += 1) {
    const filter = raw[y * (stride + 1)]
    const line = y * (stride + 1) + 1
    const row = y * stride
    for (let x = 0; x < stride; x += 1) {
      const value = raw[line + x] as number
      const left = x >= channels ? (data[row + x - channels] as number) : 0
      const up = y > 0 ? (data[row - stride + x] as number) : 0
      const upLeft = y > 0 && x >= channels ? (data[row - stride + x - channels] as number) : 0
      let decoded: number
      if (filter === 0) decoded = value
      else if (filter === 1) decoded = value + left
      else if (filter === 2) decoded = value + up
      else if (filter === 3) decoded = value + ((left + up) >> 1)
      else if (filter === 4) decoded = value + paeth(left, up, upLeft)
      else throw new Error(`unknown PNG filter ${filter}`)
      data[row + x] = decoded & 0xff
    }
  }
  return { width, height, channels, data }
}

export interface PixelStats {
  width: number
  height: number
  /** distinct colours in the analysed area, capped at `cap` */
  distinctColours: number
  /** the share of analysed pixels that differ from the most common colour */
  contentShare: number
}

/** Colours and content below the first `skipRows` rows (the navigation bar). */
export function pixelStats(pixels: Pixels, options: { skipRows?: number; cap?: number } = {}): PixelStats {
  const { width, height, channels, data } = pixels
  const cap = options.cap ?? 4096
  const start = Math.min(height, Math.max(0, options.skipRows ?? 0))
  const counts = new Map<number, number>()
  for (let y = start; y < height; y += 1) {
    for (let x = 0; x < width; x += 1) {
      const at = (y * width + x) * channels
      const colour =
        (((data[at] as number) << 16) | ((data[at + 1] as number) << 8) | (data[at + 2] as number)) >>> 0
      counts.set(colour, (counts.get(colour) ?? 0) + 1)
    }
  }
  const analysed = (height - start) * width
  const background = Math.max(0, ...counts.values())
  return {
    width,
    height,
    distinctColours: Math.min(cap, counts.size),
    contentShare: analysed ? (analysed - background) / analysed : 0,
  }
}

/** Thresholds: a page of text and buttons has hundreds of colours (anti-aliasing) and several % of content. */
export const MIN_DISTINCT_COLOURS = 16
export const MIN_CONTENT_SHARE = 0.01

/** Why a screenshot counts as blank, or undefined when something was drawn. */
export function blankProblem(stats: PixelStats): string | undefined {
  if (stats.distinctColours < MIN_DISTINCT_COLOURS) {
    return `only ${stats.distinctColours} distinct colours below the navigation bar`
  }
  if (stats.contentShare < MIN_CONTENT_SHARE) {
    return `only ${(stats.contentShare * 100).toFixed(2)}% of the pixels below the navigation bar differ from the background`
  }
  return undefined
}

/**
 * Headless Chromium sometimes hands back a full-page capture made of one tile repeated (seen with two tabs capturing
 * at once): the left and right halves then match pixel for pixel, which no page of this app does.
 */
export function tiledProblem(pixels: Pixels): string | undefined {
  const { width, height, channels, data } = pixels
  const half = Math.floor(width / 2)
  if (half === 0) return undefined
  let same = 0
  let compared = 0
  for (let y = 0; y < height; y += 4) {
    for (let x = 0; x < half; x += 2) {
      const left = (y * width + x) * channels
      const right = (y * width + x + half) * channels
      compared += 1
      if (
        data[left] === data[right] &&
        data[left + 1] === data[right + 1] &&
        data[left + 2] === data[right + 2]
      ) {
        same += 1
      }
    }
  }
  // a real page shares its background between halves, never all of its content
  return compared && same / compared > 0.995
    ? 'its left and right halves are the same tile repeated'
    : undefined
}
