/**
 * What the mini program's own code asks of WeChat, read from the source (not from a list kept by hand): every `wx.*`
 * API it names and every `open-type` its buttons can take. The privacy declaration and the domain checklist of
 * `npm run review-kit` are written from this, so adding a call in the code changes them.
 *
 * TypeScript is read with the TypeScript parser (comments and text inside strings never count); WXML with its
 * comments removed. `open-type` values count wherever they appear as a whole string: in a template (`open-type="x"`,
 * `open-type="{{ok ? 'x' : ''}}"`) or in the TypeScript that computes a bound value.
 */
import fs from 'node:fs'
import path from 'node:path'
import ts from 'typescript'

export interface SourceFile {
  /** relative to the scanned root, with `/` */
  path: string
  text: string
}

/** Where a use was seen: `pages/bind/index.ts:12`. */
export type Place = string

export interface AppUses {
  /** `wx.getDeviceInfo` → the places that name it */
  apis: Map<string, Place[]>
  /** `getPhoneNumber` → the places it can be an open-type */
  openTypes: Map<string, Place[]>
  /** `<input type="nickname">` and other privacy-relevant tags, e.g. `input[type=nickname]`, `camera` */
  tags: Map<string, Place[]>
}

/** The open-type values WeChat's buttons know that concern privacy; other strings are ignored. */
export const PRIVACY_OPEN_TYPES = ['getPhoneNumber', 'getRealtimePhoneNumber', 'chooseAvatar'] as const

const add = (map: Map<string, Place[]>, key: string, place: Place) => {
  const places = map.get(key) || []
  if (!places.includes(place)) places.push(place)
  map.set(key, places)
}

function scanTypeScript(file: SourceFile, uses: AppUses): void {
  const source = ts.createSourceFile(file.path, file.text, ts.ScriptTarget.ES2019, true)
  const placeOf = (node: ts.Node) =>
    `${file.path}:${source.getLineAndCharacterOfPosition(node.getStart(source)).line + 1}`
  const visit = (node: ts.Node): void => {
    if (
      ts.isPropertyAccessExpression(node) &&
      ts.isIdentifier(node.expression) &&
      node.expression.text === 'wx'
    ) {
      add(uses.apis, `wx.${node.name.text}`, placeOf(node))
    } else if (
      ts.isElementAccessExpression(node) &&
      ts.isIdentifier(node.expression) &&
      node.expression.text === 'wx' &&
      ts.isStringLiteralLike(node.argumentExpression)
    ) {
      add(uses.apis, `wx.${node.argumentExpression.text}`, placeOf(node))
    } else if (
      ts.isStringLiteralLike(node) &&
      (PRIVACY_OPEN_TYPES as readonly string[]).includes(node.text)
    ) {
      add(uses.openTypes, node.text, placeOf(node))
    }
    ts.forEachChild(node, visit)
  }
  visit(source)
}

const lineAt = (text: string, index: number) => text.slice(0, index).split('\n').length

function scanWxml(file: SourceFile, uses: AppUses): void {
  // comments become blanks of the same length, so line numbers stay true
  const text = file.text.replace(/<!--[\s\S]*?-->/g, (comment) => comment.replace(/[^\n]/g, ' '))
  for (const match of text.matchAll(/open-type\s*=\s*("([^"]*)"|'([^']*)')/g)) {
    const value = match[2] !== undefined ? match[2] : match[3] || ''
    for (const openType of PRIVACY_OPEN_TYPES) {
      if (new RegExp(`(^|[^\\w])${openType}([^\\w]|$)`).test(value)) {
        add(uses.openTypes, openType, `${file.path}:${lineAt(text, match.index || 0)}`)
      }
    }
  }
  for (const match of text.matchAll(/<input\b[^>]*\btype\s*=\s*["']nickname["']/g)) {
    add(uses.tags, 'input[type=nickname]', `${file.path}:${lineAt(text, match.index || 0)}`)
  }
  for (const match of text.matchAll(/<(camera|live-pusher|voip-room)\b/g)) {
    add(uses.tags, match[1], `${file.path}:${lineAt(text, match.index || 0)}`)
  }
}

export function scanSources(files: readonly SourceFile[]): AppUses {
  const uses: AppUses = { apis: new Map(), openTypes: new Map(), tags: new Map() }
  for (const file of files) {
    if (/\.ts$/.test(file.path) && !/\.d\.ts$/.test(file.path)) scanTypeScript(file, uses)
    else if (/\.wxml$/.test(file.path)) scanWxml(file, uses)
  }
  return uses
}

/**
 * The app's own TypeScript and WXML under `root` (the `miniprogram/` folder). Packed npm components are left out: the
 * packed folder holds every component of the library, used or not, and the ones this app uses call no privacy API.
 */
export function readAppSources(root: string): SourceFile[] {
  const files: SourceFile[] = []
  const walk = (dir: string) => {
    for (const entry of fs
      .readdirSync(dir, { withFileTypes: true })
      .sort((a, b) => a.name.localeCompare(b.name))) {
      const full = path.join(dir, entry.name)
      if (entry.isDirectory()) {
        if (entry.name !== 'miniprogram_npm' && entry.name !== 'node_modules') walk(full)
      } else if (/\.(ts|wxml)$/.test(entry.name) && !/\.d\.ts$/.test(entry.name)) {
        files.push({
          path: path.relative(root, full).split(path.sep).join('/'),
          text: fs.readFileSync(full, 'utf8'),
        })
      }
    }
  }
  walk(root)
  return files
}
