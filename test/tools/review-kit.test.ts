/**
 * `npm run review-kit`: the privacy declaration follows the code (tools/lib/review-scan.ts, review-privacy.ts), the
 * domain checklist follows the tenant config, the reviewer note says what a reviewer needs, and the kit's files exist,
 * the images non-empty (the screenshots themselves are `npm run screenshots`' job: here they are stand-ins).
 */
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import sharp from 'sharp'
import { KIT_FILES, reviewKit } from '../../tools/review-kit'
import { JOURNEY } from '../../tools/lib/review-recording'
import { pngName, SCENES, SHOTS_DIR } from '../../tools/lib/shots-plan'
import { TENANTS } from '../../miniprogram/config/tenant'
import { checkDomain, renderDomainChecklist } from '../../tools/lib/review-domains'
import { renderReviewerNote } from '../../tools/lib/review-note'
import { declarationOf, pasteText, PRIVACY_ITEMS, renderDeclaration } from '../../tools/lib/review-privacy'
import { readAppSources, scanSources, type SourceFile } from '../../tools/lib/review-scan'

const APP_ROOT = path.resolve(__dirname, '../../miniprogram')
const appSources = readAppSources(APP_ROOT)
const idsOf = (files: readonly SourceFile[]) => declarationOf(scanSources(files)).map((entry) => entry.id)

describe('the privacy declaration', () => {
  test("of this app: the phone number (one-tap), the clipboard (the unlink request for IT) and the device facts sent to the tenant, found in the app's own code", () => {
    const declared = declarationOf(scanSources(appSources))
    expect(declared.map((entry) => [entry.id, entry.declare])).toEqual([
      ['phone', 'required'],
      ['clipboard', 'required'],
      ['device', 'recommended'],
    ])
    const phone = declared[0]
    // the open-types the tenant's oneTap picks from, whichever it picks
    expect(phone?.foundAt).toEqual([
      expect.stringMatching(/^open-type=getPhoneNumber @ services\/one-tap\.ts:\d+$/),
      expect.stringMatching(/^open-type=getRealtimePhoneNumber @ services\/one-tap\.ts:\d+$/),
    ])
    expect(
      declared[1]?.foundAt.some((place) => place.startsWith('wx.setClipboardData @ pages/account/')),
    ).toBe(true)
    expect(declared[2]?.foundAt.some((place) => place.startsWith('wx.getDeviceInfo @ services/'))).toBe(true)
    // the packed npm components are not part of the scan
    expect(appSources.some((file) => file.path.startsWith('miniprogram_npm/'))).toBe(false)
  })

  test('adding a call to a privacy API in the code adds its item, with wording ready to paste', () => {
    const withLocation = [
      ...appSources,
      { path: 'pages/home/where.ts', text: "export const where = () => wx.getLocation({ type: 'gcj02' })\n" },
    ]
    const declared = declarationOf(scanSources(withLocation))
    expect(declared.map((entry) => entry.id).filter((id) => id !== 'location')).toEqual(idsOf(appSources))
    const location = declared.find((entry) => entry.id === 'location')
    expect(location?.foundAt).toEqual(['wx.getLocation @ pages/home/where.ts:1'])
    const text = renderDeclaration(declarationOf(scanSources(appSources)), TENANTS.release.name)
    expect(text).toContain('## 2. 读取或写入你的剪切板 / your clipboard')
    expect(text).toContain(
      '填写内容（中文）：为了【复制支持代码等内容，方便你发送给 IT 支持】，开发者将在获取你的明示同意后，读取或写入你的剪切板。',
    )
  })

  test('a comment, a string or another object mentioning an API changes nothing', () => {
    const mentions = [
      ...appSources,
      {
        path: 'utils/notes.ts',
        text: [
          '// wx.getLocation would need a declaration',
          "export const name = 'wx.chooseImage'",
          'export const other = { wx: { chooseMedia: 1 } }.wx.chooseMedia',
        ].join('\n'),
      },
      {
        path: 'pages/x/index.wxml',
        text: '<!-- <button open-type="chooseAvatar"> --><view>wx.getLocation</view>',
      },
    ]
    expect(idsOf(mentions)).toEqual(['phone', 'clipboard', 'device'])
  })

  test('the phone item goes with the last phone-number open-type: in a template or computed in TypeScript', () => {
    const withoutPhone = appSources.map((file) => ({
      ...file,
      text: file.text.replace(/getPhoneNumber|getRealtimePhoneNumber/g, 'contact'),
    }))
    expect(idsOf(withoutPhone)).toEqual(['clipboard', 'device'])
    expect(
      idsOf([{ path: 'a.wxml', text: "<button open-type=\"{{on ? 'getRealtimePhoneNumber' : ''}}\"/>" }]),
    ).toEqual(['phone'])
    expect(idsOf([{ path: 'a.ts', text: "const openType = on ? 'getPhoneNumber' : ''" }])).toEqual(['phone'])
    expect(idsOf([{ path: 'a.wxml', text: '<input type="nickname" /><camera />' }])).toEqual([
      'avatar',
      'camera',
    ])
  })

  test('every item has wording in both languages and a place in the form', () => {
    for (const entry of PRIVACY_ITEMS) {
      expect(pasteText(entry, 'zh')).toMatch(/^为了【.+】，开发者将在获取你的明示同意后，.+你的.+。$/)
      expect(pasteText(entry, 'en')).toMatch(
        /^To support .+, the developer will, with your express consent, process .+\.$/,
      )
    }
    expect(new Set(PRIVACY_ITEMS.map((entry) => entry.id)).size).toBe(PRIVACY_ITEMS.length)
  })
})

