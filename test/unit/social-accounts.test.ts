/**
 * The one reader of OneAccess's `GET /social`, whose answer shape the vendor does not document: the sandbox's shape,
 * and the forms a tenant could plausibly send instead.
 */
import { parseSocialAccounts } from '../../miniprogram/oneaccess/api'

const AT = Date.UTC(2026, 11, 4, 8, 30)

describe('parseSocialAccounts', () => {
  test('reads {social_accounts: [{id, type, name, bound_at}]}, trimming text', () => {
    expect(
      parseSocialAccounts({
        social_accounts: [
          {
            id: ' wx-1 ',
            type: 'WECHAT_MINIPROGRAM',
            name: ' WeChat 1a2b ',
            bound_at: new Date(AT).toISOString(),
          },
        ],
      }),
    ).toEqual([{ id: 'wx-1', type: 'WECHAT_MINIPROGRAM', name: 'WeChat 1a2b', boundAt: AT }])
  })

  test('also a bare array, or the list under data; a numeric id becomes text', () => {
    const entry = { id: 42, type: 'WECHAT_MINIPROGRAM', name: 'x' }
    expect(parseSocialAccounts([entry])).toEqual([{ id: '42', type: 'WECHAT_MINIPROGRAM', name: 'x' }])
    expect(parseSocialAccounts({ data: [entry] })).toEqual([
      { id: '42', type: 'WECHAT_MINIPROGRAM', name: 'x' },
    ])
  })

  test.each([
    ['epoch ms', AT],
    ['epoch s', AT / 1000],
    ['epoch ms as digits', String(AT)],
    ['ISO text', new Date(AT).toISOString()],
  ])('bound_at as %s', (_form, boundAt) => {
    expect(parseSocialAccounts({ social_accounts: [{ id: 'a', bound_at: boundAt }] })[0]?.boundAt).toBe(AT)
  })

  test('"YYYY-MM-DD HH:mm:ss" is read as local time; an unreadable time is left out', () => {
    const [local] = parseSocialAccounts({ social_accounts: [{ id: 'a', bound_at: '2026-12-04 16:30:00' }] })
    expect(local?.boundAt).toBe(new Date(2026, 11, 4, 16, 30).getTime())
    const [unknown] = parseSocialAccounts({ social_accounts: [{ id: 'a', bound_at: 'yesterday' }] })
    expect(unknown).toEqual({ id: 'a', type: '', name: '' })
  })

  test('entries without an id, and entries that are no objects, are skipped', () => {
    expect(
      parseSocialAccounts({ social_accounts: [null, 'wx', { name: 'no id' }, { id: '' }, { id: 'ok' }] }),
    ).toEqual([{ id: 'ok', type: '', name: '' }])
  })

  test('an answer with no list at all is an unexpected answer, not an empty list', () => {
    expect(() => parseSocialAccounts({ accounts: [] })).toThrow()
    expect(() => parseSocialAccounts(null)).toThrow()
  })
})
