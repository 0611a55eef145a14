/**
 * The recording of the journey for WeChat's reviewer, from the Chinese light screenshots of `npm run screenshots`:
 * the frames in journey order, one step sheet (every frame side by side under its caption) and an animated GIF of
 * the same frames. Image work is sharp's (libvips, shipped inside its npm packages): resizing, captions drawn from
 * SVG text, joining into a grid and encoding the animation.
 */
import sharp from 'sharp'

export interface JourneyStep {
  /** the screenshot scene (tools/lib/shots-plan.ts) */
  scene: string
  /** the caption over the frame in the step sheet and the GIF */
  caption: string
}

/** launch → bind → captcha → code → home, then the second factor of a user whose policy asks for one. */
export const JOURNEY: readonly JourneyStep[] = [
  { scene: 'launch', caption: '1 启动：说明使用对象，可"暂不登录"' },
  { scene: 'bind-empty', caption: '2 绑定：输入手机号或邮箱' },
  { scene: 'bind-captcha', caption: '3 拼图验证' },
  { scene: 'bind-countdown', caption: '4 验证码已发送，输入后绑定' },
  { scene: 'home', caption: '5 登录成功' },
  { scene: 'mfa', caption: '6 二次验证（单位策略要求时）' },
]

/** Frame size in the sheet and the GIF: a phone screen at 1× (the screenshots are 2×, full page). */
export const FRAME = { width: 375, height: 760 }
const CAPTION_HEIGHT = 44
const GAP = 16
const BACKGROUND = { r: 255, g: 255, b: 255, alpha: 1 }
export const GIF_FRAME_MS = 2200

const escapeXml = (text: string) =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;')

function captionSvg(caption: string): Buffer {
  return Buffer.from(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${FRAME.width}" height="${CAPTION_HEIGHT}">` +
      `<rect width="100%" height="100%" fill="#1f2329"/>` +
      `<text x="14" y="29" font-family="Noto Sans CJK SC, Noto Sans CJK, sans-serif" font-size="17" fill="#ffffff">${escapeXml(caption)}</text>` +
      `</svg>`,
  )
}

/** One frame: the screenshot at phone width, its top part (or padded), under its caption. */
async function frameOf(png: Buffer, caption: string): Promise<Buffer> {
  const screen = await sharp(png)
    .resize({ width: FRAME.width })
    .flatten({ background: BACKGROUND })
    .toBuffer()
  const { height = 0 } = await sharp(screen).metadata()
  const fitted = await sharp(screen)
    .extract({ left: 0, top: 0, width: FRAME.width, height: Math.min(height, FRAME.height) })
    .extend({ bottom: Math.max(0, FRAME.height - height), background: BACKGROUND })
    .toBuffer()
  return sharp({
    create: {
      width: FRAME.width,
      height: FRAME.height + CAPTION_HEIGHT,
      channels: 3,
      background: BACKGROUND,
    },
  })
    .composite([
      { input: captionSvg(caption), top: 0, left: 0 },
      { input: fitted, top: CAPTION_HEIGHT, left: 0 },
    ])
    .png()
    .toBuffer()
}

export interface Recording {
  /** each captioned frame as PNG, in journey order */
  frames: Buffer[]
  /** all frames side by side: PNG */
  sheet: Buffer
  /** the same frames, one after another: GIF, looping */
  animation: Buffer
}

/** `screens[i]` is the PNG of `steps[i]`. */
export async function makeRecording(
  screens: readonly Buffer[],
  steps: readonly JourneyStep[],
): Promise<Recording> {
  if (!screens.length || screens.length !== steps.length) {
    throw new Error(`${screens.length} screenshots for ${steps.length} journey steps`)
  }
  const frames = await Promise.all(screens.map((png, index) => frameOf(png, steps[index]?.caption ?? '')))
  const sheet = await sharp(frames, { join: { across: frames.length, shim: GAP, background: BACKGROUND } })
    .extend({ top: GAP, bottom: GAP, left: GAP, right: GAP, background: BACKGROUND })
    .png({ compressionLevel: 9 })
    .toBuffer()
  const animation = await sharp(frames, { join: { animated: true } })
    .gif({ delay: frames.map(() => GIF_FRAME_MS), loop: 0, effort: 7 })
    .toBuffer()
  return { frames, sheet, animation }
}
