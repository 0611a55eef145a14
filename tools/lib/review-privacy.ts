/**
 * The privacy-guide declaration (《小程序用户隐私保护指引》, mini program admin console → 设置 → 服务内容声明) written
 * from what the code calls: each kind of personal information WeChat asks a mini program to declare, the APIs and
 * components that handle it, and wording to paste into the form. Only the items the code uses are declared: adding a
 * call adds its item, removing the last call removes it.
 *
 * `required`: WeChat disables these APIs or components in a released version unless the guide declares them.
 * `recommended`: not gated by WeChat, but the information leaves the phone (here: device facts in request headers),
 * so the guide should say so; the form has a free-text part for it when it offers no item.
 */
import type { AppUses, Place } from './review-scan'

export interface LocalisedText {
  zh: string
  en: string
}

export interface PrivacyItem {
  id: string
  /** the item as the privacy-guide form names it */
  title: LocalisedText
  /** `wx.x` APIs, `open-type=x` values and `tag` names that handle it */
  uses: string[]
  declare: 'required' | 'recommended'
  /** the purpose to paste into the form's blank: "为了【…】，开发者将…" */
  purpose: LocalisedText
}

const item = (
  id: string,
  title: LocalisedText,
  uses: string[],
  purpose: LocalisedText,
  declare: PrivacyItem['declare'] = 'required',
): PrivacyItem => ({ id, title, uses, declare, purpose })

/** The items, in the order the form lists them; wording for the ones this kind of app may plausibly add. */
export const PRIVACY_ITEMS: readonly PrivacyItem[] = [
  item(
    'avatar',
    { zh: '收集你的昵称、头像', en: 'your nickname and avatar' },
    ['open-type=chooseAvatar', 'input[type=nickname]'],
    { zh: '显示你的个人资料', en: 'showing your profile' },
  ),
  item(
    'location',
    { zh: '收集你的位置信息', en: 'your location' },
    [
      'wx.getLocation',
      'wx.getFuzzyLocation',
      'wx.startLocationUpdate',
      'wx.startLocationUpdateBackground',
      'wx.onLocationChange',
    ],
    { zh: '核对登录地点，保障账号安全', en: 'checking where a sign-in comes from, to protect your account' },
  ),
  item(
    'chosen-location',
    { zh: '收集你选择的位置信息', en: 'locations you choose' },
    ['wx.chooseLocation', 'wx.choosePoi'],
    { zh: '记录你选择的办公地点', en: 'recording the office location you choose' },
  ),
  item('address', { zh: '收集你的地址', en: 'your address' }, ['wx.chooseAddress'], {
    zh: '填写你的收件地址',
    en: 'filling in your delivery address',
  }),
  item(
    'invoice',
    { zh: '收集你的发票信息', en: 'your invoice details' },
    ['wx.chooseInvoice', 'wx.chooseInvoiceTitle'],
    { zh: '填写报销发票信息', en: 'filling in invoice details for expenses' },
  ),
  item('werun', { zh: '收集你的微信运动步数', en: 'your WeRun step count' }, ['wx.getWeRunData'], {
    zh: '展示你的运动步数',
    en: 'showing your step count',
  }),
  item(
    'phone',
    { zh: '收集你的手机号', en: 'your phone number' },
    ['open-type=getPhoneNumber', 'open-type=getRealtimePhoneNumber'],
    {
      zh: '在你选择"使用微信手机号"时，核验你的身份并将你的微信与单位工作账号绑定',
      en: 'verifying who you are and linking your WeChat to your work account, when you choose "use my WeChat phone number"',
    },
  ),
  item('license-plate', { zh: '收集你的车牌号', en: 'your licence plate' }, ['wx.chooseLicensePlate'], {
    zh: '登记你的车辆',
    en: 'registering your car',
  }),
  item(
    'media',
    { zh: '收集你选中的照片或视频信息', en: 'photos or videos you select' },
    ['wx.chooseImage', 'wx.chooseMedia', 'wx.chooseVideo'],
    { zh: '上传你选择的图片', en: 'uploading the pictures you choose' },
  ),
  item('files', { zh: '收集你选中的文件', en: 'files you select' }, ['wx.chooseMessageFile'], {
    zh: '上传你选择的文件',
    en: 'uploading the files you choose',
  }),
  item(
    'microphone',
    { zh: '访问你的麦克风', en: 'your microphone' },
    ['wx.startRecord', 'wx.getRecorderManager', 'wx.joinVoIPChat', 'voip-room'],
    { zh: '录制语音', en: 'recording voice' },
  ),
  item(
    'camera',
    { zh: '访问你的摄像头', en: 'your camera' },
    ['wx.createCameraContext', 'wx.createVKSession', 'camera', 'live-pusher'],
    { zh: '拍摄照片', en: 'taking photos' },
  ),
  item(
    'bluetooth',
    { zh: '访问你的蓝牙', en: 'your Bluetooth' },
    ['wx.openBluetoothAdapter', 'wx.createBLEPeripheralServer'],
    { zh: '连接门禁设备', en: 'connecting to door-access devices' },
  ),
  item(
    'album',
    { zh: '使用你的相册（仅写入）权限', en: 'your photo album (write only)' },
    ['wx.saveImageToPhotosAlbum', 'wx.saveVideoToPhotosAlbum'],
    { zh: '保存图片到相册', en: 'saving pictures to your album' },
  ),
  item(
    'contacts',
    { zh: '使用你的通讯录（仅写入）权限', en: 'your contacts (write only)' },
    ['wx.addPhoneContact'],
    { zh: '保存 IT 服务台联系方式', en: 'saving the IT service desk contact' },
  ),
  item(
    'calendar',
    { zh: '使用你的日历（仅写入）权限', en: 'your calendar (write only)' },
    ['wx.addPhoneCalendar', 'wx.addPhoneRepeatCalendar'],
    { zh: '添加提醒日程', en: 'adding reminders' },
  ),
  item(
    'motion',
    { zh: '调用你的加速传感器、磁场传感器、方向传感器或陀螺仪传感器', en: 'your motion sensors' },
    ['wx.startAccelerometer', 'wx.startCompass', 'wx.startDeviceMotionListening', 'wx.startGyroscope'],
    { zh: '识别设备晃动', en: 'recognising a shake of the phone' },
  ),
  item(
    'clipboard',
    { zh: '读取或写入你的剪切板', en: 'your clipboard' },
    ['wx.getClipboardData', 'wx.setClipboardData'],
    {
      zh: '复制支持代码等内容，方便你发送给 IT 支持',
      en: 'copying text such as the support code, so you can send it to IT support',
    },
  ),
  item(
    'device',
    { zh: '收集你的设备信息', en: 'your device information' },
    ['wx.getDeviceInfo', 'wx.getSystemInfo', 'wx.getSystemInfoSync', 'wx.getSystemInfoAsync'],
    {
      zh: '向单位的身份认证服务说明登录所用的设备（品牌、型号、操作系统与微信版本），用于登录风控，保障账号安全',
      en: "telling the organisation's sign-in service which device signs in (brand, model, operating system and WeChat version), so it can protect your account",
    },
    'recommended',
  ),
]

