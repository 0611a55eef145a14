/**
 * Reads back the PNGs the sandbox draws, independently of its encoder: checks the signature and every chunk's
 * CRC with node:zlib's crc32, inflates the data and undoes the "none" filter the encoder uses.
 */
import { crc32, inflateSync } from 'node:zlib'

export interface DecodedPng {
  width: number
  height: number
  channels: number
  pixel(x: number, y: number): number[]
}

const SIGNATURE = '89504e470d0a1a0a'
const CHANNELS: Record<number, number> = { 2: 3, 6: 4 }

export function decodePng(base64: string): DecodedPng {
  const bytes = Buffer.from(base64, 'base64')
  if (bytes.subarray(0, 8).toString('hex') !== SIGNATURE) throw new Error('not a PNG signature')
  let offset = 8
  let width = 0
  let height = 0
  let channels = 0
  const data: Buffer[] = []
  while (offset < bytes.length) {
    const length = bytes.readUInt32BE(offset)
    const typeAndData = bytes.subarray(offset + 4, offset + 8 + length)
    if (crc32(typeAndData) !== bytes.readUInt32BE(offset + 8 + length)) throw new Error('bad chunk CRC')
    const type = typeAndData.subarray(0, 4).toString('ascii')
    const chunk = typeAndData.subarray(4)
    if (type === 'IHDR') {
      width = chunk.readUInt32BE(0)
      height = chunk.readUInt32BE(4)
      if (chunk[8] !== 8) throw new Error('expected 8-bit samples')
      channels = CHANNELS[chunk[9] ?? -1] ?? 0
      if (!channels) throw new Error(`unexpected colour type ${chunk[9]}`)
    } else if (type === 'IDAT') {
      data.push(chunk)
    }
    offset += 12 + length
  }
  const raw = inflateSync(Buffer.concat(data))
  const stride = width * channels + 1
  if (raw.length !== stride * height) throw new Error('scanline data has the wrong size')
  for (let y = 0; y < height; y++) if (raw[y * stride] !== 0) throw new Error('unexpected filter')
  return {
    width,
    height,
    channels,
    pixel: (x, y) => [...raw.subarray(y * stride + 1 + x * channels, y * stride + 1 + (x + 1) * channels)],
  }
}
