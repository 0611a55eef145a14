/**
 * The fault matrix (test/support/matrix.ts) on the calls that send a code from the bind page: the puzzle (GET captcha),
 * its check (captcha/verify) and the send (sms/send). An email code sent first keeps a countdown running on the other
 * tab, which no failure on the mobile tab may touch.
 *
 * The file's bind page copy keeps countdowns in memory: every case sends to a phone and an email of its own.
 */
import { installDevice, readyPuzzle, solveCaptcha, useSandbox } from '../../support/captcha'
import {
  bindPage,
  bindWithEmailCountdown,
  CAPTCHA_TTL_S,
  closedPort,
  casesOf,
  reportAfterAll,
  runFaultCase,
  type Driver,
  type FlowId,
  type MatrixEnv,
  type Stage,
} from '../../support/matrix'
import { loadPage, type PageHandle } from '../../support/simulate'

const bind = loadPage('pages/bind/index')
const handle = useSandbox({ mode: 'auto', captchaTtlS: CAPTCHA_TTL_S })
reportAfterAll('faults-codes')

let closedOrigin = ''
beforeAll(async () => {
  closedOrigin = `http://127.0.0.1:${await closedPort()}`
})
const env = (): MatrixEnv => ({ sandbox: handle.sandbox, clock: handle.clock, closedOrigin })

/** The code went out: the mobile countdown runs, the puzzle is closed, no message is left on the page. */
async function codeSent(page: PageHandle, mobile: string): Promise<void> {
  await page.waitFor(
    () => bindPage.data(page).codeEndsAt.mobile > 0 && !bindPage.data(page).sendingCode.mobile,
  )
  expect(bindPage.data(page).captcha.open).toBe(false)
  expect(bindPage.shown(page)).toEqual({})
  expect(bindPage.busy(page)).toEqual([])
  expect(handle.sandbox.lastCode(mobile)).toMatch(/^\d{6}$/)
}

function stage(
  page: PageHandle,
  mobile: string,
  parts: Pick<Stage, 'trigger' | 'settled' | 'again' | 'tapWhileBusy'>,
  device: Stage['device'],
): Stage {
  return {
    device,
    page: () => page,
    shown: () => bindPage.shown(page),
    typed: () => bindPage.typed(page),
    busy: () => bindPage.busy(page),
    countdowns: () => bindPage.countdowns(page),
    draft: () => bindPage.draft(page),
    succeeded: () => codeSent(page, mobile),
    ...parts,
  }
}

const driver = (flow: FlowId, prepare: Driver['prepare']): Driver => ({ flow, prepare })

/** The send tap opens the puzzle, whose picture is the call; refresh is the second try. */
const captcha = driver('captcha', async (index) => {
  const device = installDevice(handle.sandbox)
  const { page, mobile } = await bindWithEmailCountdown(bind, handle.sandbox, index)
  const afterPuzzle = stage(
    page,
    mobile,
    {
      trigger: () => page.tap('#send-mobile-code'),
      settled: () => bindPage.captchaPhase(page) === 'load-failed',
      tapWhileBusy: () => page.tap('#send-mobile-code'),
      again: () => page.tap(['#captcha', '#captcha-refresh']),
    },
    device,
  )
  return {
    ...afterPuzzle,
    async succeeded() {
      await solveCaptcha(page, handle.sandbox)
      await codeSent(page, mobile)
    },
  }
})

/** The puzzle is open; dropping the piece is the call; a failure brings a new puzzle, solving it is the second try. */
const verify = driver('verify', async (index) => {
  const device = installDevice(handle.sandbox)
  const { page, mobile } = await bindWithEmailCountdown(bind, handle.sandbox, index)
  page.tap('#send-mobile-code')
  await readyPuzzle(page)
  return stage(
    page,
    mobile,
    {
      trigger: async () => {
        await solveCaptcha(page, handle.sandbox)
      },
      settled: () => bindPage.data(page).captcha.open && bindPage.captchaPhase(page) === 'ready',
      tapWhileBusy: () => page.touch(['#captcha', '#captcha-handle'], 'touchend', { x: 120, y: 0 }),
      again: async () => {
        await solveCaptcha(page, handle.sandbox)
      },
    },
    device,
  )
})

/** The puzzle is open; solving it sends the code; the second try is another tap on "send" (or the new puzzle). */
const send = driver('send', async (index) => {
  const device = installDevice(handle.sandbox)
  const { page, mobile } = await bindWithEmailCountdown(bind, handle.sandbox, index)
  page.tap('#send-mobile-code')
  await readyPuzzle(page)
  return stage(
    page,
    mobile,
    {
      trigger: async () => {
        await solveCaptcha(page, handle.sandbox)
      },
      settled: () =>
        !bindPage.data(page).sendingCode.mobile &&
        (!bindPage.data(page).captcha.open || bindPage.captchaPhase(page) === 'ready'),
      tapWhileBusy: () => page.tap('#send-mobile-code'),
      again: async () => {
        if (!bindPage.data(page).captcha.open) page.tap('#send-mobile-code')
        await solveCaptcha(page, handle.sandbox)
      },
    },
    device,
  )
})

test.each(casesOf('captcha'))('%s', (_name, fault) => runFaultCase(captcha, fault, env()))
test.each(casesOf('verify'))('%s', (_name, fault) => runFaultCase(verify, fault, env()))
test.each(casesOf('send'))('%s', (_name, fault) => runFaultCase(send, fault, env()))
