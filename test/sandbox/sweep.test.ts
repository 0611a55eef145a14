/**
 * How the sandbox forgets what has expired (sandbox/sweep.ts): an expired puzzle, captcha token, state token, session
 * token or code keeps answering "expired" for 10 minutes past its expiry, and is forgotten (answering as an unknown
 * one would) at the first sweep after that. A store sweeps when it issues something, at most once a minute of its
 * clock. Live entries are never swept. Each test has a sandbox of its own: the sweep schedule is not reset with it.
 */
import { EIAM_PATHS } from '../../miniprogram/services/eiam'
import { ONEACCESS_ENDPOINT_PATHS, type Sandbox } from '../../sandbox'
import { withSandbox, type SandboxClock } from '../support/sandbox'
import {
  CONTRACT_EPOCH,
  Device,
  STATE_TOKEN_ERROR,
  errorOf,
  postBind,
  refusal,
  stringField,
  type Reply,
} from './support'
import { oneAccessSigner } from './signing'

/** Past an entry's expiry, how long until the sweep may forget it (KEEP_EXPIRED_MS), and the sweep interval. */
const KEEP_S = 600
const SWEEP_EVERY_S = 60
const MOBILE = '13800138000'

const CAPTCHA_EXPIRED = refusal('IDAAS.SDK.CAPTCHA.0003', 'CAPTCHA token expired')
const CAPTCHA_INVALID = refusal('IDAAS.SDK.CAPTCHA.0004', 'CAPTCHA token invalid')

/** A test with a sandbox of its own, its clock standing at CONTRACT_EPOCH until moved. */
const fresh =
  (
    options: Parameters<typeof withSandbox>[0],
    run: (sandbox: Sandbox, clock: SandboxClock) => Promise<void>,
  ) =>
  () =>
    withSandbox({ clockAt: CONTRACT_EPOCH, ...options }, run)

