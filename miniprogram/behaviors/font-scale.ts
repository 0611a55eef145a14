/**
 * Every page follows WeChat's text size: `pageStyle` goes to the page's `<page-meta page-style>` (the first node of
 * each page's WXML), which sets `--font-scale` on the page root for everything on it, popups and components included.
 * Read when the page attaches and again whenever it shows (the setting may have changed while the app was in the
 * background); nothing is set while the scale is the standard one on a standard-width phone. `labelsAbove` tells the
 * page's fields to put their label above them where the text is large for the screen.
 */
import { fontScale, labelsAboveFor, pageStyleFor, windowWidth } from '../utils/font-scale'

export const fontScaled = Behavior({
  data: { pageStyle: '', labelsAbove: false },
  lifetimes: {
    attached() {
      this.applyFontScale()
    },
  },
  pageLifetimes: {
    show() {
      this.applyFontScale()
    },
  },
  methods: {
    applyFontScale() {
      const scale = fontScale()
      const pageStyle = pageStyleFor(scale)
      const labelsAbove = labelsAboveFor(scale, windowWidth())
      if (pageStyle !== this.data.pageStyle || labelsAbove !== this.data.labelsAbove)
        this.setData({ pageStyle, labelsAbove })
    },
  },
})
