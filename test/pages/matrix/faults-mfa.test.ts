/**
 * The fault matrix (test/support/matrix.ts) on the second-factor page: mobile-by-token (asked when the page opens,
 * asked again by "send") and mfa/sms. lisi's identity is linked, so every login answers MFA_AUTH.
 *
 * The codes go to lisi's one phone and a page copy keeps countdowns in memory: each mfa/sms case opens a fresh copy
 * of the page (a new app run); the mobile-by-token cases send no code and share the file's copy.
 */
import { EIAM_PATHS } from '../../../miniprogram/services/eiam'
import { FINGERPRINT, installDevice, readyPuzzle, requestCode } from '../../support/captcha'
import { appPage } from '../../support/journey'
import * as matrix from '../../support/matrix'
import { loadPage, renderPage, type PageHandle } from '../../support/simulate'

const mfa = loadPage('pages/mfa/index')
const launch = loadPage('pages/launch/index')
const { handle, env } = matrix.useFaultMatrix('faults-mfa', { stateTtlS: matrix.STATE_TTL_S })

/** mobile-by-token answers `+86-13900139000`; the page sends it as send-code and mfa/sms take it: 11 bare digits */
const LISI_MOBILE = '13900139000'
const LISI_MASKED = '139****9000'

interface MfaData extends matrix.CodePageData {
  channel: 'mobile' | 'email'
  target: string
  lookingUp: boolean
  submitting: boolean
  code: string
  captcha: { open: boolean; sender: string }
}

const data = (page: PageHandle) => page.data<MfaData>()
const shown = (page: PageHandle) =>
  matrix.nonEmpty({
    notice: page.text('#notice'),
    code: page.fieldError('#code'),
    email: page.exists('#email') ? page.fieldError('#email') : '',
  })
const busy = (page: PageHandle) => matrix.loadingOf(page, ['#submit', '#send-code', '#switch-channel'])

/** Launch signs in (MFA_AUTH) and opens the mfa page: its phone lookup is the call; "send" looks it up again. */
const mobileByToken: matrix.Driver = {
  flow: 'mobileByToken',
  async prepare() {
    const device = await matrix.afterLaunch(handle.sandbox, launch, { linkedTo: 'lisi', countdown: true })
    const opened = matrix.openedByTrigger(device, 'the mfa page', () => renderPage(mfa))
    const page = opened.page
    return {
      ...opened,
      settled: () => !data(page()).lookingUp,
      shown: () => shown(page()),
      busy: () => busy(page()),
      tapWhileBusy: () => page().tap('#send-code'),
      again: () => page().tap('#send-code'),
      async succeeded() {
        await page().waitFor(() => data(page()).target)
        expect(page().text('#target')).toBe(LISI_MASKED)
        expect(shown(page())).toEqual({})
        // a tap on "send" goes on to the puzzle for that phone
        if (data(page()).captcha.open) {
          expect(data(page()).captcha.sender).toBe(LISI_MOBILE)
          await readyPuzzle(page())
        }
        expect(busy(page())).toEqual([])
      },
    }
  },
}

/**
 * A fresh mfa page (a new app run) that signed in itself: an email code to an address of its own first (a countdown
 * on the other channel), then lisi's SMS code, typed; "verify" is the call.
 */
const mfaSms: matrix.Driver = {
  flow: 'mfa',
  async prepare(index) {
    handle.sandbox.linkIdentity(FINGERPRINT, 'lisi')
    const device = installDevice(handle.sandbox)
    const page = renderPage(appPage('pages/mfa/index', { fresh: true }))
    await page.waitFor(() => data(page).target)
    page.tap('#switch-channel')
    await page.waitFor(() => page.exists('#email'))
    const email = `matrix${index}@example.com`
    page.typeInto('#email', email)
    await requestCode(page, handle.sandbox, '#send-code', email, { path: EIAM_PATHS.emailSend })
    page.tap('#switch-channel')
    await page.waitFor(() => !page.exists('#email'))
    const code = String(await requestCode(page, handle.sandbox, '#send-code', LISI_MOBILE))
    page.typeInto('#code', code)
    return {
      ...matrix.tapStage(device, page, '#submit', () => data(page).submitting),
      shown: () => shown(page),
      typed: () => ({ code: data(page).code, input: page.get('#code').data?.value, email: data(page).email }),
      busy: () => busy(page),
      countdowns: () => ({ ...data(page).codeEndsAt }),
      async succeeded() {
        await page.waitFor(() => device.state.navigation.length)
        expect(device.state.navigation).toEqual([{ method: 'reLaunch', url: '/pages/home/index' }])
        expect(device.state.requestsTo(EIAM_PATHS.mfaSms).at(-1)?.json).toEqual({
          mobile: LISI_MOBILE,
          verify_code: code,
        })
        expect(matrix.secure(device, 'eiam.session')).toMatchObject({ sessionToken: expect.any(String) })
        expect(matrix.secure(device, 'eiam.flow')).toBeUndefined()
      },
    }
  },
}

test.each(matrix.casesOf('mobileByToken'))('%s', (_name, fault) =>
  matrix.runFaultCase(mobileByToken, fault, env()),
)
test.each(matrix.casesOf('mfa'))('%s', (_name, fault) => matrix.runFaultCase(mfaSms, fault, env()))
