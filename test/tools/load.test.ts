/**
 * The pure parts of `npm run load`: its command line, the journeys it plans, the statistics and the table it prints,
 * and the after-run check that no code was lost, crossed to another target or sent twice. The run itself (200
 * journeys over HTTP) is `npm run load`, not part of `npm test`.
 */
import http from 'node:http'
import { SEEDED_USERS } from '../../sandbox'
import { canonicalEmail, canonicalMobile } from '../../sandbox/validation'
import { ScriptError } from '../../scripts/lib/errors'
import { JourneyError, LoopbackClient, isLoopbackOrigin, jwtClaims } from '../../tools/lib/load-journey'
import { LOAD_DEFAULTS, parseLoadArgs, planJourneys, sendTypesOf } from '../../tools/lib/load-plan'
import {
  checkCodes,
  codeLine,
  describeFailure,
  formatReport,
  latencyTable,
  percentile,
  perSecond,
  summarise,
  type JourneyCodes,
  type LoadResult,
  type SentCode,
} from '../../tools/lib/load-report'

describe('the command line', () => {
  test('with no arguments it runs 200 journeys, 200 at once, both modes, a 60 s deadline, as a table', () => {
    expect(parseLoadArgs([])).toEqual({
      modes: ['register', 'auto'],
      journeys: 200,
      concurrency: 200,
      deadlineS: 60,
      json: false,
    })
    expect(LOAD_DEFAULTS.concurrency).toBe(200)
  })

  test('each option is read in both the "--flag value" and the "--flag=value" form', () => {
    expect(
      parseLoadArgs(['--mode', 'auto', '--journeys', '10', '--concurrency=5', '--deadline-s=30', '--json']),
    ).toEqual({ modes: ['auto'], journeys: 10, concurrency: 5, deadlineS: 30, json: true })
    expect(parseLoadArgs(['--mode=register']).modes).toEqual(['register'])
    expect(parseLoadArgs(['--mode', 'both']).modes).toEqual(['register', 'auto'])
  })

  test.each([
    [['--mode', 'bind'], '--mode takes register, auto or both, not "bind"'],
    [['--mode'], '--mode takes register, auto or both, not ""'],
    [['--journeys', '0'], '--journeys takes a whole number from 1 to 100000, not "0"'],
    [['--concurrency', '2.5'], '--concurrency takes a whole number from 1 to 1000, not "2.5"'],
    [['--deadline-s', '-1'], '--deadline-s takes a whole number from 1 to 3600, not "-1"'],
    [['--json=yes'], '--json takes no value'],
    [['--fast'], 'Unknown argument "--fast"'],
  ])('%j is refused with one sentence and the usage line', (argv, sentence) => {
    let thrown: unknown
    try {
      parseLoadArgs(argv)
    } catch (error) {
      thrown = error
    }
    expect(thrown).toBeInstanceOf(ScriptError)
    expect((thrown as Error).message).toContain(sentence)
    expect((thrown as Error).message).toContain('Usage: npm run load --')
  })
})

describe('the planned journeys', () => {
  const plans = planJourneys({ modes: ['register', 'auto'], journeys: 200 }, 'run1')

  test('both modes get half the journeys, and each mode sees both channels', () => {
    for (const mode of ['register', 'auto'] as const) {
      const ofMode = plans.filter((plan) => plan.mode === mode)
      expect(ofMode).toHaveLength(100)
      expect(ofMode.filter((plan) => plan.channel === 'sms')).toHaveLength(50)
      expect(ofMode.filter((plan) => plan.channel === 'email')).toHaveLength(50)
    }
  })

  test('every journey has its own identity and its own target', () => {
    expect(new Set(plans.map((plan) => plan.fingerprint)).size).toBe(200)
    expect(new Set(plans.map((plan) => plan.target)).size).toBe(200)
    expect(plans.map((plan) => plan.index)).toEqual([...Array(200).keys()])
  })

  test('no target belongs to a seeded user, and each is already in the canonical form the outbox lists', () => {
    const seeded = new Set(SEEDED_USERS.flatMap((user) => [user.mobile, user.email]))
    for (const plan of plans) {
      expect(seeded.has(plan.target)).toBe(false)
      const canonical = plan.channel === 'sms' ? canonicalMobile(plan.target) : canonicalEmail(plan.target)
      expect(canonical).toBe(plan.target)
    }
  })

  test('a second run gets other fingerprints, so identities never carry over', () => {
    const again = planJourneys({ modes: ['auto'], journeys: 3 }, 'run2')
    expect(again.map((plan) => plan.fingerprint)).toEqual(['load-run2-0', 'load-run2-1', 'load-run2-2'])
    expect(again.every((plan) => plan.mode === 'auto')).toBe(true)
  })

  test('register mode sends one REGISTER code; auto mode binds first, then registers', () => {
    expect(sendTypesOf({ mode: 'register', channel: 'sms' })).toEqual(['REGISTER_SMS'])
    expect(sendTypesOf({ mode: 'register', channel: 'email' })).toEqual(['REGISTER_EMS'])
    expect(sendTypesOf({ mode: 'auto', channel: 'sms' })).toEqual(['BIND_MOBILE_SMS', 'REGISTER_SMS'])
    expect(sendTypesOf({ mode: 'auto', channel: 'email' })).toEqual(['BIND_EMAIL_EMS', 'REGISTER_EMS'])
  })
})

