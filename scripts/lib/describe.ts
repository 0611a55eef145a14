import { execFileSync } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import { fail } from './errors'

/** The subject of the last commit, or undefined without git or commits. */
export function lastCommitSubject(rootDir: string): string | undefined {
  try {
    const subject = execFileSync('git', ['log', '-1', '--format=%s'], {
      cwd: rootDir,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
      timeout: 5000,
    })
    return subject.trim() || undefined
  } catch {
    return undefined
  }
}

/** The version WeChat shows for an upload: package.json's. */
export function packageVersion(rootDir: string): string {
  let version: unknown
  try {
    version = (
      JSON.parse(fs.readFileSync(path.join(rootDir, 'package.json'), 'utf8')) as { version?: unknown }
    ).version
  } catch {
    fail('package.json cannot be read: the upload takes its version from there.')
  }
  if (typeof version !== 'string' || !version.trim()) {
    fail('package.json has no "version": the upload takes its version from there.')
  }
  return version.trim()
}

/** The description WeChat shows next to the version: one line, printable, not too long. */
export function uploadDescription(subject: string | undefined, version: string): string {
  const line = (subject ?? `eiam-bind-miniprogram ${version}`).replace(/\p{Cc}+/gu, ' ').trim()
  return line.length > 200 ? `${line.slice(0, 199)}…` : line
}
