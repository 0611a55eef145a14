/**
 * The account page's words, zh and en, kept in its subpackage so that they do not weigh on the main package
 * (i18n/ holds everything the main package shows). Same keys in both languages; a unit test holds them equal.
 */
import { fill, type Language, type Params } from '../../i18n/index'

const en = {
  title: 'My linked account',
  heading: 'Who is signed in',
  name: 'Name',
  userName: 'User name',
  mobile: 'Mobile',
  email: 'Email',
  linkedHeading: 'WeChat linked to this account',
  thisWechat: 'This WeChat',
  linkedNow: 'linked, you signed in with it',
  linkedSince: 'linked {date}',
  wechatMiniProgram: 'WeChat mini program',
  noLinks: 'The organisation lists no WeChat linked to this account.',
  chooseOne: 'Several WeChat accounts are linked: tap the one to unlink.',
  loading: 'Loading linked accounts…',
  reload: 'Try again',
  unlink: 'Unlink this WeChat',
  rebind: 'Not me? Unlink and bind again',
  confirmUnlink:
    'Unlink this WeChat from {user}? You will be signed out, and the next sign-in with this WeChat asks you to verify your mobile or email again.',
  confirmRebind:
    'Unlink this WeChat from {user} and bind it again? You will be signed out and taken straight to binding.',
  confirm: 'Unlink',
  cancel: 'Cancel',
  unlinked: 'This WeChat is unlinked.',
  itOnly:
    'Your organisation unlinks WeChat accounts itself: IT removes the link in the admin console (user → social accounts). Send them the request below. {contact}',
  requestHeading: 'Request to send to IT',
  request:
    'Please unlink the WeChat account from my {organisation} account. User name: {userName}; mobile: {mobile}; date: {date}.',
  copy: 'Copy the request',
  copied: 'Request copied: paste it into a message to IT.',
  copyFailed: 'Could not copy. Select the text above and copy it by hand.',
}

export type AccountStrings = typeof en

const zh: AccountStrings = {
  title: '我的关联账号',
  heading: '当前登录',
  name: '姓名',
  userName: '用户名',
  mobile: '手机号',
  email: '邮箱',
  linkedHeading: '关联到此账号的微信',
  thisWechat: '本微信',
  linkedNow: '已关联，当前用它登录',
  linkedSince: '关联于 {date}',
  wechatMiniProgram: '微信小程序',
  noLinks: '组织未列出关联到此账号的微信。',
  chooseOne: '此账号关联了多个微信：点选要解除的那一个。',
  loading: '正在读取关联账号…',
  reload: '重试',
  unlink: '解除本微信的关联',
  rebind: '不是我？解除关联并重新绑定',
  confirmUnlink: '确定解除本微信与 {user} 的关联？你将退出登录，下次用本微信登录时需要重新验证手机号或邮箱。',
  confirmRebind: '确定解除本微信与 {user} 的关联并重新绑定？你将退出登录并直接进入绑定页面。',
  confirm: '解除关联',
  cancel: '取消',
  unlinked: '本微信已解除关联。',
  itOnly:
    '你的组织由 IT 解除微信关联：管理员在管理控制台（用户 → 社交账号）中删除关联。请把下面的申请发给 IT。{contact}',
  requestHeading: '发给 IT 的申请',
  request: '请解除我在{organisation}的账号与微信的关联。用户名：{userName}；手机号：{mobile}；日期：{date}。',
  copy: '复制申请',
  copied: '申请已复制：粘贴到发给 IT 的消息里即可。',
  copyFailed: '复制失败。请选中上面的文字手动复制。',
}

export function accountStrings(lang: Language): AccountStrings {
  return lang === 'zh' ? zh : en
}

export function say(lang: Language, key: keyof AccountStrings, params?: Params): string {
  return fill(accountStrings(lang)[key], params)
}

export const ACCOUNT_STRINGS = { en, zh }