describe('the sweep of expired entries', () => {
  test(
    'puzzles and captcha tokens answer "expired" until 10 minutes past expiry, "invalid" once swept; live ones stay',
    fresh({}, async (sandbox, clock) => {
      const device = new Device(sandbox)
      const puzzle = async () => {
        const token = stringField(await device.get(EIAM_PATHS.captcha), 'token')
        return { token, x: sandbox.captchaAnswer(token) }
      }
      const verify = (solved: { token: string; x?: number }) =>
        device.post(EIAM_PATHS.captchaVerify, {
          point_json: JSON.stringify({ x: solved.x, y: 5 }),
          token: solved.token,
          sender: MOBILE,
        })
      const send = (captchaToken: string) =>
        device.post(EIAM_PATHS.smsSend, {
          mobile: MOBILE,
          type: 'BIND_MOBILE_SMS',
          captcha_token: captchaToken,
        })

      // all four expire 2 minutes from now
      const puzzles = [await puzzle(), await puzzle()]
      const tokens = [await device.solveCaptcha(MOBILE), await device.solveCaptcha(MOBILE)]

      clock.advanceS(120 + KEEP_S)
      const livePuzzle = await puzzle() // sweeps: expired exactly 10 minutes ago is kept
      const liveToken = await device.solveCaptcha(MOBILE)
      expect(errorOf(await verify(puzzles[0]!))).toEqual(CAPTCHA_EXPIRED)
      expect(errorOf(await send(tokens[0]!))).toEqual(CAPTCHA_EXPIRED)

      clock.advanceS(SWEEP_EVERY_S)
      await puzzle() // sweeps again: now more than 10 minutes past expiry
      expect(errorOf(await verify(puzzles[1]!))).toEqual(CAPTCHA_INVALID)
      expect(errorOf(await send(tokens[1]!))).toEqual(CAPTCHA_INVALID)
      expect((await verify(livePuzzle)).status).toBe(200)
      expect((await send(liveToken)).status).toBe(200)
    }),
  )

  test(
    'state tokens answer COMMON.1005 until 10 minutes past expiry, COMMON.1007 once swept; live ones stay',
    fresh({}, async (sandbox, clock) => {
      const device = new Device(sandbox)
      const early = [await device.stateToken(), await device.stateToken()] // 10 minutes to live

      clock.advanceS(600 + KEEP_S)
      const live = await device.stateToken() // sweeps: expired exactly 10 minutes ago is kept
      expect(errorOf(await postBind(device, early[0]!, {}))).toEqual(
        refusal('IDAAS.SDK.COMMON.1005', 'state_token has expired'),
      )

      clock.advanceS(SWEEP_EVERY_S)
      await device.stateToken() // sweeps again
      expect(errorOf(await postBind(device, early[1]!, {}))).toEqual(STATE_TOKEN_ERROR)
      // the live token passes the state check and stops at the body
      expect(errorOf(await postBind(device, live, {}))).toEqual(
        refusal('IDAAS.SDK.COMMON.1001', 'Parameter mobile cannot be left blank'),
      )
    }),
  )

  test(
    'session tokens answer PARAM.0023 (dead) to a signed OneAccess call until 10 minutes past expiry, then COMMON.1004 (never issued)',
    fresh({ dialect: 'oneaccess' }, async (sandbox, clock) => {
      const device = new Device(sandbox)
      sandbox.linkIdentity(device.fingerprint, 'zhangsan')
      const signIn = async () => stringField(await device.login(), 'session_token')
      const sign = await oneAccessSigner(device)
      const listAccounts = (sessionToken: string): Promise<Reply> =>
        device.get(ONEACCESS_ENDPOINT_PATHS.social, { headers: sign(sessionToken, clock.now()) })
      const early = [await signIn(), await signIn()] // 5 days to live

      clock.advanceS(432000 + KEEP_S)
      const live = await signIn() // sweeps: expired exactly 10 minutes ago is kept
      expect(errorOf(await listAccounts(early[0]!))).toEqual(
        refusal('IDAAS.SDK.PARAM.0023', 'Invalid or expired session token'),
      )

      clock.advanceS(SWEEP_EVERY_S)
      await signIn() // sweeps again
      expect(errorOf(await listAccounts(early[1]!))).toEqual(
        refusal('IDAAS.SDK.COMMON.1004', 'Signature decryption error'),
      )
      expect((await listAccounts(live)).status).toBe(200)
    }),
  )

  test(
    'codes answer COMMON.1005 until 10 minutes past expiry, COMMON.1006 once swept; a resend interval outlives a sweep',
    fresh({}, async (sandbox, clock) => {
      const device = new Device(sandbox)
      const early = [
        await device.sendCode('sms', '13800138000', 'BIND_MOBILE_SMS'),
        await device.sendCode('sms', '13900139000', 'BIND_MOBILE_SMS'),
      ] // 5 minutes to live
      clock.advanceS(30)
      await device.sendCode('email', 'wangwu@example.com', 'BIND_EMAIL_EMS')
      clock.advanceS(SWEEP_EVERY_S - 30)
      await device.sendCode('email', 'sunqi@example.com', 'BIND_EMAIL_EMS') // sweeps: wangwu's was sent 30 s ago
      const tooSoon = await device.post(EIAM_PATHS.emailSend, {
        email: 'wangwu@example.com',
        type: 'BIND_EMAIL_EMS',
        captcha_token: await device.solveCaptcha('wangwu@example.com'),
      })
      expect(errorOf(tooSoon)).toEqual(
        refusal('IDAAS.SDK.CAPTCHA.0006', 'Failed to send verification code: retry in 30 s'),
      )

      clock.advanceS(300 + KEEP_S - SWEEP_EVERY_S)
      const live = await device.sendCode('email', 'zhangsan@example.com', 'BIND_EMAIL_EMS') // sweeps
      const token = await device.stateToken()
      expect(
        errorOf(await postBind(device, token, { mobile: '13800138000', verify_code: early[0] })),
      ).toEqual(refusal('IDAAS.SDK.COMMON.1005', 'verify_code has expired'))

      clock.advanceS(SWEEP_EVERY_S)
      await device.sendCode('email', 'lisi@example.com', 'BIND_EMAIL_EMS') // sweeps again
      expect(
        errorOf(await postBind(device, token, { mobile: '13900139000', verify_code: early[1] })),
      ).toEqual(refusal('IDAAS.SDK.COMMON.1006', 'verify_code parameter error'))
      expect(
        (await postBind(device, token, { email: 'zhangsan@example.com', verify_code: live })).json.status,
      ).toBe('SUCCESS')
    }),
  )
})
