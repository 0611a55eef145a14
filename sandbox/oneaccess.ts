/**
 * The calls only the `oneaccess` dialect serves (docs/oneaccess.md): the application's public key, the server's clock,
 * and four calls signed with `X-signature` — logout, the user's social accounts, unbinding one, and the id_token
 * refresh that keeps the session token as it is.
 *
 * Every signed call: the signature must decrypt and read `session_token=…&timestamp=…&nonce=…` with a fresh timestamp
 * and its hex as nonce, and name a session token this sandbox issued (else COMMON.1004); that token must still be live
 * (else PARAM.0023). When the call also carries `X-session-token`, it must be the signed one (else COMMON.1004).
 */
import type { DirectoryUser } from './directory'
import { SandboxError, blank, badFormat, wrongValue } from './messages'
import type { ResolvedOptions } from './options'
import { decryptSignature, readSignedText, type SignatureKey } from './signature'
import type { Answer, Call, Endpoint, Tenant } from './tenant'

/** What `GET /social` lists each link as: the vendor does not document the shape, so this is the sandbox's choice. */
export const SOCIAL_ACCOUNT_TYPE = 'WECHAT_MINIPROGRAM'

export const ONEACCESS_ENDPOINT_PATHS = {
  publicKey: '/api/v2/sdk/public-key',
  serverDate: '/api/v2/sdk/server-date',
  logout: '/api/v2/sdk/logout',
  social: '/api/v2/sdk/social',
  unbind: '/api/v2/sdk/social/unbind-account',
  refresh: '/api/v2/sdk/session-token/refresh-id-token',
} as const

interface Signed {
  sessionToken: string
  user: DirectoryUser
}

export class OneAccessCalls {
  constructor(
    private readonly tenant: Tenant,
    private readonly options: ResolvedOptions,
    private readonly key: SignatureKey,
  ) {}

  readonly endpoints: readonly Endpoint[] = [
    {
      method: 'GET',
      path: ONEACCESS_ENDPOINT_PATHS.publicKey,
      handle: () => ({ public_key: this.key.publicKeyBase64 }),
    },
    {
      method: 'GET',
      path: ONEACCESS_ENDPOINT_PATHS.serverDate,
      // a string of epoch ms, as the vendor's example writes it
      handle: () => ({ timestamp: String(this.options.now()) }),
    },
    { method: 'GET', path: ONEACCESS_ENDPOINT_PATHS.logout, handle: (call) => this.logout(call) },
    { method: 'GET', path: ONEACCESS_ENDPOINT_PATHS.social, handle: (call) => this.socialAccounts(call) },
    { method: 'POST', path: ONEACCESS_ENDPOINT_PATHS.unbind, handle: (call) => this.unbind(call) },
    { method: 'POST', path: ONEACCESS_ENDPOINT_PATHS.refresh, handle: (call) => this.refresh(call) },
  ]

  private signed(call: Call): Signed {
    const plain = decryptSignature(this.key, call.headers['x-signature'], this.options.signaturePadding)
    const { sessionToken } = readSignedText(plain, this.options.now())
    const header = call.headers['x-session-token']
    if (header !== undefined && header.trim() !== sessionToken) throw new SandboxError('SDK.COMMON.1004')
    const found = this.tenant.sessions.lookup(sessionToken)
    if (found.state === 'unknown') throw new SandboxError('SDK.COMMON.1004')
    if (found.state === 'dead') throw new SandboxError('SDK.PARAM.0023')
    const user = this.tenant.directory.byId(found.userId)
    if (!user) throw new SandboxError('SDK.PARAM.0023')
    return { sessionToken, user }
  }

  /** 200 with an empty body; the session token is dead from here on. */
  private logout(call: Call): Answer {
    const { sessionToken } = this.signed(call)
    this.tenant.sessions.end(sessionToken)
    return undefined
  }

  private socialAccounts(call: Call): Answer {
    const { user } = this.signed(call)
    return {
      social_accounts: this.tenant.directory.linksOf(user.id).map((link) => ({
        id: link.id,
        type: SOCIAL_ACCOUNT_TYPE,
        name: `WeChat ${link.fingerprint.slice(-4)}`,
        bound_at: new Date(link.boundAt).toISOString(),
      })),
    }
  }

  /** Removes one of the signed-in user's links; the next login of that WeChat identity answers SOCIAL_BIND. */
  private unbind(call: Call): Answer {
    const { user } = this.signed(call)
    const id = call.body.id
    if (id === undefined || id === null || id === '') throw blank('id')
    if (typeof id !== 'string') throw badFormat('id')
    const owned = this.tenant.directory.linksOf(user.id).some((link) => link.id === id)
    if (!owned || !this.tenant.directory.unlink(id)) throw wrongValue('id')
    return undefined
  }

  /** A new id_token only: the session token and its expiry stay as they were. */
  private refresh(call: Call): Answer {
    const { user } = this.signed(call)
    return { id_token: this.tenant.idToken(user) }
  }
}
