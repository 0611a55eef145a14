/**
 * The user directory and the identity links (docs/design.md "Seeded directory" and "Identity rule").
 * The sandbox cannot ask WeChat whose `wx.login` code it got, so the `X-device-fingerprint` header stands for the WeChat
 * identity: a successful bind links it to a user, and every later login of that identity answers the user's policy.
 */

/** What every sign-in of the user answers. */
export type Policy = 'SUCCESS' | 'MFA_AUTH' | 'ACCESS_DENIED'

/**
 * Where the user's password stands, answered by a password bind before the policy: `expired` (PASSWORD_EXPIRED until
 * changed) or `expiring` (PASSWORD_WARN on every password bind until changed). Absent: the password is current.
 */
export type PasswordState = 'expired' | 'expiring'

export interface DirectoryUser {
  id: string
  name: string
  userName: string
  /** Canonical mobile (see validation.ts), if the user has one. */
  mobile?: string
  /** Lower-case email, if the user has one. */
  email?: string
  policy: Policy
  /** The directory password, for username-password-bind; users created by register-bind have none. */
  password?: string
  passwordState?: PasswordState
}

/** The same in every start; documented in the README, relied on by tests and by people trying the app. */
export const SEEDED_USERS: readonly Readonly<DirectoryUser>[] = Object.freeze([
  {
    id: '10001',
    name: '张三',
    userName: 'zhangsan',
    mobile: '13800138000',
    email: 'zhangsan@example.com',
    policy: 'SUCCESS',
    password: 'Zhangsan@2026',
  },
  {
    id: '10002',
    name: '李四',
    userName: 'lisi',
    mobile: '13900139000',
    email: 'lisi@example.com',
    policy: 'MFA_AUTH',
    password: 'Lisi@2026',
  },
  {
    id: '10003',
    name: '王五',
    userName: 'wangwu',
    mobile: '13700137000',
    email: 'wangwu@example.com',
    policy: 'ACCESS_DENIED',
    password: 'Wangwu@2026',
  },
  {
    id: '10004',
    name: '赵六',
    userName: 'zhaoliu',
    mobile: '13611110000',
    email: 'zhaoliu@example.com',
    policy: 'SUCCESS',
    password: 'Zhaoliu@2026',
    passwordState: 'expired',
  },
  {
    id: '10005',
    name: '孙七',
    userName: 'sunqi',
    mobile: '13522220000',
    email: 'sunqi@example.com',
    policy: 'SUCCESS',
    password: 'Sunqi@2026',
    passwordState: 'expiring',
  },
])

const FIRST_CREATED_ID = 20001

/**
 * One user name in any case: `ZhangSan`, `zhangsan` and `ZHANGSAN` are the same user. Nothing else is forgiven (spaces
 * are the client's to trim), so the sandbox does not hide a client that sends what the user typed as is.
 */
export const canonicalUserName = (userName: string) => userName.toLowerCase()

/** One WeChat identity linked to a user: what OneAccess lists as a social account. */
export interface IdentityLink {
  /** Opaque id of the link (`GET /social` shows it, `social/unbind-account` takes it). */
  id: string
  fingerprint: string
  userId: string
  /** epoch ms */
  boundAt: number
}

export type Target = { channel: 'sms'; canonical: string } | { channel: 'email'; canonical: string }

export class Directory {
  private users: DirectoryUser[] = []
  /** By fingerprint. */
  private readonly links = new Map<string, IdentityLink>()
  private nextId = FIRST_CREATED_ID
  private nextLinkId = 1

  constructor() {
    this.reset()
  }

  /** Back to the seeded users, with no identity linked. */
  reset(): void {
    this.users = SEEDED_USERS.map((user) => ({ ...user }))
    this.links.clear()
    this.nextId = FIRST_CREATED_ID
    this.nextLinkId = 1
  }

  byId(id: string): DirectoryUser | undefined {
    return this.users.find((user) => user.id === id)
  }

  /** By `userName` or display `name`. */
  byName(name: string): DirectoryUser | undefined {
    return this.users.find((user) => user.userName === name || user.name === name)
  }

  /** By user name as a password sign-in sends it, compared case-insensitively. */
  byUserName(userName: string): DirectoryUser | undefined {
    const wanted = canonicalUserName(userName)
    return this.users.find((user) => canonicalUserName(user.userName) === wanted)
  }

  /** A new password; the user's password state is current from now on. */
  setPassword(user: DirectoryUser, password: string): void {
    user.password = password
    delete user.passwordState
  }

  byTarget(target: Target): DirectoryUser | undefined {
    return this.users.find((user) =>
      target.channel === 'sms' ? user.mobile === target.canonical : user.email === target.canonical,
    )
  }

  /** A registered user: named after the phone or email, signed in without conditions. */
  create(target: Target): DirectoryUser {
    const user: DirectoryUser = {
      id: String(this.nextId++),
      name: target.canonical,
      userName: target.canonical,
      policy: 'SUCCESS',
      ...(target.channel === 'sms' ? { mobile: target.canonical } : { email: target.canonical }),
    }
    this.users.push(user)
    return user
  }

  /** `at`: epoch ms of the bind. Linking again (to the same or another user) makes a new link. */
  link(fingerprint: string, user: DirectoryUser, at = Date.now()): void {
    this.links.set(fingerprint, { id: `wx-${this.nextLinkId++}`, fingerprint, userId: user.id, boundAt: at })
  }

  linkedUser(fingerprint: string): DirectoryUser | undefined {
    const link = this.links.get(fingerprint)
    return link === undefined ? undefined : this.byId(link.userId)
  }

  /** The user's links, oldest first. */
  linksOf(userId: string): IdentityLink[] {
    return [...this.links.values()].filter((link) => link.userId === userId)
  }

  /** Removes the link with that id; false when there is none. */
  unlink(linkId: string): boolean {
    for (const [fingerprint, link] of this.links) {
      if (link.id === linkId) return this.links.delete(fingerprint)
    }
    return false
  }
}