export interface DeclaredItem extends PrivacyItem {
  /** where the code handles it: `wx.getDeviceInfo @ services/device.ts:27` */
  foundAt: string[]
}

function placesOf(uses: AppUses, use: string): Place[] {
  if (use.startsWith('open-type=')) return uses.openTypes.get(use.slice('open-type='.length)) || []
  if (use.startsWith('wx.')) return uses.apis.get(use) || []
  return uses.tags.get(use) || []
}

/** The items the code uses, each with where. */
export function declarationOf(uses: AppUses, items: readonly PrivacyItem[] = PRIVACY_ITEMS): DeclaredItem[] {
  const declared: DeclaredItem[] = []
  for (const entry of items) {
    const foundAt = entry.uses.flatMap((use) => placesOf(uses, use).map((place) => `${use} @ ${place}`))
    if (foundAt.length) declared.push({ ...entry, foundAt })
  }
  return declared
}

/** The wording WeChat's form builds around the purpose, ready to paste item by item. */
export function pasteText(entry: PrivacyItem, lang: 'zh' | 'en'): string {
  const what = entry.title[lang]
  if (lang === 'zh') {
    const verb = what.replace(/^(收集|访问|使用|调用|读取或写入)你的/, '')
    const action = /^(收集|访问|使用|调用|读取或写入)/.exec(what)
    return `为了【${entry.purpose.zh}】，开发者将在获取你的明示同意后，${action ? action[1] : '收集'}你的${verb}。`
  }
  return `To support ${entry.purpose.en}, the developer will, with your express consent, process ${what}.`
}

export function renderDeclaration(declared: readonly DeclaredItem[], organisation: LocalisedText): string {
  const lines = [
    '# 用户隐私保护指引：声明清单 / Privacy guide: what to declare',
    '',
    `${organisation.zh}（${organisation.en}）。本清单由 \`npm run review-kit\` 扫描小程序代码生成：代码里每个需要声明的接口或组件都在下面，`,
    '逐项勾选并粘贴"填写内容"。代码新增此类调用后请重新生成。',
    '',
    'Generated by `npm run review-kit` from a scan of the mini program code: every API or component that needs a',
    'declaration is below. Tick each item in the admin console (设置 → 服务内容声明 → 用户隐私保护指引) and paste its text.',
    'Regenerate after the code changes.',
    '',
  ]
  if (!declared.length)
    lines.push('代码未调用需要声明的接口。 / The code calls no API that needs a declaration.', '')
  declared.forEach((entry, index) => {
    lines.push(
      `## ${index + 1}. ${entry.title.zh} / ${entry.title.en}`,
      '',
      entry.declare === 'required'
        ? '- 必须声明：未声明时微信会在正式版中禁用这些接口。 / Required: WeChat disables these in a release unless declared.'
        : '- 建议声明：微信不强制，但这些信息会离开手机；表单若无此项，写入补充说明。 / Recommended: not enforced, but the data leaves the phone; use the free-text part if the form has no such item.',
      `- 填写内容（中文）：${pasteText(entry, 'zh')}`,
      `- Text (English): ${pasteText(entry, 'en')}`,
      '- 代码位置 / Found at:',
      ...entry.foundAt.map((place) => `  - \`${place}\``),
      '',
    )
  })
  return lines.join('\n')
}
