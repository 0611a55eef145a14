/**
 * A leaf that ticks: shows the seconds left until `endsAt`, or `label` when there is none. It owns its timer and sets
 * one number a second, so the page around it does no work while a code countdown runs.
 */
import { defineComponent } from '../../utils/define'
import { secondsLeft } from '../../utils/format'

defineComponent<{ timer?: ReturnType<typeof setTimeout> }>()({
  options: { virtualHost: true },
  properties: {
    /** epoch ms; 0 means idle */
    endsAt: { type: Number, value: 0 },
    label: { type: String, value: '' },
    /** `{seconds}` is replaced, e.g. `{seconds} s` */
    format: { type: String, value: '{seconds}' },
  },
  data: { seconds: 0, text: '' },
  observers: {
    'endsAt, label, format'() {
      this.sync()
    },
  },
  lifetimes: {
    detached() {
      this.stop()
    },
  },
  pageLifetimes: {
    // timers may not run in the background: recompute from the end time on return
    show() {
      this.sync()
    },
    hide() {
      this.stop()
    },
  },
  methods: {
    sync() {
      this.stop()
      this.render(secondsLeft(this.data.endsAt, Date.now()))
    },
    render(seconds: number) {
      const text = seconds > 0 ? this.data.format.replace('{seconds}', String(seconds)) : this.data.label
      if (text !== this.data.text || seconds !== this.data.seconds) this.setData({ seconds, text })
      if (seconds > 0) {
        // wake at the next whole-second boundary of the end time, so the display never drifts
        const delay = (this.data.endsAt - Date.now()) % 1000 || 1000
        this.timer = setTimeout(() => this.render(secondsLeft(this.data.endsAt, Date.now())), delay)
      } else if (this.data.endsAt) {
        this.triggerEvent('finish')
      }
    },
    stop() {
      if (this.timer !== undefined) clearTimeout(this.timer)
      this.timer = undefined
    },
  },
})
