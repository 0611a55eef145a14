/**
 * The captcha's two PNGs as files in the user-data folder, so the page gets two short paths instead of ~77 KB of
 * base64 through setData. Every file is named `captcha-…png`: the captcha removes its own when a puzzle is replaced or
 * closed, and `sweepPuzzleFiles()` at launch removes any an earlier run left (killed mid-puzzle). When the folder
 * cannot be written (storage full, no file system), the images go as data URLs, as before.
 */

export interface PuzzleImages {
  background: string
  piece: string
  /** the files written for these images, to remove when the puzzle goes ('' entries never) */
  files: string[]
}

const FILE_PREFIX = 'captcha-'
const FILE_PATTERN = /^captcha-[\w-]+\.png$/

let written = 0

const dataUrl = (base64: string) => `data:image/png;base64,${base64}`

function fileSystem(): { fs: WechatMiniprogram.FileSystemManager; folder: string } | undefined {
  try {
    const folder = wx.env && wx.env.USER_DATA_PATH
    if (!folder || typeof wx.getFileSystemManager !== 'function') return undefined
    return { fs: wx.getFileSystemManager(), folder }
  } catch {
    return undefined
  }
}

function writeBase64(
  fs: WechatMiniprogram.FileSystemManager,
  filePath: string,
  base64: string,
): Promise<void> {
  return new Promise((resolve, reject) => {
    fs.writeFile({ filePath, data: base64, encoding: 'base64', success: () => resolve(), fail: reject })
  })
}

/** Removes files of an earlier puzzle; a file already gone is fine. */
export function removePuzzleFiles(files: readonly string[]): void {
  const system = fileSystem()
  if (!system) return
  for (const filePath of files) {
    system.fs.unlink({ filePath, fail: () => undefined })
  }
}

/** Writes both images; answers their paths, or data URLs when any write fails (nothing is left behind then). */
export async function savePuzzleImages(backgroundBase64: string, pieceBase64: string): Promise<PuzzleImages> {
  const fallback: PuzzleImages = {
    background: dataUrl(backgroundBase64),
    piece: dataUrl(pieceBase64),
    files: [],
  }
  const system = fileSystem()
  if (!system) return fallback
  written += 1
  const stem = `${system.folder}/${FILE_PREFIX}${Date.now().toString(36)}-${written}`
  const background = `${stem}-bg.png`
  const piece = `${stem}-piece.png`
  const results = await Promise.allSettled([
    writeBase64(system.fs, background, backgroundBase64),
    writeBase64(system.fs, piece, pieceBase64),
  ])
  if (results.every((result) => result.status === 'fulfilled')) {
    return { background, piece, files: [background, piece] }
  }
  removePuzzleFiles(
    [background, piece].filter(
      (_, index) => (results[index] as PromiseSettledResult<void>).status === 'fulfilled',
    ),
  )
  return fallback
}

/** At launch: no puzzle is showing yet, so every puzzle file in the folder is left over from an earlier run. */
export function sweepPuzzleFiles(): void {
  const system = fileSystem()
  if (!system) return
  system.fs.readdir({
    dirPath: system.folder,
    success: ({ files }) => {
      const stale = files.filter((name) => FILE_PATTERN.test(name))
      removePuzzleFiles(stale.map((name) => `${system.folder}/${name}`))
    },
    fail: () => undefined,
  })
}
