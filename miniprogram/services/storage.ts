/**
 * Storage keys and the two ways things are kept: tokens and what the user typed in encrypted storage (async API,
 * `encrypt: true`, base library ≥ 2.21.3), the device fingerprint and countdown end times in plain sync storage.
 */
export const STORAGE_KEYS = {
  fingerprint: 'eiam.fingerprint',
  flow: 'eiam.flow',
  session: 'eiam.session',
  draft: 'eiam.draft',
  countdowns: 'eiam.countdowns',
  /** the support code of the current sign-in attempt (not a secret: it is shown on screen) */
  support: 'eiam.support',
  /** the agreement version the user accepted (a number) */
  agreement: 'eiam.agreement',
  /** the captcha `point_json` form learned per base URL (services/captcha-form.ts): not secret, kept on sign-out */
  captchaForm: 'eiam.captchaForm',
  /** After a sign-out that left the server's session alive: until when (plain: a time, no token). */
  signOutNotice: 'eiam.signOutNotice',
} as const

export function readSecure<T>(key: string): Promise<T | undefined> {
  return new Promise((resolve) => {
    wx.getStorage({
      key,
      encrypt: true,
      success: (result) => {
        try {
          resolve(typeof result.data === 'string' && result.data ? (JSON.parse(result.data) as T) : undefined)
        } catch {
          // an unreadable entry is as good as none
          resolve(undefined)
        }
      },
      fail: () => resolve(undefined),
    })
  })
}

export function writeSecure(key: string, value: unknown): Promise<void> {
  return new Promise((resolve, reject) => {
    wx.setStorage({
      key,
      data: JSON.stringify(value),
      encrypt: true,
      success: () => resolve(),
      fail: (error) => reject(new Error(`storage write failed: ${error.errMsg}`)),
    })
  })
}

export function removeSecure(key: string): Promise<void> {
  return new Promise((resolve) => {
    wx.removeStorage({ key, complete: () => resolve() })
  })
}

export function readPlain<T>(key: string): T | undefined {
  try {
    const value: unknown = wx.getStorageSync(key)
    return value === '' || value === undefined || value === null ? undefined : (value as T)
  } catch {
    return undefined
  }
}

export function writePlain(key: string, value: unknown): void {
  try {
    wx.setStorageSync(key, value)
  } catch (error) {
    console.warn('storage write failed', key, error instanceof Error ? error.message : '')
  }
}

export function removePlain(key: string): void {
  try {
    wx.removeStorageSync(key)
  } catch {
    // nothing to remove is as good as removed
  }
}
