/**
 * The user directory and the identity links (docs/design.md "Seeded directory" and "Identity rule").
 * The sandbox cannot ask WeChat whose `wx.login` code it got, so the `X-device-fingerprint` header stands for the WeChat
 * identity: a successful bind links it to a user, and every later login of that identity answers the user's policy.
 */

/** What every sign-in of the user answers. */
export type Policy = 'SUCCESS' | 'MFA_AUTH' | 'ACCESS_DENIED'

export interface DirectoryUser {
  id: string
  name: string
  userName: string
  /** Canonical mobile (see validation.ts), if the user has one. */
  mobile?: string
  /** Lower-case email, if the user has one. */
  email?: string
  policy: Policy
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
  },
  {
    id: '10002',
    name: '李四',
    userName: 'lisi',
    mobile: '13900139000',
    email: 'lisi@example.com',
    policy: 'MFA_AUTH',
  },
  {
    id: '10003',
    name: '王五',
    userName: 'wangwu',
    mobile: '13700137000',
    email: 'wangwu@example.com',
    policy: 'ACCESS_DENIED',
  },
])

const FIRST_CREATED_ID = 20001

export type Target = { channel: 'sms'; canonical: string } | { channel: 'email'; canonical: string }

export class Directory {
  private users: DirectoryUser[] = []
  private readonly links = new Map<string, string>()
  private nextId = FIRST_CREATED_ID

  constructor() {
    this.reset()
  }

  /** Back to the seeded users, with no identity linked. */
  reset(): void {
    this.users = SEEDED_USERS.map((user) => ({ ...user }))
    this.links.clear()
    this.nextId = FIRST_CREATED_ID
  }

  byId(id: string): DirectoryUser | undefined {
    return this.users.find((user) => user.id === id)
  }

  /** By `userName` or display `name`. */
  byName(name: string): DirectoryUser | undefined {
    return this.users.find((user) => user.userName === name || user.name === name)
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

  link(fingerprint: string, user: DirectoryUser): void {
    this.links.set(fingerprint, user.id)
  }

  linkedUser(fingerprint: string): DirectoryUser | undefined {
    const id = this.links.get(fingerprint)
    return id === undefined ? undefined : this.byId(id)
  }
}
