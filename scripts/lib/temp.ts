import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'

/** Temp folders still on disk; removed by their owner's `finally`, or on exit/interrupt by the CLI runner. */
const liveTempDirs = new Set<string>()

/** A fresh folder only this user can enter (0700), under the OS temp dir. */
export function makeTempDir(prefix: string, parent = os.tmpdir()): string {
  const dir = fs.mkdtempSync(path.join(parent, prefix))
  fs.chmodSync(dir, 0o700)
  liveTempDirs.add(dir)
  return dir
}

export function removeTempDir(dir: string): void {
  fs.rmSync(dir, { recursive: true, force: true })
  liveTempDirs.delete(dir)
}

export function removeAllTempDirs(): void {
  for (const dir of [...liveTempDirs]) {
    try {
      removeTempDir(dir)
    } catch {
      // best effort on the way out; the owner's finally already tried
    }
  }
}
