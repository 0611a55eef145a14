/**
 * Is a screenshot blank? Decodes the PNG Chromium wrote (through pngjs, which hands every image back as RGBA) and
 * counts what is drawn: distinct colours, and the share of pixels that differ from the most common colour (the
 * background), below the navigation bar.
 */
import { PNG } from 'pngjs'

export interface Pixels {
  width: number
  height: number
  /** bytes per pixel: 3 (RGB) or 4 (RGBA) */
  channels: 3 | 4
  data: Uint8Array
}

/** The pixels of a PNG file as RGBA; anything pngjs cannot read is refused as "not a PNG file" with its reason. */
export function decodePng(png: Buffer): Pixels {
  try {
    const { width, height, data } = PNG.sync.read(png)
    return { width, height, channels: 4, data }
  } catch (error) {
    throw new Error(`not a PNG file (${error instanceof Error ? error.message : String(error)})`, {
      cause: error,
    })
  }
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
