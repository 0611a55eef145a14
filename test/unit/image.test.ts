/**
 * A PNG's size from its base64 header (utils/image.ts): real images, headers at the edges of what the reader
 * accepts, and anything that is not a PNG.
 */
import { Buffer } from 'node:buffer'
import { PNG } from 'pngjs'
import { pngSize } from '../../miniprogram/utils/image'

const SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]
const IHDR = [0x00, 0x00, 0x00, 0x0d, 0x49, 0x48, 0x44, 0x52]

/** The first bytes of a PNG: signature, IHDR length and type, then width and height as four bytes each. */
const header = (width: number[], height: number[], signature = SIGNATURE) => [
  ...signature,
  ...IHDR,
  ...width,
  ...height,
]
const base64 = (bytes: number[]) => Buffer.from(bytes).toString('base64')

const realPng = (width: number, height: number) =>
  PNG.sync.write(new PNG({ width, height })).toString('base64')

describe('pngSize', () => {
  test('reads the width and height of real PNG images', () => {
    expect(pngSize(realPng(310, 155))).toEqual({ width: 310, height: 155 })
    expect(pngSize(realPng(47, 1))).toEqual({ width: 47, height: 1 })
  })

  test('reads each size as four big-endian bytes', () => {
    const bytes = header([0x01, 0x02, 0x03, 0x04], [0x05, 0x06, 0x07, 0x08])
    expect(pngSize(base64(bytes))).toEqual({ width: 0x01020304, height: 0x05060708 })
  })

  test('keeps sizes of 2^31 and more positive', () => {
    const bytes = header([0x80, 0x00, 0x00, 0x00], [0xff, 0xff, 0xff, 0xff])
    expect(pngSize(base64(bytes))).toEqual({ width: 2 ** 31, height: 2 ** 32 - 1 })
  })

  test('needs only the 24 header bytes, and reads past them nothing that could break it', () => {
    const exact = base64(header([0, 0, 0, 2], [0, 0, 0, 3]))
    expect(exact).toHaveLength(32)
    expect(pngSize(exact)).toEqual({ width: 2, height: 3 })
    expect(pngSize(`${exact}!!not base64 after the header!!`)).toEqual({ width: 2, height: 3 })
  })

  test('answers undefined for a header cut short, even where its last bytes would make a size', () => {
    const cut = header([0, 0, 0, 2], [0, 1, 1, 1]).slice(0, 23)
    expect(pngSize(base64(cut))).toBeUndefined()
    expect(pngSize(base64(SIGNATURE))).toBeUndefined()
    expect(pngSize('')).toBeUndefined()
  })

  test('answers undefined when any of the first four signature bytes differs', () => {
    for (let index = 0; index < 4; index += 1) {
      const signature = [...SIGNATURE]
      signature[index] ^= 0x01
      expect(pngSize(base64(header([0, 0, 0, 2], [0, 0, 0, 3], signature)))).toBeUndefined()
    }
  })

  test('answers undefined for other images and text', () => {
    const gif = Buffer.from('GIF89a\u0002\u0000\u0003\u0000 and more bytes to pass 24').toString('base64')
    expect(pngSize(gif)).toBeUndefined()
    expect(pngSize(Buffer.from('just some text, longer than a header').toString('base64'))).toBeUndefined()
  })

  test('answers undefined for a zero width or a zero height', () => {
    expect(pngSize(base64(header([0, 0, 0, 0], [0, 0, 0, 3])))).toBeUndefined()
    expect(pngSize(base64(header([0, 0, 0, 2], [0, 0, 0, 0])))).toBeUndefined()
    expect(pngSize(base64(header([0, 0, 0, 1], [0, 0, 0, 1])))).toEqual({ width: 1, height: 1 })
  })

  test('answers undefined for text that is not base64', () => {
    expect(pngSize('iVBORw0KGgo*AAAANSUhEUgAAATYAAACb')).toBeUndefined()
    expect(pngSize('iVBORw0KG')).toBeUndefined()
  })
})
