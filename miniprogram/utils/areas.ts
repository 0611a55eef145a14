/**
 * The built-in area list, used until (or when) the country-codes API answers. Same regions as the sandbox:
 * +86 CN, +852 HK, +853 MO, +886 TW, +65 SG, +1 US. Patterns accept the number with or without its area prefix.
 */
import { type AreaCode, CHINA_MAINLAND } from './validate'

export const FALLBACK_AREAS: AreaCode[] = [
  CHINA_MAINLAND,
  {
    areaCode: '+852',
    countryCode: 'HK',
    name: { zh: '中国香港', en: 'Hong Kong, China' },
    mobileRegex: '^(\\+852){0,1}\\-?[4-9]\\d{7}$',
  },
  {
    areaCode: '+853',
    countryCode: 'MO',
    name: { zh: '中国澳门', en: 'Macao, China' },
    mobileRegex: '^(\\+853){0,1}\\-?6\\d{7}$',
  },
  {
    areaCode: '+886',
    countryCode: 'TW',
    name: { zh: '中国台湾', en: 'Taiwan, China' },
    mobileRegex: '^(\\+886){0,1}\\-?0?9\\d{8}$',
  },
  {
    areaCode: '+65',
    countryCode: 'SG',
    name: { zh: '新加坡', en: 'Singapore' },
    mobileRegex: '^(\\+65){0,1}\\-?[89]\\d{7}$',
  },
  {
    areaCode: '+1',
    countryCode: 'US',
    name: { zh: '美国', en: 'United States' },
    mobileRegex: '^(\\+1){0,1}\\-?[2-9]\\d{2}[2-9]\\d{6}$',
  },
]

export function findArea(areas: AreaCode[], areaCode: string): AreaCode {
  return areas.find((area) => area.areaCode === areaCode) || areas[0] || CHINA_MAINLAND
}
