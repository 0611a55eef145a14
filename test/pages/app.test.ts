/**
 * app.ts: a new release WeChat downloaded in the background is offered once it is ready, and applied only if the
 * user agrees.
 */
import { en } from '../../miniprogram/i18n/en'
import { launchApp, useWx } from '../support/simulate'

/** The simulated user answers a modal asynchronously, as WeChat does. */
const answered = () => new Promise((resolve) => setTimeout(resolve, 0))

test('when a new version is ready the user is asked, and agreeing restarts into it', async () => {
  const { state, uninstall } = useWx({ language: 'en', modalAnswer: 'confirm' })
  try {
    launchApp()
    expect(state.modals).toHaveLength(0)

    state.updateManager.emitUpdateReady()
    await answered()

    expect(state.modals.map((modal) => modal.content)).toEqual([en.common.updateReady])
    expect(state.updateManager.calls).toContain('applyUpdate')
  } finally {
    uninstall()
  }
})

test('declining the update keeps the running version', async () => {
  const { state, uninstall } = useWx({ language: 'en', modalAnswer: 'cancel' })
  try {
    launchApp()
    state.updateManager.emitUpdateReady()
    await answered()

    expect(state.modals).toHaveLength(1)
    expect(state.updateManager.calls).not.toContain('applyUpdate')
  } finally {
    uninstall()
  }
})
