import { base64ToBytes } from './base64'

export interface ImageSize {
  width: number
  height: number
}

/** Width and height from a base64 PNG's IHDR chunk, without decoding the image; `undefined` for anything else. */
export function pngSize(base64: string): ImageSize | undefined {
  try {
    const head = base64ToBytes(base64.slice(0, 32))
    const isPng = head[0] === 0x89 && head[1] === 0x50 && head[2] === 0x4e && head[3] === 0x47
    if (!isPng || head.length < 24) return undefined
    const read = (offset: number) =>
      ((head[offset] << 24) | (head[offset + 1] << 16) | (head[offset + 2] << 8) | head[offset + 3]) >>> 0
    const size = { width: read(16), height: read(20) }
    return size.width > 0 && size.height > 0 ? size : undefined
  } catch {
    return undefined
  }
}