describe('latency statistics', () => {
  const oneToHundred = Array.from({ length: 100 }, (_, index) => index + 1)

  test('percentiles are nearest-rank: of 1…100, p50 is 50, p90 90, p99 99, max 100', () => {
    expect(summarise([...oneToHundred].reverse())).toEqual({
      count: 100,
      p50: 50,
      p90: 90,
      p99: 99,
      max: 100,
    })
  })

  test('latencies are given to a tenth of a millisecond', () => {
    expect(summarise([0.04, 12.345, 99.99])).toEqual({ count: 3, p50: 12.3, p90: 100, p99: 100, max: 100 })
  })

  test('one sample is every percentile; no samples answer zeros', () => {
    expect(summarise([7])).toEqual({ count: 1, p50: 7, p90: 7, p99: 7, max: 7 })
    expect(summarise([])).toEqual({ count: 0, p50: 0, p90: 0, p99: 0, max: 0 })
    expect(percentile([1, 2, 3], 0)).toBe(1)
  })

  test('the table lists endpoints alphabetically, then all requests together, then whole journeys', () => {
    const table = latencyTable(
      new Map([
        ['sms/send', [3, 4]],
        ['captcha', [1, 2]],
      ]),
      [10, 20],
    )
    expect(Object.keys(table)).toEqual(['captcha', 'sms/send', 'all requests', 'journey'])
    expect(table['all requests']).toEqual({ count: 4, p50: 2, p90: 4, p99: 4, max: 4 })
    expect(table.journey).toEqual({ count: 2, p50: 10, p90: 20, p99: 20, max: 20 })
  })

  test('throughput is per second with one decimal, and zero for a zero-length run', () => {
    expect(perSecond(200, 2_880)).toBe(69.4)
    expect(perSecond(5, 0)).toBe(0)
  })
})

function result(overrides: Partial<LoadResult> = {}): LoadResult {
  return {
    ok: true,
    modes: ['register', 'auto'],
    journeys: { planned: 2, completed: 2, failed: 0, unfinished: 0 },
    concurrency: { limit: 200, peakJourneys: 2, connectionsOpened: 2 },
    deadlineS: 60,
    durationMs: 1500,
    requests: 16,
    throughput: { journeysPerS: 1.3, requestsPerS: 10.7 },
    latencyMs: latencyTable(new Map([['login/wechat-miniprogram', [1.25, 130.4]]]), [250, 300]),
    failures: [],
    problems: [],
    ...overrides,
  }
}

describe('the printed report', () => {
  test('shows a row per endpoint with p50/p90/p99/max, the throughput and OK', () => {
    const lines = formatReport(result()).split('\n')
    expect(lines[0]).toBe('Load: 2 journeys (register + auto), at most 200 at once, deadline 60 s')
    expect(lines).toContain('endpoint                  count  p50 ms  p90 ms  p99 ms  max ms')
    expect(lines).toContain('login/wechat-miniprogram      2     1.3     130     130     130')
    expect(lines).toContain('journey                       2     250     300     300     300')
    expect(lines).toContain('journeys: 2 completed, 0 failed, 0 unfinished in 1.50 s')
    expect(lines).toContain('throughput: 1.3 journeys/s, 10.7 requests/s (16 requests)')
    expect(lines[lines.length - 1]).toBe('OK')
  })

  test('lists every failure with its path and code, every problem, and ends with FAILED', () => {
    const text = formatReport(
      result({
        ok: false,
        failures: [
          {
            journey: 7,
            mode: 'auto',
            step: 'bind',
            path: '/api/v2/sdk/social/bind',
            status: 400,
            code: 'IDAAS.SDK.COMMON.1006',
            message: 'verify_code parameter error',
          },
        ],
        problems: ['3 of 200 journeys did not finish within the deadline of 60 s'],
      }),
    )
    expect(text).toContain(
      'FAIL journey 7 (auto) at bind: /api/v2/sdk/social/bind → 400 IDAAS.SDK.COMMON.1006 verify_code parameter error',
    )
    expect(text).toContain('FAIL 3 of 200 journeys did not finish within the deadline of 60 s')
    expect(text.endsWith('FAILED')).toBe(true)
  })

  test('a request that got no answer shows status 0 and no code', () => {
    expect(
      describeFailure({
        journey: 1,
        mode: 'register',
        step: 'login',
        path: '/x',
        status: 0,
        message: 'no answer',
      }),
    ).toBe('journey 1 (register) at login: /x → 0 no answer')
  })
})

