/**
 * `npm start`: the local EIAM sandbox in the foreground, configured by the `EIAM_SANDBOX_*` environment.
 * stdout carries exactly the start line and one line per code sent (tools wait for and parse them); everything else
 * goes to stderr. Invalid configuration or a busy port: one sentence on stderr, exit code 1.
 */
import { networkInterfaces } from 'node:os'
import { optionsFromEnv, startSandbox, type Sandbox, type SandboxOptions } from '../sandbox'
import { DEFAULT_CLIENT_ID, DEFAULT_HOST, DEFAULT_PORT, SandboxConfigError } from '../sandbox/options'

const fail = (sentence: string): never => {
  process.stderr.write(`[eiam-sandbox] ${sentence}\n`)
  process.exit(1)
}

function listenFailure(error: unknown, options: SandboxOptions): string {
  const host = options.host ?? DEFAULT_HOST
  const port = options.port ?? DEFAULT_PORT
  const code = (error as NodeJS.ErrnoException | undefined)?.code
  if (code === 'EADDRINUSE') {
    return `Port ${port} on ${host} is already in use: stop the other process or choose another port with EIAM_SANDBOX_PORT.`
  }
  if (code === 'EADDRNOTAVAIL' || code === 'ENOTFOUND' || code === 'EAI_AGAIN') {
    return `Cannot listen on host ${host}: set EIAM_SANDBOX_HOST to an address of this machine (127.0.0.1, 0.0.0.0).`
  }
  if (code === 'EACCES')
    return `Not allowed to listen on port ${port}: choose a port above 1023 with EIAM_SANDBOX_PORT.`
  return `The sandbox could not start: ${error instanceof Error ? error.message : String(error)}.`
}

/** The IPv4 addresses a phone on the same network can use when the sandbox listens on all interfaces. */
function lanAddresses(): string[] {
  return Object.values(networkInterfaces())
    .flat()
    .filter((entry) => entry !== undefined && entry.family === 'IPv4' && !entry.internal)
    .map((entry) => entry?.address ?? '')
}

async function main(): Promise<void> {
  let options: SandboxOptions = {}
  try {
    options = optionsFromEnv(process.env)
  } catch (error) {
    fail(error instanceof SandboxConfigError ? error.message : String(error))
  }
  let sandbox: Sandbox
  try {
    sandbox = await startSandbox(options)
  } catch (error) {
    return fail(error instanceof SandboxConfigError ? error.message : listenFailure(error, options))
  }
  const mode = options.mode ?? 'bind'
  // the default dialect keeps the start line as it always was; another one is named at its end
  const dialect = options.dialect && options.dialect !== 'bamboo' ? ` dialect=${options.dialect}` : ''
  process.stdout.write(
    `[eiam-sandbox] listening on ${sandbox.url} client_id=${options.clientId ?? DEFAULT_CLIENT_ID} mode=${mode}${dialect}\n`,
  )
  if (options.host === '0.0.0.0') {
    for (const address of lanAddresses()) {
      process.stderr.write(`[eiam-sandbox] from a phone on this network: http://${address}:${sandbox.port}\n`)
    }
  }
  if (options.hooks) {
    process.stderr.write('[eiam-sandbox] test hooks are on under /__sandbox/ (never in a shared setup)\n')
  }

  let stopping = false
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) return
    stopping = true
    process.stderr.write(`[eiam-sandbox] ${signal}: stopping\n`)
    sandbox.close().then(
      () => process.exit(0),
      () => process.exit(1),
    )
  }
  process.on('SIGINT', stop)
  process.on('SIGTERM', stop)
}

void main()