describe('the domain checklist', () => {
  test("flags the template's placeholders, so a kit made before configuring the tenant says what is missing", () => {
    const { checks, text } = renderDomainChecklist(TENANTS, scanSources(appSources))
    expect(checks.map((check) => check.env)).toEqual(['trial', 'release'])
    expect(checks[1]?.problems).toEqual([
      "still the template's placeholder: set the tenant's own domain in miniprogram/config/tenant.ts",
      'the client id is still the placeholder: set the application client id of the tenant',
    ])
    expect(text).toContain(
      '- [x] uploadFile 合法域名 / upload domains: none needed (the code makes no such call).',
    )
  })

  test('passes a configured tenant and refuses http, addresses and paths', () => {
    expect(
      checkDomain('release', { baseUrl: 'https://acme.idaas.example-corp.cn', clientId: 'abc' }),
    ).toEqual({
      env: 'release',
      requestDomain: 'https://acme.idaas.example-corp.cn',
      problems: [],
    })
    expect(checkDomain('trial', { baseUrl: 'http://10.0.0.8:8080/api', clientId: 'abc' }).problems).toEqual([
      'WeChat accepts only https request domains',
      'an IP address or localhost cannot be a request domain',
      'baseUrl must be the origin only, with no path',
    ])
  })
})

describe('the reviewer note', () => {
  const recording = { sheet: 'journey-steps.zh.png', animation: 'journey.zh.gif' }

  test('says who the app is for, how to leave, the way through with the test account and where the recording is', () => {
    const { text, missing } = renderReviewerNote({
      release: TENANTS.release,
      account: { account: '13800138000', contact: 'IT 服务台 010-1234' },
      recording,
    })
    expect(missing).toEqual([])
    expect(text).toContain(`仅供${TENANTS.release.name.zh}员工使用`)
    expect(text).toContain(`for employees of ${TENANTS.release.name.en} only`)
    expect(text).toContain('"暂不登录"（退出小程序）')
    expect(text).toContain('"Not now" (leaves the mini program)')
    expect(text).toContain('输入测试账号 13800138000')
    expect(text).toContain('ask IT 服务台 010-1234 for it')
    for (const file of Object.values(recording)) expect(text.split(file).length - 1).toBe(2)
    expect(text).toContain('本版本未开启"使用微信手机号"')
  })

  test('without a test account it leaves a visible blank and says what to set', () => {
    const { text, missing } = renderReviewerNote({ release: TENANTS.release, account: {}, recording })
    expect(missing).toEqual([
      'REVIEW_ACCOUNT (the test phone number or email of the tenant)',
      'REVIEW_CONTACT (who sends the reviewer the code during review)',
    ])
    expect(text).toContain('输入测试账号 【请填写】')
    expect(text).toContain('enter the test account [fill in]')
  })
})

