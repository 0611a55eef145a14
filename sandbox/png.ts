/**
 * A minimal PNG encoder (8-bit RGB or RGBA, no interlace, filter "none"), enough for the captcha images.
 * Layout: signature, IHDR, one IDAT holding the zlib stream of the scanlines, IEND; each chunk ends with a CRC-32.
 */
import { deflateSync } from 'node:zlib'

export interface RasterImage {
  width: number
  height: number
  /** 3 = RGB, 4 = RGBA. */
  channels: 3 | 4
  /** Row-major, `width * height * channels` bytes. */
  pixels: Uint8Array | Uint8ClampedArray
}

const SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])
const COLOUR_TYPE = { 3: 2, 4: 6 } as const
const FILTER_NONE = 0

const CRC_TABLE = (() => {
  const table = new Uint32Array(256)
  for (let n = 0; n < 256; n++) {
    let c = n
    for (let bit = 0; bit < 8; bit++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1
    table[n] = c >>> 0
  }
  return table
})()

export function crc32(bytes: Uint8Array): number {
  let crc = 0xffffffff
  // an indexed loop: iterating a Buffer with for…of is several times slower, and more so across vm contexts (jest)
  for (let index = 0; index < bytes.length; index++) {
    crc = (CRC_TABLE[(crc ^ (bytes[index] ?? 0)) & 0xff] ?? 0) ^ (crc >>> 8)
  }
  return (crc ^ 0xffffffff) >>> 0
}

function chunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4)
  length.writeUInt32BE(data.length)
  const typeAndData = Buffer.concat([Buffer.from(type, 'ascii'), data])
  const crc = Buffer.alloc(4)
  crc.writeUInt32BE(crc32(typeAndData))
  return Buffer.concat([length, typeAndData, crc])
}

export function encodePng(image: RasterImage): Buffer {
  const { width, height, channels, pixels } = image
  const rowBytes = width * channels
  if (pixels.length !== rowBytes * height) {
    throw new RangeError(`expected ${rowBytes * height} pixel bytes, got ${pixels.length}`)
  }
  const header = Buffer.alloc(13)
  header.writeUInt32BE(width, 0)
  header.writeUInt32BE(height, 4)
  header[8] = 8 // bit depth
  header[9] = COLOUR_TYPE[channels]
  header[10] = 0 // compression: deflate
  header[11] = 0 // filter method: adaptive (each row names its filter)
  header[12] = 0 // no interlace
  const scanlines = Buffer.alloc((rowBytes + 1) * height)
  for (let y = 0; y < height; y++) {
    const start = y * (rowBytes + 1)
    scanlines[start] = FILTER_NONE
    scanlines.set(pixels.subarray(y * rowBytes, (y + 1) * rowBytes), start + 1)
  }
  return Buffer.concat([
    SIGNATURE,
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(scanlines)),
    chunk('IEND', Buffer.alloc(0)),
  ])
}
