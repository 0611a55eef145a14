/**
 * Making miniprogram-ci Projects. Its constructor insists on a private key file:
 * - offline work (compile) gets a throwaway RSA key generated at run time, in a 0700 temp folder removed afterwards,
 *   so the repository never holds anything shaped like key material;
 * - preview/upload get the real code-upload key: a path is used in place, key text is written to a 0600 temp file that
 *   is removed in `finally`, whatever happens.
 */
import crypto from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'
import type { CiApi, CiProject } from './ci'
import { makeTempDir, removeTempDir } from './temp'

/** Nothing under these is part of the mini program. */
const PROJECT_IGNORES = ['node_modules/**/*']

export type ReleaseKey = { kind: 'content'; text: string } | { kind: 'path'; path: string }

export function readProjectConfig(projectPath: string): { appid?: unknown; [key: string]: unknown } {
  return JSON.parse(fs.readFileSync(path.join(projectPath, 'project.config.json'), 'utf8')) as {
    appid?: unknown
  }
}

/** A PEM private key nobody will ever use for signing; the offline calls never send anything. */
function throwawayKeyPem(): string {
  const { privateKey } = crypto.generateKeyPairSync('rsa', {
    modulusLength: 1024,
    privateKeyEncoding: { type: 'pkcs1', format: 'pem' },
    publicKeyEncoding: { type: 'spki', format: 'pem' },
  })
  return privateKey
}

/**
 * Nothing listens on the discard port: requests through this "proxy" are refused at once. The offline compile still
 * asks servicewechat.com for the list of allowed file extensions and falls back to its built-in list when that fails;
 * behind a firewall that drops packets the question would hang for minutes, and online the answer could change
 * the output. Refusing it keeps the build offline, fast and the same everywhere.
 */
export const REFUSING_PROXY = 'http://127.0.0.1:9'

/** A Project that never talks to WeChat: compile, code quality. */
export async function withOfflineProject<T>(
  ci: CiApi,
  projectPath: string,
  use: (project: CiProject) => Promise<T>,
): Promise<T> {
  const keyDir = makeTempDir('eiam-offline-key-')
  ci.setProxy(REFUSING_PROXY)
  try {
    const privateKeyPath = path.join(keyDir, 'throwaway.key')
    fs.writeFileSync(privateKeyPath, throwawayKeyPem(), { mode: 0o600, flag: 'wx' })
    const configAppid = readProjectConfig(projectPath).appid
    const project = ci.createProject({
      appid: typeof configAppid === 'string' && configAppid ? configAppid : 'touristappid',
      type: 'miniProgram',
      projectPath,
      privateKeyPath,
      ignores: PROJECT_IGNORES,
      attr: () => ci.defaultProjectAttr(),
    })
    // the compiler's worker leaves an empty cache folder named by a hash in its working directory: keep it out of
    // the repository by working from the temp folder, which is removed below
    const workingDir = process.cwd()
    process.chdir(keyDir)
    try {
      return await use(project)
    } finally {
      process.chdir(workingDir)
    }
  } finally {
    ci.setProxy('')
    removeTempDir(keyDir)
  }
}

/** A Project signed with the real code-upload key, for preview and upload. */
export async function withReleaseProject<T>(
  ci: CiApi,
  spec: { projectPath: string; appid: string; key: ReleaseKey },
  use: (project: CiProject) => Promise<T>,
): Promise<T> {
  let keyDir: string | undefined
  try {
    let privateKeyPath = spec.key.kind === 'path' ? spec.key.path : ''
    if (spec.key.kind === 'content') {
      keyDir = makeTempDir('eiam-upload-key-')
      privateKeyPath = path.join(keyDir, `private.${spec.appid}.key`)
      fs.writeFileSync(privateKeyPath, spec.key.text, { mode: 0o600, flag: 'wx' })
    }
    const project = ci.createProject({
      appid: spec.appid,
      type: 'miniProgram',
      projectPath: spec.projectPath,
      privateKeyPath,
      ignores: PROJECT_IGNORES,
    })
    return await use(project)
  } finally {
    if (keyDir) removeTempDir(keyDir)
  }
}
