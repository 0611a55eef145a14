/**
 * The slider jigsaw every code send needs (docs/eiam-api.md §3). It loads a puzzle for `sender` and lets the user place the
 * piece two ways: drag it (a native movable-view: no setData while dragging; releasing the drag submits), or move it
 * with buttons (10 image px per tap, 1 px with the fine pair) and submit with Check — which also serves a mouse on PC
 * WeChat and a screen reader (the handle is an aria slider with its value). The position is kept in the background
 * image's own pixels, which is what the server checks. The images go to files (services/puzzle-files.ts), removed
 * when the puzzle is replaced or closed. A wrong position says so and brings a new puzzle. "Can't do the puzzle?"
 * lists this tenant's other ways through (`other-channel`, `one-tap`, the support contact).
 * Events: `verified` { captchaToken, sender }, `close`, `switchchannel` { channel }.
 */
import { tenant } from '../../config/index'
import { language, t } from '../../i18n/index'
import { isEiamError } from '../../services/errors'
import { type CaptchaPuzzle, fetchCaptcha, verifyCaptcha } from '../../services/eiam'
import { removePuzzleFiles, savePuzzleImages } from '../../services/puzzle-files'
import { defineComponent } from '../../utils/define'
import { pngSize } from '../../utils/image'

type Phase = 'idle' | 'loading' | 'ready' | 'verifying' | 'load-failed'

/** AJ-Captcha's geometry, used when an image's size cannot be read. */
const DEFAULT_BACKGROUND = { width: 310, height: 155 }
const DEFAULT_PIECE_WIDTH = 47
const SIDE_MARGIN_PX = 64
const MIN_WIDTH_PX = 240
const MAX_WIDTH_PX = 340
/** Image px per tap of the arrow buttons: 10 reaches within the server's ±5 of any gap; 1 is for fine placing. */
export const COARSE_STEP = 10
export const FINE_STEP = 1

interface Instance {
  puzzle?: CaptchaPuzzle
  /** the piece's left edge in the background image's pixels, wherever the drag or the buttons left it */
  position: number
  /** the farthest the piece goes: background width − piece width, image px */
  maxPosition: number
  /** background image px per rendered px */
  imagePerPx: number
  /** a drag moved the piece since the last button or check: releasing it submits */
  dragged: boolean
  /** the files of the puzzle on screen */
  files: string[]
  /** a newer load or close makes an older answer stale */
  generation: number
}

