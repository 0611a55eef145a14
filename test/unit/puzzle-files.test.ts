/**
 * The captcha's images as files in the user-data folder (services/puzzle-files.ts), on a wx-node `wx`: what is
 * written where, the data-URL fallback when the folder cannot be used, and what is removed and what is kept.
 */
import { Buffer } from 'node:buffer'
import { freshApp, patchWx, type FreshApp } from '../support/fresh-app'
import { USER_DATA_PATH, type WxNodeOptions } from '../support/wx-node'

type PuzzleFiles = typeof import('../../miniprogram/services/puzzle-files')

/** Two small "images": their bytes are all a test needs to follow them into the files. */
const BACKGROUND = Buffer.from('background image bytes').toString('base64')
const PIECE = Buffer.from('piece').toString('base64')
const NOW = 1700000000000
const STEM = `${USER_DATA_PATH}/captcha-${NOW.toString(36)}`

let app: FreshApp<PuzzleFiles>

function start(options: WxNodeOptions = {}): void {
  app?.uninstall()
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- a fresh module copy per app
  app = freshApp(() => require('../../miniprogram/services/puzzle-files') as PuzzleFiles, options)
}

/** WeChat's callbacks run after the caller's code: let them. */
const settled = () => new Promise((resolve) => setTimeout(resolve, 0))

const fileNames = () => [...app.state.files.keys()]
const textOf = (filePath: string) => Buffer.from(app.state.files.get(filePath) ?? []).toString()
const callsTo = (api: string) => app.state.calls.filter((name) => name === `FileSystemManager.${api}`).length
const dataUrls = {
  background: `data:image/png;base64,${BACKGROUND}`,
  piece: `data:image/png;base64,${PIECE}`,
}

beforeEach(() => {
  jest.spyOn(Date, 'now').mockReturnValue(NOW)
  start()
})
afterEach(() => jest.restoreAllMocks())
afterAll(() => app.uninstall())

describe('saving a puzzle', () => {
  test('writes both images as PNG files named captcha-… in the user-data folder and answers their paths', async () => {
    const images = await app.modules.savePuzzleImages(BACKGROUND, PIECE)
    expect(images).toEqual({
      background: `${STEM}-1-bg.png`,
      piece: `${STEM}-1-piece.png`,
      files: [`${STEM}-1-bg.png`, `${STEM}-1-piece.png`],
    })
    expect(fileNames().sort()).toEqual([`${STEM}-1-bg.png`, `${STEM}-1-piece.png`])
    expect(textOf(images.background)).toBe('background image bytes')
    expect(textOf(images.piece)).toBe('piece')
  })

  test('gives every puzzle new names, so the next one never overwrites the one still showing', async () => {
    const first = await app.modules.savePuzzleImages(BACKGROUND, PIECE)
    const second = await app.modules.savePuzzleImages(PIECE, BACKGROUND)
    expect(second.files).toEqual([`${STEM}-2-bg.png`, `${STEM}-2-piece.png`])
    expect(fileNames()).toHaveLength(4)
    expect(textOf(first.background)).toBe('background image bytes')
    expect(textOf(second.background)).toBe('piece')
  })

  test('answers data URLs and touches no file when there is no user-data folder', async () => {
    patchWx(app.wx, 'env', {})
    expect(await app.modules.savePuzzleImages(BACKGROUND, PIECE)).toEqual({ ...dataUrls, files: [] })
    expect(app.state.calls.filter((name) => name.includes('FileSystemManager'))).toEqual([])
    expect(fileNames()).toEqual([])
  })

  test('answers data URLs when the base library has no file system manager, or it throws', async () => {
    patchWx(app.wx, 'getFileSystemManager', null)
    expect(await app.modules.savePuzzleImages(BACKGROUND, PIECE)).toEqual({ ...dataUrls, files: [] })
    patchWx(app.wx, 'getFileSystemManager', () => {
      throw new Error('getFileSystemManager:fail')
    })
    expect(await app.modules.savePuzzleImages(BACKGROUND, PIECE)).toEqual({ ...dataUrls, files: [] })
    expect(fileNames()).toEqual([])
  })

  test.each([
    ['the piece cannot be written (storage full)', 'the background', 'background image bytes'.length + 2],
    ['the background cannot be written', 'the piece', 'piece'.length + 2],
  ])('when %s, answers data URLs and removes %s it wrote', async (_, __, limit) => {
    start({ fileStorageLimitBytes: limit })
    expect(await app.modules.savePuzzleImages(BACKGROUND, PIECE)).toEqual({ ...dataUrls, files: [] })
    await settled()
    expect(callsTo('writeFile')).toBe(2)
    expect(callsTo('unlink')).toBe(1)
    expect(fileNames()).toEqual([])
  })

  test('when neither can be written, answers data URLs and has nothing to remove', async () => {
    start({ fileStorageLimitBytes: 1 })
    expect(await app.modules.savePuzzleImages(BACKGROUND, PIECE)).toEqual({ ...dataUrls, files: [] })
    expect(callsTo('unlink')).toBe(0)
  })
})

describe('removing a puzzle', () => {
  test('removes exactly the files it is given, and one already gone is no error', async () => {
    const old = await app.modules.savePuzzleImages(BACKGROUND, PIECE)
    const kept = await app.modules.savePuzzleImages(BACKGROUND, PIECE)
    expect(() => app.modules.removePuzzleFiles([`${STEM}-9-bg.png`, ...old.files])).not.toThrow()
    await settled()
    expect(fileNames().sort()).toEqual([...kept.files].sort())
  })

  test('does nothing, and does not throw, without a file system', async () => {
    const images = await app.modules.savePuzzleImages(BACKGROUND, PIECE)
    patchWx(app.wx, 'env', {})
    expect(() => app.modules.removePuzzleFiles(images.files)).not.toThrow()
    await settled()
    expect(fileNames()).toHaveLength(2)
  })
})

describe('the sweep at launch', () => {
  function leave(names: string[]): void {
    const fs = app.wx.getFileSystemManager()
    for (const name of names) fs.writeFileSync(`${USER_DATA_PATH}/${name}`, 'x', 'utf8')
  }

  test('removes every captcha-….png an earlier run left and keeps every other file', async () => {
    const others = [
      'captcha-1-bg.jpg',
      'my-captcha-1.png',
      'notes.txt',
      'captcha-.png',
      'captcha-a b.png',
      'captcha-1-bg.png.part',
    ]
    leave(['captcha-lx1-1-bg.png', 'captcha-lx1-1-piece.png', 'captcha-zz_9.png', ...others])
    app.modules.sweepPuzzleFiles()
    await settled()
    expect(fileNames().sort()).toEqual(others.map((name) => `${USER_DATA_PATH}/${name}`).sort())
  })

  test('does nothing, and does not throw, without a file system or when the folder cannot be listed', async () => {
    leave(['captcha-lx1-1-bg.png'])
    patchWx(app.wx, 'env', {})
    expect(() => app.modules.sweepPuzzleFiles()).not.toThrow()
    patchWx(app.wx, 'env', { USER_DATA_PATH: 'wxfile://elsewhere' })
    expect(() => app.modules.sweepPuzzleFiles()).not.toThrow()
    await settled()
    expect(fileNames()).toEqual([`${USER_DATA_PATH}/captcha-lx1-1-bg.png`])
  })
})
