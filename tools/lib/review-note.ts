/**
 * The note for WeChat's reviewer (提审 → 补充说明), in Chinese and English. An employee-only app is reviewed as a
 * restricted one: the reviewer must learn who it is for, that a visitor can leave ("not now"), how to get through
 * with a test account of the tenant, and where the recording of the whole journey is.
 */
import type { TenantConfig } from '../../miniprogram/config/types'

export interface ReviewAccount {
  /** the tenant's test user as the reviewer types it (a phone number or an email), from REVIEW_ACCOUNT */
  account?: string
  /** who gives the reviewer the verification code during review, from REVIEW_CONTACT */
  contact?: string
}

export interface NoteInput {
  release: Pick<TenantConfig, 'name' | 'supportContact' | 'oneTap'>
  account: ReviewAccount
  /** file names of the recording inside reports/review/ */
  recording: { sheet: string; animation: string }
}

const FILL_IN = { zh: '【请填写】', en: '[fill in]' }

export function renderReviewerNote(input: NoteInput): { text: string; missing: string[] } {
  const { release, account, recording } = input
  const missing: string[] = []
  if (!account.account) missing.push('REVIEW_ACCOUNT (the test phone number or email of the tenant)')
  if (!account.contact) missing.push('REVIEW_CONTACT (who sends the reviewer the code during review)')
  const testAccount = (lang: 'zh' | 'en') => account.account || FILL_IN[lang]
  const contact = (lang: 'zh' | 'en') => account.contact || FILL_IN[lang]
  const oneTap = release.oneTap !== 'off'
  const text = [
    '# 审核说明 / Note for the reviewer',
    '',
    '## 中文',
    '',
    `1. 用途与对象：本小程序仅供${release.name.zh}员工使用，用员工本人的微信登录单位的工作账号（企业统一身份认证，EIAM），不面向公众，不提供注册以外的服务。`,
    '2. 非员工可随时退出：首页说明使用对象并提供"暂不登录"（退出小程序）；绑定页也有"暂不登录"，返回首页且不会自动登录。',
    `3. 审核路径：点"微信登录" → 绑定页选择"手机号"，输入测试账号 ${testAccount('zh')} → 勾选同意《用户协议》《隐私政策》 → 点"获取验证码"，拖动滑块完成拼图 → 输入验证码 → "绑定账号" → 进入"已登录"页。验证码发送到测试账号，审核期间请联系 ${contact('zh')} 获取。`,
    '4. 二次验证：若单位策略要求二次验证，绑定后会进入"确认是你本人"页，同样获取并输入验证码即可。',
    `5. 完整流程录屏：随附 \`${recording.animation}\`（动画）与 \`${recording.sheet}\`（分步长图），展示启动 → 绑定 → 拼图 → 验证码 → 登录成功，以及二次验证。`,
    oneTap
      ? '6. "使用微信手机号"按钮由单位开启，仅用于核验身份并绑定工作账号；用户也可只用短信或邮箱验证码。'
      : '6. 本版本未开启"使用微信手机号"，只用短信或邮箱验证码。',
    `7. 用户隐私保护指引按代码扫描结果填写（见 privacy-declaration.md）。问题请联系：${release.supportContact.zh}。`,
    '',
    '## English',
    '',
    `1. Purpose and audience: for employees of ${release.name.en} only. They sign in to their work account (the organisation's EIAM identity service) with their own WeChat. Not for the public.`,
    '2. A visitor can always leave: the first page says who the app is for and offers "Not now" (leaves the mini program); the bind page has "Not now" too, back to the first page without signing in.',
    `3. Path through: tap "Sign in with WeChat" → on the bind page choose "Mobile", enter the test account ${testAccount('en')} → accept the user agreement and privacy notice → "Send code", drag the slider to fit the puzzle → enter the code → "Link account" → the signed-in page. The code goes to the test account: during review, ask ${contact('en')} for it.`,
    '4. Second factor: when the policy asks for one, a "Confirm it is you" page follows; send and enter a code the same way.',
    `5. Recording of the whole journey: \`${recording.animation}\` (animated) and \`${recording.sheet}\` (step sheet), launch → bind → puzzle → code → signed in, and the second factor.`,
    oneTap
      ? '6. The "Use my WeChat phone number" button is turned on by the organisation and only verifies identity to link the work account; SMS and email codes work without it.'
      : '6. This version does not offer the WeChat phone-number button: SMS and email codes only.',
    `7. The privacy guide is filled in from a scan of the code (privacy-declaration.md). Contact: ${release.supportContact.en}.`,
    '',
  ].join('\n')
  return { text, missing }
}
