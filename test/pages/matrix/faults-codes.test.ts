/**
 * The fault matrix (test/support/matrix.ts) on the calls that send a code from the bind page: the puzzle (GET captcha),
 * its check (captcha/verify) and the send (sms/send). An email code sent first keeps a countdown running on the other
 * tab, which no failure on the mobile tab may touch.
 *
 * The file's bind page copy keeps countdowns in memory: every case sends to a phone and an email of its own.
 */
import { installDevice, readyPuzzle, solveCaptcha } from '../../support/captcha'
import * as matrix from '../../support/matrix'
import { loadPage, type PageHandle } from '../../support/simulate'

const bind = loadPage('pages/bind/index')
const { handle, env } = matrix.useFaultMatrix('faults-codes', {
  mode: 'auto',
  captchaTtlS: matrix.CAPTCHA_TTL_S,
})

/** The code went out: the mobile countdown runs, the puzzle is closed, no message is left on the page. */
async function codeSent(page: PageHandle, mobile: string): Promise<void> {
  await page.waitFor(
    () => matrix.bindPage.data(page).codeEndsAt.mobile > 0 && !matrix.bindPage.data(page).sendingCode.mobile,
  )
  expect(matrix.bindPage.data(page).captcha.open).toBe(false)
  expect(matrix.bindPage.shown(page)).toEqual({})
  expect(matrix.bindPage.busy(page)).toEqual([])
  expect(handle.sandbox.lastCode(mobile)).toMatch(/^\d{6}$/)
}

function stage(
  page: PageHandle,
  mobile: string,
  parts: Pick<matrix.Stage, 'trigger' | 'settled' | 'again' | 'tapWhileBusy'>,
  device: matrix.Stage['device'],
): matrix.Stage {
  return {
    device,
    page: () => page,
    shown: () => matrix.bindPage.shown(page),
    typed: () => matrix.bindPage.typed(page),
    busy: () => matrix.bindPage.busy(page),
    countdowns: () => matrix.bindPage.countdowns(page),
    draft: () => matrix.bindPage.draft(page),
    succeeded: () => codeSent(page, mobile),
    ...parts,
  }
}

const driver = (flow: matrix.FlowId, prepare: matrix.Driver['prepare']): matrix.Driver => ({ flow, prepare })

/** The bind page with an email countdown running and the puzzle for its own phone open; `solve` drops the piece. */
async function puzzleOpen(index: number) {
  const device = installDevice(handle.sandbox)
  const { page, mobile } = await matrix.bindWithEmailCountdown(bind, handle.sandbox, index)
  page.tap('#send-mobile-code')
  await readyPuzzle(page)
  const solve = async (): Promise<void> => {
    await solveCaptcha(page, handle.sandbox)
  }
  return { device, page, mobile, solve }
}

/** The send tap opens the puzzle, whose picture is the call; refresh is the second try. */
const captcha = driver('captcha', async (index) => {
  const device = installDevice(handle.sandbox)
  const { page, mobile } = await matrix.bindWithEmailCountdown(bind, handle.sandbox, index)
  const afterPuzzle = stage(
    page,
    mobile,
    {
      trigger: () => page.tap('#send-mobile-code'),
      settled: () => matrix.bindPage.captchaPhase(page) === 'load-failed',
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

/** The puzzle is open (puzzleOpen) and dropping the piece is the call; `rest` says when it is over and what follows. */
async function solvingStage(
  index: number,
  rest: (
    opened: Awaited<ReturnType<typeof puzzleOpen>>,
  ) => Pick<matrix.Stage, 'settled' | 'again' | 'tapWhileBusy'>,
): Promise<matrix.Stage> {
  const opened = await puzzleOpen(index)
  return stage(opened.page, opened.mobile, { trigger: opened.solve, ...rest(opened) }, opened.device)
}

/** A failure brings a new puzzle; solving it is the second try. */
const verify = driver('verify', (index) =>
  solvingStage(index, ({ page, solve }) => ({
    settled: () => matrix.bindPage.data(page).captcha.open && matrix.bindPage.captchaPhase(page) === 'ready',
    tapWhileBusy: () => page.touch(['#captcha', '#captcha-handle'], 'touchend', { x: 120, y: 0 }),
    again: solve,
  })),
)

/** Solving sends the code; the second try is another tap on "send" (or the new puzzle). */
const send = driver('send', (index) =>
  solvingStage(index, ({ page, solve }) => ({
    settled: () =>
      !matrix.bindPage.data(page).sendingCode.mobile &&
      (!matrix.bindPage.data(page).captcha.open || matrix.bindPage.captchaPhase(page) === 'ready'),
    tapWhileBusy: () => page.tap('#send-mobile-code'),
    again: async () => {
      if (!matrix.bindPage.data(page).captcha.open) page.tap('#send-mobile-code')
      await solve()
    },
  })),
)

test.each(matrix.casesOf('captcha'))('%s', (_name, fault) => matrix.runFaultCase(captcha, fault, env()))
test.each(matrix.casesOf('verify'))('%s', (_name, fault) => matrix.runFaultCase(verify, fault, env()))
test.each(matrix.casesOf('send'))('%s', (_name, fault) => matrix.runFaultCase(send, fault, env()))
