/**
 * Says so while the phone is offline. Subscribes to network changes while attached and unsubscribes when detached.
 */
import { t } from '../../i18n/index'
import { defineComponent } from '../../utils/define'

type Listener = (result: WechatMiniprogram.OnNetworkStatusChangeListenerResult) => void

defineComponent<{ listener?: Listener }>()({
  options: { virtualHost: true },
  data: { offline: false, text: '' },
  lifetimes: {
    attached() {
      const listener: Listener = ({ isConnected }) => {
        if (isConnected === !this.data.offline) return
        this.setData({ offline: !isConnected, text: isConnected ? '' : t('common.offline') })
      }
      this.listener = listener
      wx.onNetworkStatusChange(listener)
      wx.getNetworkType({
        success: ({ networkType }) => {
          if (networkType === 'none') this.setData({ offline: true, text: t('common.offline') })
        },
      })
    },
    detached() {
      if (this.listener) wx.offNetworkStatusChange(this.listener)
      this.listener = undefined
    },
  },
})
