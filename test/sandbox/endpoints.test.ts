/**
 * Every EIAM endpoint of the sandbox answers at its own path, through its own handler: a call with nothing in it gets
 * that endpoint's first refusal (or, for the calls that need nothing, its answer). The sandbox is started inside the
 * test, so that what the tenant builds when it starts counts as reached by this test.
 */
import { EIAM_PATHS } from '../../miniprogram/services/eiam'
import { withSandbox } from '../support/sandbox'
import { Device, errorOf } from './support'

const GETS: ReadonlySet<string> = new Set([
  EIAM_PATHS.captcha,
  EIAM_PATHS.countryCodes,
  EIAM_PATHS.mobileByToken,
  EIAM_PATHS.passwordSkip,
])

const blank = (name: string) => ['IDAAS.SDK.COMMON.1001', `Parameter ${name} cannot be left blank`]
const STATE_TOKEN = ['IDAAS.SDK.COMMON.1007', 'state_token parameter error']

/** What each endpoint answers to a call with no body fields, no state token and no session token. */
const FIRST_ANSWER: Record<keyof typeof EIAM_PATHS, unknown[]> = {
  login: blank('code'),
  captcha: [200, 'blockPuzzle'],
  captchaVerify: blank('point_json'),
  smsSend: blank('mobile'),
  emailSend: blank('email'),
  bind: STATE_TOKEN,
  registerBind: STATE_TOKEN,
  oneTapBind: STATE_TOKEN,
  oneTapRegisterBind: STATE_TOKEN,
  mobileByToken: STATE_TOKEN,
  mfaSms: STATE_TOKEN,
  mfaEmail: STATE_TOKEN,
  refresh: ['IDAAS.SDK.PARAM.0023', 'Invalid or expired session token'],
  countryCodes: [200, '+86'],
  passwordBind: STATE_TOKEN,
  passwordUpdate: STATE_TOKEN,
  passwordSkip: STATE_TOKEN,
}

test('each endpoint answers at its path: its first refusal to an empty call, or its answer', () =>
  withSandbox({}, async (sandbox) => {
    const device = new Device(sandbox)
    const answers: Record<string, unknown[]> = {}
    for (const [name, path] of Object.entries(EIAM_PATHS)) {
      const reply = GETS.has(path) ? await device.get(path) : await device.post(path, {})
      const { code, message } = errorOf(reply)
      answers[name] =
        reply.status === 200 ? [200, reply.json.captchaType ?? reply.json.preferredAreaCode] : [code, message]
    }
    expect(answers).toEqual(FIRST_ANSWER)
  }))
