/**
 * `npm run check:wxml`: the official WXML compiler (wcc, from miniprogram-compiler) over every WXML file of
 * miniprogram/, miniprogram_npm included — those files ship too (the ones pages use), and wcc resolves their WXS
 * modules and templates the way DevTools does. The offline compile (getCompiledResult) does not reject broken WXML;
 * this does, naming the file, line and column.
 */
import fs from 'node:fs'
import { createRequire } from 'node:module'
import path from 'node:path'
import { condense, fail, isMainModule, messageOf, plural, runCli, seconds } from './lib/errors'
import { ROOT } from './lib/paths'

interface WxmlCompiler {
  wxmlToJs(
    rootPath: string,
    options?: { wxmlList?: string[]; wxsList?: string[]; maxBuffer?: number },
  ): string
}

const loadCompiler = () => createRequire(__filename)('miniprogram-compiler') as WxmlCompiler
/** wcc's output for all of Vant is ~0.3 MB; the package's 1 MB default would fail on a larger app. */
const WCC_MAX_BUFFER = 64 * 1024 * 1024
const WCC_PREFIX = /^编译 \.wxml 文件错误：/

export interface CheckWxmlOptions {
  rootDir?: string
  /** The mini program folder to check; `<rootDir>/miniprogram` by default. */
  miniprogramDir?: string
  log?: (line: string) => void
}

export interface WxmlFailure {
  file: string
  message: string
}

/** Files under `dir` ending in `extension`, relative, with `/` separators, sorted. */
function listFiles(dir: string, extension: string): string[] {
  return fs
    .readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((file) => file.endsWith(extension) && !file.split(path.sep).includes('node_modules'))
    .filter((file) => fs.statSync(path.join(dir, file)).isFile())
    .map((file) => file.split(path.sep).join('/'))
    .sort()
}

function compile(
  compiler: WxmlCompiler,
  dir: string,
  wxmlList: string[],
  wxsList: string[],
): string | undefined {
  try {
    compiler.wxmlToJs(dir, { wxmlList, wxsList, maxBuffer: WCC_MAX_BUFFER })
    return undefined
  } catch (error) {
    const errno = (error as NodeJS.ErrnoException).code
    if (errno === 'ENOENT' || errno === 'EACCES') {
      fail(`Cannot run the official WXML compiler wcc (${errno}): reinstall miniprogram-compiler (npm ci).`)
    }
    return condense(messageOf(error).trim().replace(WCC_PREFIX, ''))
  }
}

/** Compiles every WXML file; fails with the file and wcc's message for each one that does not compile. */
export function checkWxml(options: CheckWxmlOptions = {}): { files: number; ms: number } {
  const rootDir = options.rootDir ?? ROOT
  const dir = options.miniprogramDir ?? path.join(rootDir, 'miniprogram')
  const log = options.log ?? console.log
  const started = Date.now()
  const wxmlList = listFiles(dir, '.wxml')
  const wxsList = listFiles(dir, '.wxs')
  if (!wxmlList.length) fail(`No WXML files under ${dir}: nothing for wcc to check.`)
  const compiler = loadCompiler()

  const combined = compile(compiler, dir, wxmlList, wxsList)
  if (combined !== undefined) {
    // wcc stops at the first error; compile file by file to name every broken one
    const failures: WxmlFailure[] = []
    for (const file of wxmlList) {
      const message = compile(compiler, dir, [file], wxsList)
      if (message !== undefined) failures.push({ file, message })
    }
    if (!failures.length) failures.push({ file: 'miniprogram', message: combined })
    for (const { message } of failures) log(`check-wxml: ${message}`)
    const [first] = failures
    const more = failures.length > 1 ? ` (and ${failures.length - 1} more above)` : ''
    fail(`wcc rejected ${plural(failures.length, 'WXML file')}: ${first.message}${more}.`)
  }
  const npmFiles = wxmlList.filter((file) => file.startsWith('miniprogram_npm/')).length
  const ms = Date.now() - started
  log(
    `check-wxml: wcc compiled ${plural(wxmlList.length, 'WXML file')} (${npmFiles} in miniprogram_npm) and ${plural(wxsList.length, 'WXS module')} in ${seconds(ms)}`,
  )
  return { files: wxmlList.length, ms }
}

if (isMainModule(__filename)) {
  void runCli(async () => {
    if (process.argv.length > 2) fail(`Unknown option ${process.argv[2]}: check-wxml takes no options.`)
    checkWxml()
  })
}