describe('the check that no code was lost or crossed', () => {
  const journeys: JourneyCodes[] = [
    { journey: 0, target: '15000000000', used: [{ type: 'REGISTER_SMS', code: '111111' }] },
    { journey: 1, target: 'load.user1@example.test', used: [{ type: 'REGISTER_EMS', code: '222222' }] },
  ]
  const outbox: SentCode[] = [
    { target: '15000000000', type: 'REGISTER_SMS', code: '111111' },
    { target: 'load.user1@example.test', type: 'REGISTER_EMS', code: '222222' },
  ]

  test('one code per target and type, each used by its own journey and printed once, passes', () => {
    expect(checkCodes('register', journeys, outbox, outbox.map(codeLine))).toEqual([])
  })

  test('a journey that used another target’s code is reported as crossed', () => {
    const crossed = [
      journeys[0] as JourneyCodes,
      { ...(journeys[1] as JourneyCodes), used: [{ type: 'REGISTER_EMS', code: '111111' }] },
    ]
    expect(checkCodes('register', crossed, outbox)).toEqual([
      'register: journey 1 used REGISTER_EMS code 111111, not the one sent to its target',
    ])
  })

  test('a code the outbox never had is reported as lost', () => {
    expect(checkCodes('auto', journeys, outbox.slice(0, 1))).toEqual([
      'auto: journey 1 used a REGISTER_EMS code the outbox never had (lost)',
    ])
  })

  test('two codes for one target and type, or a code to a target no journey owns, are reported', () => {
    const extra = [
      ...outbox,
      { target: '15000000000', type: 'REGISTER_SMS', code: '333333' },
      { target: '13800138000', type: 'REGISTER_SMS', code: '444444' },
    ]
    expect(checkCodes('register', journeys, extra)).toEqual([
      'register: a REGISTER_SMS code went to 13800138000, which no journey owns',
      'register: 2 codes of REGISTER_SMS 15000000000 in the outbox, expected 1',
    ])
  })

  test('code lines that do not match the outbox one for one are reported', () => {
    expect(checkCodes('register', journeys, outbox, [codeLine(outbox[0] as SentCode)])).toEqual([
      'register: 1 code lines printed for 2 codes in the outbox, or they differ',
    ])
  })

  test('two journeys sharing a target are reported', () => {
    const shared = [journeys[0] as JourneyCodes, { ...(journeys[0] as JourneyCodes), journey: 5, used: [] }]
    expect(checkCodes('auto', shared, outbox.slice(0, 1))).toEqual([
      'auto: journeys 0 and 5 share 15000000000',
    ])
  })

  test('the code line has the sandbox’s documented shape', () => {
    expect(codeLine({ target: '15000000000', type: 'REGISTER_SMS', code: '123456' })).toBe(
      '[eiam-sandbox] SMS to 15000000000 type=REGISTER_SMS code=123456',
    )
    expect(codeLine({ target: 'a@b.test', type: 'BIND_EMAIL_EMS', code: '000001' })).toBe(
      '[eiam-sandbox] EMAIL to a@b.test type=BIND_EMAIL_EMS code=000001',
    )
  })
})

describe('loopback only', () => {
  test.each([
    ['http://127.0.0.1:8787', true],
    ['http://127.0.0.1:34567/', true],
    ['http://localhost:8787', false],
    ['http://0.0.0.0:8787', false],
    ['http://127.0.0.2:8787', false],
    ['https://127.0.0.1:8787', false],
    ['http://example.com', false],
    ['http://127.0.0.1:8787/prefix', false],
    ['not a url', false],
  ])('%s is loopback: %s', (origin, expected) => {
    expect(isLoopbackOrigin(origin)).toBe(expected)
  })

  test('the client refuses any other origin before opening a connection', async () => {
    const agent = new http.Agent()
    const client = new LoopbackClient(agent, new AbortController().signal, () => undefined)
    try {
      await expect(
        client.request('http://example.com', 'GET', '/api/v2/sdk/captcha', { headers: {}, step: 'captcha' }),
      ).rejects.toThrow(JourneyError)
      expect(client.requests).toBe(0)
      expect(client.connectionsOpened).toBe(0)
    } finally {
      agent.destroy()
    }
  })
})

test('the claims of an id_token are read without its signature; garbage reads as no claims', () => {
  const payload = Buffer.from(JSON.stringify({ sub: '20001', userName: '15000000000' })).toString('base64url')
  expect(jwtClaims(`header.${payload}.signature`)).toEqual({ sub: '20001', userName: '15000000000' })
  expect(jwtClaims('not-a-jwt')).toEqual({})
})