function renderedWidth(): number {
  let windowWidth = 375
  try {
    windowWidth = wx.getWindowInfo().windowWidth
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

const round1 = (value: number) => Math.round(value * 10) / 10

/** The strings the template shows (the others are messages set as they happen). */
const SHOWN_STRINGS = [
  'title',
  'hint',
  'handle',
  'refresh',
  'close',
  'left',
  'right',
  'leftFine',
  'rightFine',
  'check',
  'help',
  'helpTitle',
  'helpEmail',
  'helpMobile',
  'helpSwitchEmail',
  'helpSwitchMobile',
  'helpOneTap',
  'helpSupport',
] as const
type ShownString = (typeof SHOWN_STRINGS)[number]

defineComponent<Instance>()({
  properties: {
    show: { type: Boolean, value: false },
    /** the phone or email the code will go to: the captcha token is bound to it */
    sender: { type: String, value: '' },
    /** what the puzzle opens with, e.g. why it is shown again */
    notice: { type: String, value: '' },
    /** the channel this page could send the code through instead ('' when none): offered under "Can't do the puzzle?" */
    otherChannel: { type: String, value: '' },
    /** the page offers one-tap with the WeChat phone number (no puzzle) */
    oneTap: { type: Boolean, value: false },
  },
  data: {
    phase: 'idle' as Phase,
    message: '',
    background: '',
    piece: '',
    widthPx: 0,
    heightPx: 0,
    pieceWidthPx: 0,
    /** the movable-view's position in rendered px; set by the buttons and reset after each attempt */
    x: 0,
    /** the piece's position for screen readers, image px (aria-valuenow; min 0, max `max`) */
    position: 0,
    max: 0,
    helpOpen: false,
    s: {} as Record<ShownString, string>,
  },
  observers: {
    'show, sender'(show: boolean) {
      if (show) this.load(this.data.notice)
      else this.dropPuzzle()
    },
  },
  lifetimes: {
    attached() {
      this.position = 0
      this.maxPosition = 0
      this.imagePerPx = 1
      this.dragged = false
      this.files = []
      this.generation = 0
      const s = {} as Record<ShownString, string>
      for (const key of SHOWN_STRINGS) s[key] = t(`captcha.${key}`)
      s.helpSupport = t('captcha.helpSupport', { contact: tenant().supportContact[language()] })
      this.setData({ s })
    },
    detached() {
      this.dropPuzzle()
    },
  },
  methods: {
    /** Forgets the puzzle on screen and removes its files; any answer still on its way is stale. */
    dropPuzzle() {
      this.generation = (this.generation || 0) + 1
      this.puzzle = undefined
      if (this.files && this.files.length) removePuzzleFiles(this.files)
      this.files = []
    },
    async load(message: string) {
      this.dropPuzzle()
      const generation = this.generation
      this.position = 0
      this.dragged = false
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
        const images = await savePuzzleImages(puzzle.backgroundImage, puzzle.pieceImage)
        if (generation !== this.generation) {
          removePuzzleFiles(images.files)
          return
        }
        const scale = widthPx / background.width
        this.puzzle = puzzle
        this.files = images.files
        this.imagePerPx = background.width / widthPx
        this.maxPosition = Math.max(0, background.width - pieceWidth)
        this.setData({
          phase: 'ready',
          message,
          background: images.background,
          piece: images.piece,
          widthPx,
          heightPx: Math.round(background.height * scale),
          pieceWidthPx: Math.round(pieceWidth * scale),
          x: 0,
          position: 0,
          max: this.maxPosition,
        })
      } catch (error) {
        if (generation !== this.generation) return
        const reason = isEiamError(error) ? error.message : t('error.unexpected')
        this.setData({ phase: 'load-failed', message: `${t('captcha.loadFailed')} ${reason}` })
      }
    },
    /** movable-view `change`: remember where the piece is; nothing is rendered for it */
    onDragHandle(event: WechatMiniprogram.CustomEvent<{ x: number; source: string }>) {
      const { source } = event.detail
      if (source === 'out-of-bounds' || !this.puzzle) return
      const x = Math.max(0, Number(event.detail.x) || 0)
      this.position = Math.min(this.maxPosition, round1(x * this.imagePerPx))
      if (source === 'touch') this.dragged = true
    },
    /** The end of a drag submits where the piece was left; a touch without a drag does nothing. */
    onReleaseHandle() {
      if (!this.dragged) return
      this.verify()
    },
    /** The arrow buttons: `data-step` image px, left negative; one small setData per tap. */
    onTapMove(event: WechatMiniprogram.BaseEvent<WechatMiniprogram.IAnyObject, { step: number }>) {
      if (!this.puzzle || this.data.phase !== 'ready') return
      const step = Number(event.currentTarget.dataset.step) || 0
      this.dragged = false
      this.position = Math.max(0, Math.min(this.maxPosition, Math.round(this.position + step)))
      const rendered = round1(this.position / this.imagePerPx)
      // an unchanged x would not move a piece the user dragged away since: nudge the value
      this.setData({ x: rendered === this.data.x ? rendered + 0.01 : rendered, position: this.position })
    },
    onTapCheck() {
      if (!this.puzzle || this.data.phase !== 'ready') return
      if (this.position <= 0) {
        this.setData({ message: t('captcha.moveFirst') })
        return
      }
      this.verify()
    },
    async verify() {
      const puzzle = this.puzzle
      if (!puzzle || this.data.phase !== 'ready') return
      const generation = this.generation
      const x = this.position
      const sender = this.data.sender
      this.puzzle = undefined
      this.dragged = false
      this.setData({ phase: 'verifying', message: t('captcha.verifying'), position: Math.round(x) })
      try {
        const captchaToken = await verifyCaptcha(puzzle, x, sender)
        if (generation !== this.generation) return
        this.dropPuzzle()
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
      this.dropPuzzle()
      this.triggerEvent('close')
    },
    onTapHelp() {
      this.setData({ helpOpen: !this.data.helpOpen })
    },
    onTapSwitchChannel() {
      const channel = this.data.otherChannel
      if (!channel) return
      this.dropPuzzle()
      this.triggerEvent('switchchannel', { channel })
    },
  },
})
