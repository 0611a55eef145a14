/**
 * The device headers every EIAM call carries (docs/eiam-api.md §1). Never `X-device-ip`: a mini program cannot know it.
 */
import { tenant } from '../config/index'
import { language } from '../i18n/index'
import { readPlain, STORAGE_KEYS, writePlain } from './storage'

interface DeviceFacts {
  system: string
  agent: string
}

let facts: DeviceFacts | undefined
let fingerprint: Promise<string> | undefined

const canUse = (api: keyof WechatMiniprogram.Wx) => typeof wx[api] === 'function'

/** From the split info APIs (base library ≥ 2.20.1), or the old system info API where they are missing. */
function readDeviceFacts(): DeviceFacts {
  let brand = ''
  let model = ''
  let system = ''
  let wechat = ''
  let sdk = ''
  try {
    if (canUse('getDeviceInfo') && canUse('getAppBaseInfo')) {
      const device = wx.getDeviceInfo()
      const app = wx.getAppBaseInfo()
      ;({ brand, model, system } = device)
      wechat = app.version
      sdk = app.SDKVersion
    } else {
      const info = wx.getSystemInfoSync()
      ;({ brand, model, system, version: wechat, SDKVersion: sdk } = info)
    }
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

function weakRandomBytes(length: number): ArrayBuffer {
  const bytes = new Uint8Array(length)
  for (let index = 0; index < length; index += 1) bytes[index] = Math.floor(Math.random() * 256)
  return bytes.buffer
}

function createFingerprint(): Promise<string> {
  return new Promise((resolve) => {
    const done = (bytes: ArrayBuffer) => resolve(randomHex(bytes))
    if (!canUse('getRandomValues')) return done(weakRandomBytes(16))
    wx.getRandomValues({
      length: 16,
      success: (result) => done(result.randomValues),
      fail: () => done(weakRandomBytes(16)),
    })
  })
}

/** Made once per install and kept forever: the sandbox (and risk engines) see it as this WeChat identity's device. */
export function deviceFingerprint(): Promise<string> {
  if (!fingerprint) {
    const stored = readPlain<string>(STORAGE_KEYS.fingerprint)
    fingerprint = stored
      ? Promise.resolve(stored)
      : createFingerprint().then((made) => {
          writePlain(STORAGE_KEYS.fingerprint, made)
          return made
        })
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
