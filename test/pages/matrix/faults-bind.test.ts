/**
 * The fault matrix (test/support/matrix.ts) on the bind page's own calls: social/bind (the sandbox in `auto` mode,
 * so a right code for a phone no user has is a success that opens the register page) and the country codes, which
 * fall back to the built-in list without a word.
 *
 * The country codes are asked once per app run (module memory): each of their cases opens a fresh copy of the page.
 */
import { REGIONS } from '../../../sandbox'
import { FALLBACK_AREAS } from '../../../miniprogram/utils/areas'
import { EIAM_PATHS } from '../../../miniprogram/services/eiam'
import { bodiesTo, installDevice, readyPuzzle, renderReady, requestCode } from '../../support/captcha'
import { appPage } from '../../support/journey'
import * as matrix from '../../support/matrix'
import { loadPage, renderPage } from '../../support/simulate'

const bind = loadPage('pages/bind/index')
const launch = loadPage('pages/launch/index')
const { handle, env } = matrix.useFaultMatrix('faults-bind', { mode: 'auto', stateTtlS: matrix.STATE_TTL_S })

/** A phone no user has and its real code typed; countdowns run on both tabs; "bind" is the call. */
const bindCall: matrix.Driver = {
  flow: 'bind',
  async prepare(index) {
    const device = installDevice(handle.sandbox)
    const { page, mobile } = await matrix.bindWithEmailCountdown(bind, handle.sandbox, index)
    const code = await requestCode(page, handle.sandbox, '#send-mobile-code', mobile)
    page.typeInto('#mobile-code', String(code))
    return {
      ...matrix.tapStage(device, page, '#submit', () => matrix.bindPage.data(page).submitting),
      shown: () => matrix.bindPage.shown(page),
      typed: () => matrix.bindPage.typed(page),
      busy: () => matrix.bindPage.busy(page),
      countdowns: () => matrix.bindPage.countdowns(page),
      draft: () => matrix.bindPage.draft(page),
      async succeeded() {
        await page.waitFor(() => device.state.navigation.length)
        expect(device.state.navigation).toEqual([{ method: 'redirectTo', url: '/pages/register/index' }])
        expect(bodiesTo(handle.sandbox, EIAM_PATHS.bind).at(-1)).toEqual({ mobile, verify_code: code })
        expect(matrix.secure(device, 'eiam.flow')).toMatchObject({
          flow: 'register',
          page: 'register',
          attempt: { channel: 'mobile', value: mobile },
        })
        expect(matrix.bindPage.shown(page)).toEqual({})
      },
    }
  },
}

/** The areas as the sandbox's country-codes answer them, once the page has read them. */
const SERVER_AREAS = REGIONS.map((region) => ({
  areaCode: region.areaCode,
  countryCode: region.countryCode,
  name: { zh: region.displayMapping.zh, en: region.displayMapping.en },
  mobileRegex: region.mobileRegex,
}))
const AREA_NAMES = FALLBACK_AREAS.map((area) => `${area.areaCode} ${area.name.zh}`)

/** Launch signs in and opens the bind page (a fresh copy: a new app run), which asks for the country codes. */
const countryCodes: matrix.Driver = {
  flow: 'countryCodes',
  async prepare() {
    const device = await matrix.afterLaunch(handle.sandbox, launch)
    const copy = appPage('pages/bind/index', { fresh: true })
    const opened = matrix.openedByTrigger(device, 'the bind page', () => renderReady(() => renderPage(copy)))
    const page = opened.page
    const areas = () => (page().instance as unknown as { areas: unknown }).areas
    return {
      ...opened,
      settled: () => true,
      shown: () => matrix.bindPage.shown(page()),
      busy: () => matrix.bindPage.busy(page()),
      async fellBack() {
        expect(areas()).toEqual(FALLBACK_AREAS)
        expect(matrix.bindPage.data(page()).areaNames).toEqual(AREA_NAMES)
        // the picker works with the built-in list: a Hong Kong number goes to the puzzle in its +852 form
        page().dispatch('#area', 'change', { value: 1 })
        page().typeInto('#mobile', '5123 4567')
        page().tap('#agree')
        page().tap('#send-mobile-code')
        await readyPuzzle(page())
        expect(matrix.bindPage.data(page()).captcha).toMatchObject({ open: true, sender: '+852-51234567' })
        page().tap(['#captcha', '#captcha-close'])
        expect(matrix.bindPage.data(page()).captcha.open).toBe(false)
      },
      async again() {
        // the next visit asks again (nothing cached after a failure)
        page().unload()
        await opened.trigger()
      },
      async succeeded() {
        await page().waitFor(() => matrix.callsTo(device, EIAM_PATHS.countryCodes).at(-1)?.statusCode === 200)
        await page().flush()
        expect(areas()).toEqual(SERVER_AREAS)
        expect(matrix.bindPage.data(page()).areaNames).toEqual(AREA_NAMES)
        expect(matrix.bindPage.shown(page())).toEqual({})
      },
    }
  },
}

test.each(matrix.casesOf('bind'))('%s', (_name, fault) => matrix.runFaultCase(bindCall, fault, env()))
test.each(matrix.casesOf('countryCodes'))('%s', (_name, fault) =>
  matrix.runFaultCase(countryCodes, fault, env()),
)
