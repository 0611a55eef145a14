/**
 * What `npm run load` runs: its command line and the journeys it plans. Pure, so the choices are tested without a
 * server.
 *
 * Every journey is its own WeChat identity (its own `X-device-fingerprint`) with its own fresh target: a mobile or an
 * email no seeded user has and no other journey of the run uses, already in canonical form (11 bare digits, lower-case
 * email), so the sandbox's outbox lists it exactly as the journey sent it.
 */
import { ScriptError } from '../../scripts/lib/errors'

export type LoadMode = 'register' | 'auto'
export const LOAD_MODES: readonly LoadMode[] = ['register', 'auto']

export interface LoadArgs {
  /** Sandbox modes to drive; the journeys are shared out between them in turn. */
  modes: LoadMode[]
  journeys: number
  /** Journeys in flight at once, at most. */
  concurrency: number
  /** The whole run (journeys, not the sandbox start) must end within this, or it stops and fails. */
  deadlineS: number
  /** One JSON document on stdout instead of the table. */
  json: boolean
}

export const LOAD_DEFAULTS: LoadArgs = {
  modes: [...LOAD_MODES],
  journeys: 200,
  concurrency: 200,
  deadlineS: 60,
  json: false,
}

export const LOAD_USAGE =
  'Usage: npm run load -- [--mode register|auto|both] [--journeys N] [--concurrency N] [--deadline-s N] [--json]'

const MAX_JOURNEYS = 100_000
const MAX_CONCURRENCY = 1_000
const MAX_DEADLINE_S = 3_600

function wholeNumber(flag: string, raw: string | undefined, min: number, max: number): number {
  if (raw === undefined || !/^\d+$/.test(raw) || Number(raw) < min || Number(raw) > max) {
    throw new ScriptError(
      `${flag} takes a whole number from ${min} to ${max}, not "${raw ?? ''}". ${LOAD_USAGE}`,
    )
  }
  return Number(raw)
}

function modesOf(raw: string | undefined): LoadMode[] {
  if (raw === 'both') return [...LOAD_MODES]
  const mode = LOAD_MODES.find((candidate) => candidate === raw)
  if (!mode) throw new ScriptError(`--mode takes register, auto or both, not "${raw ?? ''}". ${LOAD_USAGE}`)
  return [mode]
}

/** `--flag value` and `--flag=value` both work; anything unknown is refused with the usage line. */
export function parseLoadArgs(argv: readonly string[]): LoadArgs {
  const args: LoadArgs = { ...LOAD_DEFAULTS, modes: [...LOAD_DEFAULTS.modes] }
  for (let index = 0; index < argv.length; index++) {
    const word = argv[index] as string
    const [flag = '', inline] = word.startsWith('--') && word.includes('=') ? word.split(/=(.*)/s, 2) : [word]
    const value = () => (inline !== undefined ? inline : argv[++index])
    switch (flag) {
      case '--json':
        if (inline !== undefined) throw new ScriptError(`--json takes no value. ${LOAD_USAGE}`)
        args.json = true
        break
      case '--mode':
        args.modes = modesOf(value())
        break
      case '--journeys':
        args.journeys = wholeNumber(flag, value(), 1, MAX_JOURNEYS)
        break
      case '--concurrency':
        args.concurrency = wholeNumber(flag, value(), 1, MAX_CONCURRENCY)
        break
      case '--deadline-s':
        args.deadlineS = wholeNumber(flag, value(), 1, MAX_DEADLINE_S)
        break
      default:
        throw new ScriptError(`Unknown argument "${word}". ${LOAD_USAGE}`)
    }
  }
  return args
}

export type LoadChannel = 'sms' | 'email'

export interface JourneyPlan {
  index: number
  mode: LoadMode
  channel: LoadChannel
  /** Canonical: 11 bare digits or a lower-case email. */
  target: string
  fingerprint: string
}

/** Mobiles of the run: `150` + 8 digits. No seeded user (138…, 139…, 137…) is in that range. */
const MOBILE_PREFIX = '150'

export function journeyTarget(index: number, channel: LoadChannel): string {
  return channel === 'sms'
    ? `${MOBILE_PREFIX}${String(index).padStart(8, '0')}`
    : `load.user${index}@example.test`
}

/**
 * Journeys take the modes in turn (half each with both), and within a mode alternate SMS and email, so each mode
 * sees both channels.
 */
export function planJourneys(args: Pick<LoadArgs, 'modes' | 'journeys'>, runId: string): JourneyPlan[] {
  return Array.from({ length: args.journeys }, (_, index) => {
    const mode = args.modes[index % args.modes.length] as LoadMode
    const turnInMode = Math.floor(index / args.modes.length)
    const channel: LoadChannel = turnInMode % 2 === 0 ? 'sms' : 'email'
    return {
      index,
      mode,
      channel,
      target: journeyTarget(index, channel),
      fingerprint: `load-${runId}-${index}`,
    }
  })
}

/** The code types a journey sends, in order: auto binds first (BIND_*), then both modes register (REGISTER_*). */
export function sendTypesOf(plan: Pick<JourneyPlan, 'mode' | 'channel'>): string[] {
  const register = plan.channel === 'sms' ? 'REGISTER_SMS' : 'REGISTER_EMS'
  if (plan.mode === 'register') return [register]
  return [plan.channel === 'sms' ? 'BIND_MOBILE_SMS' : 'BIND_EMAIL_EMS', register]
}
