/**
 * The device headers every EIAM call carries (docs/eiam-api.md §1). Never `X-device-ip`: a mini program cannot know it.
 */
import { tenant } from '../config/index'
import { language, t } from '../i18n/index'
import { EiamError } from './errors'
import { readPlain, STORAGE_KEYS, writePlain } from './storage'

interface DeviceFacts {
  system: string
  agent: string
}

let facts: DeviceFacts | undefined
let fingerprint: Promise<string> | undefined

/** From the split info APIs (every base library this app supports has them). */
function readDeviceFacts(): DeviceFacts {
  let brand = ''
  let model = ''
  let system = ''
  let wechat = ''
  let sdk = ''
  try {
    ;({ brand, model, system } = wx.getDeviceInfo())
    const app = wx.getAppBaseInfo()
    wechat = app.version
    sdk = app.SDKVersion
  } catch {
    // leave the facts empty: the headers still go out, with "unknown"
  }
  const os = system || 'unknown'
  const device = [brand, model].filter(Boolean).join(' ') || 'unknown'
  return {
    system: os,
    agent: `${device}; ${os}; WeChat/${wechat || 'unknown'}; MiniProgram/${sdk || 'unknown'}`,
  }
}

function randomHex(bytes: ArrayBuffer): string {
  return Array.from(new Uint8Array(bytes), (byte) => (byte < 16 ? '0' : '') + byte.toString(16)).join('')
}

/** 16 random bytes from WeChat's secure source; when it fails the call fails (no weaker stand-in). */
function createFingerprint(): Promise<string> {
  return new Promise((resolve, reject) => {
    wx.getRandomValues({
      length: 16,
      success: (result) => resolve(randomHex(result.randomValues)),
      fail: () => reject(new EiamError('network', t('error.unexpected'))),
    })
  })
}

/** Made once per install and kept forever: the sandbox (and risk engines) see it as this WeChat identity's device. */
export function deviceFingerprint(): Promise<string> {
  if (!fingerprint) {
    const stored = readPlain<string>(STORAGE_KEYS.fingerprint)
    fingerprint = stored
      ? Promise.resolve(stored)
      : createFingerprint().then(
          (made) => {
            writePlain(STORAGE_KEYS.fingerprint, made)
            return made
          },
          (error: unknown) => {
            // the next call asks again
            fingerprint = undefined
            throw error
          },
        )
  }
  return fingerprint
}

export async function deviceHeaders(): Promise<Record<string, string>> {
  if (!facts) facts = readDeviceFacts()
  return {
    'X-operating-sys-version': facts.system,
    'X-device-fingerprint': await deviceFingerprint(),
    'X-agent': facts.agent,
    'X-L': language(),
    'X-client-id': tenant().clientId,
    'content-type': 'application/json',
  }
}
