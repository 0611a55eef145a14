/**
 * The agreement the user accepted, by version (tenant option `agreementVersion`). Kept in plain storage (a number),
 * so it stands across restarts; a tenant that raises the version asks every user again before the next send or bind.
 */
import { tenant } from '../config/index'
import { readPlain, removePlain, STORAGE_KEYS, writePlain } from './storage'

/** `accepted`: the current version; `raised`: an older one (the texts changed since); `never`: none yet. */
export type AgreementState = 'accepted' | 'raised' | 'never'

interface StoredAgreement {
  version: number
}

export function agreementState(): AgreementState {
  const stored = readPlain<StoredAgreement>(STORAGE_KEYS.agreement)
  if (!stored || typeof stored.version !== 'number') return 'never'
  return stored.version >= tenant().agreementVersion ? 'accepted' : 'raised'
}

export function acceptAgreement(): void {
  writePlain(STORAGE_KEYS.agreement, { version: tenant().agreementVersion })
}

export function withdrawAgreement(): void {
  removePlain(STORAGE_KEYS.agreement)
}
