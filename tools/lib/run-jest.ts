/**
 * Runs one project of tools/jest.config.js (the page drivers of bench and screenshots) in a child process: the
 * real pages need jest's jsdom environment and module registry (miniprogram-simulate, simulate.ts's isolated page
 * loads), which a plain Node script does not have. The driver writes its results to a file named in `env`.
 */
import { spawn } from 'node:child_process'
import { createRequire } from 'node:module'
import { condense, fail } from '../../scripts/lib/errors'

export const BENCH_JEST_CONFIG = 'tools/jest.config.js'

export interface JestRun {
  ms: number
  output: string
}

/** The last lines of jest's output that say what failed (its summary and first failure). */
export function failureExcerpt(output: string, maxLines = 40): string {
  const lines = output.split(/\r?\n/)
  const first = lines.findIndex((line) => line.includes('●'))
  const excerpt = first >= 0 ? lines.slice(first, first + maxLines) : lines.slice(-maxLines)
  return excerpt.join('\n').trimEnd()
}

export async function runJestProject(options: {
  rootDir: string
  project: 'bench' | 'shots'
  env: Record<string, string>
  timeoutMs: number
  /** print jest's output as it comes (otherwise only on failure) */
  echo?: boolean
  maxWorkers?: number
}): Promise<JestRun> {
  const started = Date.now()
  const jest = createRequire(__filename).resolve('jest/bin/jest')
  const args = [
    jest,
    '--config',
    BENCH_JEST_CONFIG,
    '--selectProjects',
    options.project,
    '--ci',
    `--maxWorkers=${options.maxWorkers ?? 2}`,
  ]
  const child = spawn(process.execPath, args, {
    cwd: options.rootDir,
    env: { ...process.env, ...options.env, FORCE_COLOR: '0' },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  const chunks: string[] = []
  const collect = (chunk: Buffer) => {
    chunks.push(chunk.toString('utf8'))
    if (options.echo) process.stderr.write(chunk)
  }
  child.stdout.on('data', collect)
  child.stderr.on('data', collect)
  const code = await new Promise<number | null>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGTERM')
      reject(new Error(`timeout after ${options.timeoutMs / 1000} s`))
    }, options.timeoutMs)
    child.on('error', (error) => {
      clearTimeout(timer)
      reject(error)
    })
    child.on('close', (exitCode) => {
      clearTimeout(timer)
      resolve(exitCode)
    })
  }).catch((error: unknown) => {
    fail(
      `The ${options.project} page run (jest -c ${BENCH_JEST_CONFIG}) did not finish: ${condense(String(error))}.`,
    )
  })
  const output = chunks.join('')
  if (code !== 0) {
    if (!options.echo) console.error(failureExcerpt(output))
    fail(
      `The ${options.project} page run failed (jest -c ${BENCH_JEST_CONFIG} --selectProjects ${options.project} exited with ${code}): see its output above.`,
    )
  }
  return { ms: Date.now() - started, output }
}
