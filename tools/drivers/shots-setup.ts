/**
 * jest `setupFiles` of the "shots" project (tools/jest.config.js), before simulate-setup.ts: rpx sized as WeChat
 * sizes it. simulate and j-component turn `30rpx` into `30px` (one to one), which makes the app's rpx-based layout
 * twice as large as on a phone next to Vant's px; for screenshots every rpx becomes `vw` (750 rpx = the window
 * width), in the page styles simulate inserts and in inline styles alike. Every module registry jest makes in a file
 * (one per loaded page) gets the replacement.
 */
jest.mock('miniprogram-simulate/src/utils', () => {
  const actual = jest.requireActual('miniprogram-simulate/src/utils')
  const { rpxToVw } = jest.requireActual('../lib/shots-css')
  return { ...actual, transformRpx: rpxToVw }
})
jest.mock('j-component/src/tool/utils', () => {
  const actual = jest.requireActual('j-component/src/tool/utils')
  const { rpxToVw } = jest.requireActual('../lib/shots-css')
  return { ...actual, transformRpx: rpxToVw }
})