describe('the kit', () => {
  let rootDir: string
  beforeAll(() => {
    rootDir = fs.mkdtempSync(path.join(os.tmpdir(), 'eiam-review-kit-'))
    fs.symlinkSync(APP_ROOT, path.join(rootDir, 'miniprogram'), 'dir')
  })
  afterAll(() => fs.rmSync(rootDir, { recursive: true, force: true }))

  test('every journey step is a scene the screenshots take, in journey order', () => {
    const names = SCENES.map((scene) => scene.name)
    expect(JOURNEY.map((step) => step.scene)).toEqual([
      'launch',
      'bind-empty',
      'bind-captcha',
      'bind-countdown',
      'home',
      'mfa',
    ])
    for (const step of JOURNEY) expect(names).toContain(step.scene)
  })

  test('writes the note, the declaration, the domains, the frames in order, one step sheet and a GIF of the same frames', async () => {
    const taken: string[] = []
    const lines: string[] = []
    const result = await reviewKit({
      rootDir,
      env: { REVIEW_ACCOUNT: '13800138000' },
      log: (line) => lines.push(line),
      // stand-ins for npm run screenshots: full-page PNGs at 2x, of different heights
      takeScreenshots: async (root) => {
        const dir = path.join(root, SHOTS_DIR)
        fs.mkdirSync(dir, { recursive: true })
        for (const [index, step] of JOURNEY.entries()) {
          const png = await sharp({
            create: {
              width: 750,
              height: 1200 + index * 150,
              channels: 3,
              background: { r: 30 * index, g: 140, b: 90 },
            },
          })
            .png()
            .toBuffer()
          fs.writeFileSync(path.join(dir, pngName(step.scene, 'zh', 'light')), png)
          taken.push(step.scene)
        }
      },
    })
    expect(taken).toHaveLength(JOURNEY.length)
    const outDir = path.join(rootDir, 'reports', 'review')
    const read = (name: string) => fs.readFileSync(path.join(outDir, name))
    for (const name of [
      KIT_FILES.note,
      KIT_FILES.declaration,
      KIT_FILES.declarationJson,
      KIT_FILES.domains,
      KIT_FILES.index,
    ]) {
      expect(read(name).length).toBeGreaterThan(200)
    }
    expect(read(KIT_FILES.note).toString()).toContain('输入测试账号 13800138000')
    expect(
      JSON.parse(read(KIT_FILES.declarationJson).toString()).map((item: { id: string }) => item.id),
    ).toEqual(['phone', 'clipboard', 'device'])

    expect(result.frames).toEqual(JOURNEY.map((step, index) => `journey/0${index + 1}-${step.scene}.zh.png`))
    const frames = await Promise.all(result.frames.map((name) => sharp(read(name)).metadata()))
    for (const frame of frames) expect(frame).toMatchObject({ format: 'png', width: 375 })
    const heights = new Set(frames.map((frame) => frame.height))
    expect(heights.size).toBe(1) // one frame size, whatever the page's length

    const sheet = await sharp(read(KIT_FILES.sheet)).stats()
    const sheetInfo = await sharp(read(KIT_FILES.sheet)).metadata()
    expect(sheetInfo).toMatchObject({ format: 'png' })
    expect(sheetInfo.width).toBeGreaterThan(375 * JOURNEY.length)
    // not a blank canvas: the frames' colours are in it
    expect(sheet.channels[0]?.max).toBeGreaterThan(sheet.channels[0]?.min ?? 255)

    const gif = await sharp(read(KIT_FILES.animation), { animated: true }).metadata()
    expect(gif).toMatchObject({ format: 'gif', pages: JOURNEY.length, width: 375, loop: 0 })
    expect(lines.join('\n')).toContain('the reviewer note has a blank: set REVIEW_CONTACT')
  })

  test('reuses screenshots already taken, and says which frame is missing when one is', async () => {
    const reusing = (takeScreenshots: () => Promise<void>) =>
      reviewKit({ rootDir, env: {}, log: () => undefined, reuseScreenshots: true, takeScreenshots })
    await expect(
      reusing(async () => {
        throw new Error('should not be called')
      }),
    ).resolves.toMatchObject({ frames: expect.any(Array) })
    fs.rmSync(path.join(rootDir, SHOTS_DIR, pngName('mfa', 'zh', 'light')))
    await expect(reusing(async () => undefined)).rejects.toThrow(
      `The screenshots lack ${pngName('mfa', 'zh', 'light')}`,
    )
  })
})
