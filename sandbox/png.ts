/**
 * The captcha images as PNG, through pngjs: 8-bit RGB or RGBA, filter "none" (the images are small and drawn per
 * puzzle, so the cheapest filter wins over a few bytes saved).
 */
import { PNG } from 'pngjs'

export interface RasterImage {
  width: number
  height: number
  /** 3 = RGB, 4 = RGBA. */
  channels: 3 | 4
  /** Row-major, `width * height * channels` bytes. */
  pixels: Uint8Array | Uint8ClampedArray
}

const COLOUR_TYPE = { 3: 2, 4: 6 } as const

export function encodePng(image: RasterImage): Buffer {
  const { width, height, channels, pixels } = image
  if (pixels.length !== width * height * channels) {
    throw new RangeError(`expected ${width * height * channels} pixel bytes, got ${pixels.length}`)
  }
  const png = new PNG({ width, height })
  png.data = Buffer.from(pixels.buffer, pixels.byteOffset, pixels.length)
  return PNG.sync.write(png, {
    colorType: COLOUR_TYPE[channels],
    inputColorType: COLOUR_TYPE[channels],
    inputHasAlpha: channels === 4,
    filterType: 0,
  })
}
