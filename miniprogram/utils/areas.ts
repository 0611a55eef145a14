/**
 * The built-in area list, used until (or when) the country-codes API answers. Same regions as the sandbox:
 * +86 CN, +852 HK, +853 MO, +886 TW, +65 SG, +1 US. Patterns accept the number with or without its area prefix.
 */
import { type AreaCode, CHINA_MAINLAND } from './validate'

/** A region whose numbers match `^(\+<area>){0,1}\-?<local>$`: with or without the area prefix. */
const region = (areaCode: string, countryCode: string, zh: string, en: string, local: string): AreaCode => ({
  areaCode,
  countryCode,
  name: { zh, en },
  mobileRegex: `^(\\${areaCode}){0,1}\\-?${local}$`,
})

export const FALLBACK_AREAS: AreaCode[] = [
  CHINA_MAINLAND,
  region('+852', 'HK', '中国香港', 'Hong Kong, China', '[4-9]\\d{7}'),
  region('+853', 'MO', '中国澳门', 'Macao, China', '6\\d{7}'),
  region('+886', 'TW', '中国台湾', 'Taiwan, China', '0?9\\d{8}'),
  region('+65', 'SG', '新加坡', 'Singapore', '[89]\\d{7}'),
  region('+1', 'US', '美国', 'United States', '[2-9]\\d{2}[2-9]\\d{6}'),
]

export function findArea(areas: AreaCode[], areaCode: string): AreaCode {
  return areas.find((area) => area.areaCode === areaCode) || areas[0] || CHINA_MAINLAND
}
