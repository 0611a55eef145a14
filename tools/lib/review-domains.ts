/**
 * The server domains to allow-list in the mini program admin console (开发管理 → 开发设置 → 服务器域名) for the
 * trial and release versions, from the tenant config, with what would make WeChat refuse them. The develop version
 * talks to the local sandbox and needs none (DevTools' "do not check domains").
 */
import type { TenantConfig } from '../../miniprogram/config/types'
import type { AppUses } from './review-scan'

export type CheckedEnv = 'trial' | 'release'

export interface DomainCheck {
  env: CheckedEnv
  /** what to paste as a request domain: `https://host[:port]` */
  requestDomain: string
  problems: string[]
}

const IPV4 = /^\d{1,3}(\.\d{1,3}){3}$/

export function checkDomain(
  env: CheckedEnv,
  config: Pick<TenantConfig, 'baseUrl' | 'clientId'>,
): DomainCheck {
  const problems: string[] = []
  let requestDomain = config.baseUrl
  try {
    const url = new URL(config.baseUrl)
    requestDomain = url.origin
    if (url.protocol !== 'https:') problems.push('WeChat accepts only https request domains')
    if (IPV4.test(url.hostname) || url.hostname === 'localhost' || url.hostname.startsWith('['))
      problems.push('an IP address or localhost cannot be a request domain')
    if (/^example\./.test(url.hostname) || /(^|\.)example\.(com|org|net)$/.test(url.hostname))
      problems.push(
        "still the template's placeholder: set the tenant's own domain in miniprogram/config/tenant.ts",
      )
    if (url.pathname !== '/' && url.pathname !== '')
      problems.push('baseUrl must be the origin only, with no path')
  } catch {
    problems.push(`"${config.baseUrl}" is not a URL`)
  }
  if (!config.clientId || /^replace-with/.test(config.clientId))
    problems.push('the client id is still the placeholder: set the application client id of the tenant')
  return { env, requestDomain, problems }
}

/** The other domain lists stay empty when the code makes no such call. */
function otherLists(uses: AppUses): Array<{ list: string; used: string[] }> {
  const used = (names: string[]) => names.filter((name) => uses.apis.has(name))
  return [
    { list: 'socket 合法域名 / socket domains', used: used(['wx.connectSocket']) },
    { list: 'uploadFile 合法域名 / upload domains', used: used(['wx.uploadFile']) },
    { list: 'downloadFile 合法域名 / download domains', used: used(['wx.downloadFile']) },
    { list: '业务域名 / web-view domains', used: uses.tags.has('web-view') ? ['<web-view>'] : [] },
  ]
}

export function renderDomainChecklist(
  tenants: Record<CheckedEnv, Pick<TenantConfig, 'baseUrl' | 'clientId'>>,
  uses: AppUses,
): { text: string; checks: DomainCheck[] } {
  const checks = (['trial', 'release'] as const).map((env) => checkDomain(env, tenants[env]))
  const lines = [
    '# 服务器域名清单 / Server domain checklist',
    '',
    '小程序管理后台 → 开发管理 → 开发设置 → 服务器域名。From miniprogram/config/tenant.ts; regenerate after changing it.',
    '',
    '| 版本 / version | request 合法域名 / request domain | 检查 / check |',
    '| --- | --- | --- |',
    ...checks.map(
      (check) =>
        `| ${check.env === 'trial' ? '体验版 / trial' : '正式版 / release'} | \`${check.requestDomain}\` | ${
          check.problems.length ? `✗ ${check.problems.join('; ')}` : '✓'
        } |`,
    ),
    '',
    '- [ ] request 合法域名 holds every domain above (one list serves trial and release).',
  ]
  for (const { list, used } of otherLists(uses)) {
    lines.push(
      used.length
        ? `- [ ] ${list}: needed by ${used.join(', ')}: add the server it talks to.`
        : `- [x] ${list}: none needed (the code makes no such call).`,
    )
  }
  lines.push(
    '- [ ] The tenant domain serves a certificate trusted by phones (WeChat refuses self-signed and expired ones).',
    '- [ ] 开发版 / develop: talks to the local sandbox (`npm start`); no domain to add, tick "不校验合法域名" in DevTools.',
    '',
  )
  return { text: lines.join('\n'), checks }
}
