/**
 * The fault matrix (test/support/matrix.ts) on social/register-bind, from the register page reached the real way:
 * the sandbox in `auto` mode answers a bind of a phone no user has with USER_REGISTER. The REGISTER code's countdown
 * and the BIND code's countdown (in storage) must outlive every failure.
 */
import { EIAM_PATHS } from '../../../miniprogram/services/eiam'
import { agree, installDevice, renderReady, requestCode } from '../../support/captcha'
import * as matrix from '../../support/matrix'
import { loadPage, renderPage } from '../../support/simulate'

const bind = loadPage('pages/bind/index')
const register = loadPage('pages/register/index')
const { handle, env } = matrix.useFaultMatrix('faults-register', {
  mode: 'auto',
  stateTtlS: matrix.STATE_TTL_S,
})

interface RegisterData {
  [key: string]: unknown
  code: string
  submitting: boolean
  codeEndsAt: { mobile: number; email: number }
}

/** Bind page → a verified phone no user has → the register page, its REGISTER code sent and typed. */
const registerBind: matrix.Driver = {
  flow: 'registerBind',
  async prepare(index) {
    const device = installDevice(handle.sandbox)
    const mobile = matrix.phoneOf(index)
    const attempt = await renderReady(() => renderPage(bind))
    agree(attempt)
    attempt.typeInto('#mobile', mobile)
    attempt.typeInto(
      '#mobile-code',
      String(await requestCode(attempt, handle.sandbox, '#send-mobile-code', mobile)),
    )
    attempt.tap('#submit')
    await attempt.waitFor(() => device.state.navigation.length)
    attempt.unload()
    const page = await renderReady(() => renderPage(register))
    agree(page)
    const code = String(await requestCode(page, handle.sandbox, '#send-code', mobile))
    page.typeInto('#code', code)
    const data = () => page.data<RegisterData>()
    const draft = { tab: 'mobile', areaCode: '+86', mobile, email: '' }
    return {
      ...matrix.tapStage(device, page, '#submit', () => data().submitting),
      shown: () =>
        matrix.nonEmpty({
          notice: page.text('#notice'),
          code: page.fieldError('#code'),
          agree: page.text('#agree-error'),
        }),
      typed: () => ({ code: data().code, input: page.get('#code').data?.value }),
      busy: () => matrix.loadingOf(page, ['#submit', '#send-code']),
      countdowns: () => ({ ...data().codeEndsAt }),
      draft: () => draft,
      async succeeded() {
        await page.waitFor(() => device.state.navigation.length > 1)
        expect(device.state.navigation.at(-1)).toEqual({ method: 'reLaunch', url: '/pages/home/index' })
        expect(matrix.callsTo(device, EIAM_PATHS.registerBind).at(-1)?.json).toEqual({
          mobile,
          verify_code: code,
        })
        expect(matrix.secure(device, 'eiam.session')).toMatchObject({ sessionToken: expect.any(String) })
        // the flow ended with it: record and draft are gone
        expect(matrix.secure(device, 'eiam.flow')).toBeUndefined()
        expect(matrix.secure(device, 'eiam.draft')).toBeUndefined()
      },
    }
  },
}

test.each(matrix.casesOf('registerBind'))('%s', (_name, fault) =>
  matrix.runFaultCase(registerBind, fault, env()),
)
