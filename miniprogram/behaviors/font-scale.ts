/**
 * Every page follows WeChat's text size: `pageStyle` goes to the page's `<page-meta page-style>` (the first node of
 * each page's WXML), which sets `--font-scale` on the page root for everything on it, popups and components included.
 * Read when the page attaches and again whenever it shows (the setting may have changed while the app was in the
 * background); nothing is set while the scale is the standard one.
 */
import { fontScale, pageStyleFor } from '../utils/font-scale'

export const fontScaled = Behavior({
  data: { pageStyle: '' },
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
      const pageStyle = pageStyleFor(fontScale())
      if (pageStyle !== this.data.pageStyle) this.setData({ pageStyle })
    },
  },
})
