/**
 * The slider jigsaw every code send needs (docs/eiam-api.md §3). It loads a puzzle for `sender`, lets the user drag the
 * piece (a native movable-view: no setData while dragging), converts the drop position to the pixels of the
 * background image (310 wide in every known tenant; the PNG's own width counts),
 * verifies it, and emits `verified` with the captcha_token. A wrong drop says so and brings a new puzzle.
 * Events: `verified` { captchaToken, sender }, `close`.
 */
import { t } from '../../i18n/index'
import { isEiamError } from '../../services/errors'
import { type CaptchaPuzzle, fetchCaptcha, PUZZLE_WIDTH, verifyCaptcha } from '../../services/eiam'
import { defineComponent } from '../../utils/define'
import { pngSize, puzzleX } from '../../utils/image'

type Phase = 'idle' | 'loading' | 'ready' | 'verifying' | 'load-failed'

/** AJ-Captcha's geometry, used when an image's size cannot be read. */
const DEFAULT_BACKGROUND = { width: 310, height: 155 }
const DEFAULT_PIECE_WIDTH = 47
const SIDE_MARGIN_PX = 64
const MIN_WIDTH_PX = 240
const MAX_WIDTH_PX = 340

interface Instance {
  puzzle?: CaptchaPuzzle
  /** left edge of the piece in rendered px, from the last drag */
  dragX: number
  /** the background image's own width in px: the unit of the x the tenant checks */
  imageWidth: number
  /** a newer load or close makes an older answer stale */
  generation: number
}

function renderedWidth(): number {
  let windowWidth = 375
  try {
    windowWidth = (typeof wx.getWindowInfo === 'function' ? wx.getWindowInfo() : wx.getSystemInfoSync())
      .windowWidth
  } catch {
    // keep the iPhone-sized default
  }
  return Math.max(MIN_WIDTH_PX, Math.min(MAX_WIDTH_PX, windowWidth - SIDE_MARGIN_PX))
}

/** A wrong position says so; an expired or unknown puzzle (CAPTCHA.0003/0004) is not the user's miss. */
function failureMessage(error: unknown): string {
  if (!isEiamError(error)) return t('captcha.failed')
  if (error.kind !== 'captcha') return error.message
  return error.code === 'SDK.CAPTCHA.0002' ? t('captcha.failed') : t('captcha.expired')
}

defineComponent<Instance>()({
  properties: {
    show: { type: Boolean, value: false },
    /** the phone or email the code will go to: the captcha token is bound to it */
    sender: { type: String, value: '' },
    /** what the puzzle opens with, e.g. why it is shown again */
    notice: { type: String, value: '' },
  },
  data: {
    phase: 'idle' as Phase,
    message: '',
    background: '',
    piece: '',
    widthPx: 0,
    heightPx: 0,
    pieceWidthPx: 0,
    /** the movable-view's position; reset after each attempt */
    x: 0,
    s: { title: '', hint: '', handle: '', refresh: '', close: '' },
  },
  observers: {
    'show, sender'(show: boolean) {
      if (show) this.load(this.data.notice)
      else this.generation = (this.generation || 0) + 1
    },
  },
  lifetimes: {
    attached() {
      this.dragX = 0
      this.generation = 0
      this.setData({
        s: {
          title: t('captcha.title'),
          hint: t('captcha.hint'),
          handle: t('captcha.handle'),
          refresh: t('captcha.refresh'),
          close: t('captcha.close'),
        },
      })
    },
  },
  methods: {
    async load(message: string) {
      const generation = (this.generation || 0) + 1
      this.generation = generation
      this.puzzle = undefined
      this.dragX = 0
      this.setData({
        phase: 'loading',
        message: message || t('captcha.loading'),
        x: this.data.x === 0 ? 0.001 : 0,
      })
      try {
        const puzzle = await fetchCaptcha()
        if (generation !== this.generation) return
        const widthPx = renderedWidth()
        const background = pngSize(puzzle.backgroundImage) || DEFAULT_BACKGROUND
        const pieceWidth = (pngSize(puzzle.pieceImage) || { width: DEFAULT_PIECE_WIDTH }).width
        const scale = widthPx / background.width
        this.puzzle = puzzle
        this.imageWidth = background.width
        this.setData({
          phase: 'ready',
          message,
          background: `data:image/png;base64,${puzzle.backgroundImage}`,
          piece: `data:image/png;base64,${puzzle.pieceImage}`,
          widthPx,
          heightPx: Math.round(background.height * scale),
          pieceWidthPx: Math.round(pieceWidth * scale),
          x: 0,
        })
      } catch (error) {
        if (generation !== this.generation) return
        const reason = isEiamError(error) ? error.message : t('error.unexpected')
        this.setData({ phase: 'load-failed', message: `${t('captcha.loadFailed')} ${reason}` })
      }
    },
    /** movable-view `change`: remember where the piece is; nothing is rendered for it */
    onDragHandle(event: WechatMiniprogram.CustomEvent<{ x: number; source: string }>) {
      if (event.detail.source === 'out-of-bounds') return
      this.dragX = Math.max(0, Number(event.detail.x) || 0)
    },
    async onReleaseHandle() {
      const puzzle = this.puzzle
      if (!puzzle || this.data.phase !== 'ready' || this.dragX <= 0) return
      const generation = this.generation
      const x = puzzleX(this.dragX, this.data.widthPx, this.imageWidth || PUZZLE_WIDTH)
      const sender = this.data.sender
      this.puzzle = undefined
      this.setData({ phase: 'verifying', message: t('captcha.verifying') })
      try {
        const captchaToken = await verifyCaptcha(puzzle, x, sender)
        if (generation !== this.generation) return
        this.setData({ phase: 'idle', message: '' })
        this.triggerEvent('verified', { captchaToken, sender })
      } catch (error) {
        if (generation !== this.generation) return
        // a wrong position spends the puzzle, and so does any other failure: always bring a new one
        this.load(failureMessage(error))
      }
    },
    onTapRefresh() {
      if (this.data.phase === 'verifying') return
      this.load('')
    },
    onTapClose() {
      this.generation = (this.generation || 0) + 1
      this.triggerEvent('close')
    },
  },
})
