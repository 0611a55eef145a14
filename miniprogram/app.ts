import { t } from './i18n/index'
import { sweepPuzzleFiles } from './services/puzzle-files'

/** New releases are fetched by WeChat in the background; offer to restart into them once ready. */
function offerUpdates(): void {
  const manager = wx.getUpdateManager()
  manager.onUpdateReady(() => {
    wx.showModal({
      title: t('common.updateTitle'),
      content: t('common.updateReady'),
      success: ({ confirm }) => {
        if (confirm) manager.applyUpdate()
      },
    })
  })
}

App({
  onLaunch() {
    offerUpdates()
    sweepPuzzleFiles()
  },
})
