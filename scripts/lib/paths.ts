import path from 'node:path'

/** The repository root: the folder holding project.config.json and package.json. */
export const ROOT = path.resolve(__dirname, '..', '..')

/** Where `npm run build` stages its copy of the project and writes the compiled files, relative to the root. */
export const DEFAULT_STAGE_DIR = path.join('.tmp', 'build')
export const DEFAULT_OUT_DIR = 'dist'
export const DEFAULT_QR_PATH = path.join('reports', 'preview-qr.jpg')

/** A path as a person reads it in a log line: relative to the root when inside it, absolute otherwise. */
export function displayPath(target: string, rootDir = ROOT): string {
  const relative = path.relative(rootDir, target)
  return relative && !relative.startsWith('..') && !path.isAbsolute(relative) ? relative : target
}

/** True when `inner` is `outer` or lies inside it. */
export function isWithin(inner: string, outer: string): boolean {
  const relative = path.relative(path.resolve(outer), path.resolve(inner))
  return relative === '' || (!relative.startsWith('..') && !path.isAbsolute(relative))
}
