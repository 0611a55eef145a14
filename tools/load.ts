/**
 * `npm run load`: 200 concurrent sign-up journeys against sandboxes this script starts in-process on free loopback
 * ports (register mode and auto mode, half each by default), over real HTTP with one keep-alive agent.
 *
 * Each journey is a new WeChat identity with a fresh target (tools/lib/load-plan.ts) and walks login → captcha →
 * send code → bind / register-bind → SUCCESS → refresh (tools/lib/load-journey.ts). The run fails, exit code 1, when
 * any journey fails (every non-2xx answer is printed with its path and code), when any journey is still running at the
 * deadline (60 s), or when the outbox and the code lines show a code lost, crossed to another target or sent twice.
 *
 * Prints the latency percentiles per endpoint and the throughput as a table, or `--json` for machines. Not part of
 * `npm test`.
 */
import { setMaxListeners } from 'node:events'
import http from 'node:http'
import { randomUUID } from 'node:crypto'
import { performance } from 'node:perf_hooks'
import { startSandbox, type Sandbox } from '../sandbox'
import { DEFAULT_CLIENT_ID } from '../sandbox/options'
import { OUTBOX_LIMIT } from '../sandbox/codes'
import { ScriptError, isMainModule, runCli } from '../scripts/lib/errors'
import { JourneyError, LoopbackClient, runJourney } from './lib/load-journey'
import { parseLoadArgs, planJourneys, type JourneyPlan, type LoadArgs, type LoadMode } from './lib/load-plan'
import {
  checkCodes,
  formatReport,
  latencyTable,
  perSecond,
  type JourneyCodes,
  type LoadFailure,
  type LoadResult,
} from './lib/load-report'

/** After the deadline aborts every request, how long the journeys get to notice before the run gives up on them. */
const WIND_DOWN_MS = 5_000

interface ModeSandbox {
  sandbox: Sandbox
  codeLines: string[]
}

async function startSandboxes(modes: readonly LoadMode[]): Promise<Map<LoadMode, ModeSandbox>> {
  const sandboxes = new Map<LoadMode, ModeSandbox>()
  try {
    for (const mode of modes) {
      const codeLines: string[] = []
      const sandbox = await startSandbox({
        port: 0,
        host: '127.0.0.1',
        mode,
        log: (line) => codeLines.push(line),
      })
      sandboxes.set(mode, { sandbox, codeLines })
    }
  } catch (error) {
    await Promise.all([...sandboxes.values()].map(({ sandbox }) => sandbox.close()))
    throw error
  }
  return sandboxes
}

function failureOf(plan: JourneyPlan, error: unknown): LoadFailure {
  if (error instanceof JourneyError) {
    const failure: LoadFailure = {
      journey: plan.index,
      mode: plan.mode,
      step: error.step,
      message: error.message,
    }
    if (error.path !== undefined) failure.path = error.path
    if (error.status !== undefined) failure.status = error.status
    if (error.code !== undefined) failure.code = error.code
    return failure
  }
  return {
    journey: plan.index,
    mode: plan.mode,
    step: 'unknown',
    message: error instanceof Error ? error.message : String(error),
  }
}

export async function runLoad(args: LoadArgs): Promise<LoadResult> {
  const plans = planJourneys(args, randomUUID().slice(0, 8))
  const sandboxes = await startSandboxes(args.modes)
  const agent = new http.Agent({
    keepAlive: true,
    maxSockets: args.concurrency,
    maxFreeSockets: args.concurrency,
  })
  const deadline = new AbortController()
  // every request in flight listens for the deadline
  setMaxListeners(args.concurrency + 10, deadline.signal)
  const samples = new Map<string, number[]>()
  const client = new LoopbackClient(agent, deadline.signal, (endpoint, ms) => {
    const list = samples.get(endpoint)
    if (list) list.push(ms)
    else samples.set(endpoint, [ms])
  })
  const completed = new Map<number, JourneyCodes>()
  const failures: LoadFailure[] = []
  const journeyMs: number[] = []
  let active = 0
  let peak = 0
  let next = 0

  const worker = async () => {
    while (next < plans.length && !deadline.signal.aborted) {
      const plan = plans[next++] as JourneyPlan
      const { sandbox } = sandboxes.get(plan.mode) as ModeSandbox
      active += 1
      peak = Math.max(peak, active)
      const startedAt = performance.now()
      try {
        completed.set(plan.index, await runJourney(plan, { sandbox, client, clientId: DEFAULT_CLIENT_ID }))
        journeyMs.push(performance.now() - startedAt)
      } catch (error) {
        // a journey cut short by the deadline counts as unfinished, below
        if (!deadline.signal.aborted) failures.push(failureOf(plan, error))
      } finally {
        active -= 1
      }
    }
  }

  const startedAt = performance.now()
  const timer = setTimeout(() => deadline.abort(), args.deadlineS * 1000)
  let windDown: ReturnType<typeof setTimeout> | undefined
  try {
    const workers = Promise.all(Array.from({ length: Math.min(args.concurrency, plans.length) }, worker))
    const givenUp = new Promise<void>((resolve) => {
      deadline.signal.addEventListener('abort', () => {
        windDown = setTimeout(resolve, WIND_DOWN_MS)
      })
    })
    await Promise.race([workers, givenUp])
  } finally {
    clearTimeout(timer)
    clearTimeout(windDown)
  }
  const durationMs = performance.now() - startedAt
  const unfinished = plans.length - completed.size - failures.length

  const problems: string[] = []
  if (unfinished > 0) {
    problems.push(
      `${unfinished} of ${plans.length} journeys did not finish within the deadline of ${args.deadlineS} s`,
    )
  }
  for (const [mode, { sandbox, codeLines }] of sandboxes) {
    const outbox = sandbox.outbox()
    if (outbox.length >= OUTBOX_LIMIT) {
      problems.push(
        `${mode}: the outbox keeps the newest ${OUTBOX_LIMIT} codes only; run fewer journeys to check them`,
      )
      continue
    }
    const journeys = plans
      .filter((plan) => plan.mode === mode)
      .map((plan) => ({
        journey: plan.index,
        target: plan.target,
        used: completed.get(plan.index)?.used ?? [],
      }))
    problems.push(...checkCodes(mode, journeys, outbox, codeLines))
  }

  await Promise.all([...sandboxes.values()].map(({ sandbox }) => sandbox.close()))
  agent.destroy()

  failures.sort((a, b) => a.journey - b.journey)
  return {
    ok: failures.length === 0 && problems.length === 0 && completed.size === plans.length,
    modes: [...args.modes],
    journeys: { planned: plans.length, completed: completed.size, failed: failures.length, unfinished },
    concurrency: { limit: args.concurrency, peakJourneys: peak, connectionsOpened: client.connectionsOpened },
    deadlineS: args.deadlineS,
    durationMs: Math.round(durationMs),
    requests: client.requests,
    throughput: {
      journeysPerS: perSecond(completed.size, durationMs),
      requestsPerS: perSecond(client.requests, durationMs),
    },
    latencyMs: latencyTable(samples, journeyMs),
    failures,
    problems,
  }
}

async function main(): Promise<void> {
  const args = parseLoadArgs(process.argv.slice(2))
  const result = await runLoad(args)
  process.stdout.write(`${args.json ? JSON.stringify(result, null, 2) : formatReport(result)}\n`)
  if (!result.ok) {
    const count = result.failures.length + result.problems.length
    throw new ScriptError(`The load run failed: ${count} failure${count === 1 ? '' : 's'} (listed above).`)
  }
}

if (isMainModule(__filename)) void runCli(main)
