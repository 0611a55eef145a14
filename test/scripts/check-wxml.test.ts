import fs from 'node:fs'
import path from 'node:path'
import { checkWxml } from '../../scripts/check-wxml'
import { tempDir } from './helpers'

const made: string[] = []
afterAll(() => made.forEach((dir) => fs.rmSync(dir, { recursive: true, force: true })))

function miniprogram(files: Record<string, string>): string {
  const dir = tempDir('eiam-wxml-')
  made.push(dir)
  for (const [file, content] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true })
    fs.writeFileSync(path.join(dir, file), content)
  }
  return dir
}

test('valid WXML, WXS modules and npm components compile', () => {
  const dir = miniprogram({
    'pages/a/index.wxml': '<wxs module="fmt" src="../../utils/fmt.wxs" /><view>{{fmt.upper(name)}}</view>',
    'pages/a/index.json': '{"usingComponents":{"van-button":"@vant/weapp/button/index"}}',
    'utils/fmt.wxs': 'module.exports = { upper: function (s) { return s.toUpperCase() } }',
    'miniprogram_npm/@vant/weapp/button/index.wxml': '<button class="van-button"><slot /></button>',
  })
  const lines: string[] = []
  expect(checkWxml({ miniprogramDir: dir, log: (line) => lines.push(line) })).toMatchObject({ files: 2 })
  expect(lines.join('\n')).toMatch(/wcc compiled 2 WXML files \(1 in miniprogram_npm\) and 1 WXS module/)
})

test('broken WXML fails naming every broken file with wcc’s message', () => {
  const dir = miniprogram({
    'pages/a/index.wxml': '<view>fine</view>',
    'pages/b/index.wxml': '<view>\n<text>unclosed</view>\n',
    'components/c/index.wxml': '<view class="{{ open }">x</view>',
  })
  const lines: string[] = []
  expect(() => checkWxml({ miniprogramDir: dir, log: (line) => lines.push(line) })).toThrow(
    'wcc rejected 2 WXML files: components/c/index.wxml:1:12: Bad value with message: did you forget }}, \' or " (and 1 more above).',
  )
  expect(lines).toEqual([
    expect.stringMatching(/^check-wxml: components\/c\/index\.wxml:1:12: /),
    'check-wxml: pages/b/index.wxml:2:17: expect end-tag `text`., near `view`',
  ])
})
