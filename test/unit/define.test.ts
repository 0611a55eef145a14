/**
 * The typed wrappers around `Component()` and the two event helpers pages share (utils/define.ts).
 */
import { channelOf, defineComponent, definePage, valueAt } from '../../miniprogram/utils/define'

describe('defineComponent and definePage', () => {
  const holder = globalThis as unknown as { Component?: unknown }
  const registered: unknown[] = []
  beforeEach(() => {
    registered.length = 0
    holder.Component = (options: unknown) => {
      registered.push(options)
      return 'component-id'
    }
  })
  afterAll(() => delete holder.Component)

  test("hand the options, as given, to WeChat's Component() and answer what it answers", () => {
    const component = { data: { shown: true }, methods: { onTap() {} } }
    const page = { data: { step: 1 }, methods: { onLoad() {} } }
    expect(defineComponent()(component)).toBe('component-id')
    expect(definePage()(page)).toBe('component-id')
    expect(registered).toEqual([component, page])
    expect(registered[0]).toBe(component)
    expect(registered[1]).toBe(page)
  })
})

describe('channelOf', () => {
  const event = (channel?: string) => ({ detail: '', currentTarget: { dataset: { channel } } })

  test('reads data-channel: email is email, anything else is mobile', () => {
    expect(channelOf(event('email'))).toBe('email')
    expect(channelOf(event('mobile'))).toBe('mobile')
    expect(channelOf(event())).toBe('mobile')
    expect(channelOf(event('Email'))).toBe('mobile')
    expect(channelOf(event(''))).toBe('mobile')
  })
})

describe('valueAt', () => {
  const data = {
    notice: 'top',
    errors: { mobileCode: 'wrong code', email: '' },
    form: { fields: { mobile: { value: '13800138000' } } },
    empty: null,
    count: 0,
  }

  test('reads a top-level key and a dotted path to any depth', () => {
    expect(valueAt(data, 'notice')).toBe('top')
    expect(valueAt(data, 'errors.mobileCode')).toBe('wrong code')
    expect(valueAt(data, 'errors.email')).toBe('')
    expect(valueAt(data, 'form.fields.mobile.value')).toBe('13800138000')
    expect(valueAt(data, 'form.fields')).toEqual({ mobile: { value: '13800138000' } })
    expect(valueAt(data, 'count')).toBe(0)
  })

  test('answers undefined for a missing part, a null or a plain value on the way', () => {
    expect(valueAt(data, 'errors.emailCode')).toBeUndefined()
    expect(valueAt(data, 'missing.mobileCode')).toBeUndefined()
    expect(valueAt(data, 'empty.mobileCode')).toBeUndefined()
    expect(valueAt(data, 'notice.length')).toBeUndefined()
    expect(valueAt(data, 'count.toFixed')).toBeUndefined()
    expect(valueAt(data, 'errors.mobileCode.length')).toBeUndefined()
  })

  test('reads a key with no dot as one key, not letter by letter', () => {
    expect(valueAt({ ab: 1, a: { b: 2 } }, 'ab')).toBe(1)
    expect(valueAt({ ab: 1, a: { b: 2 } }, 'a.b')).toBe(2)
  })
})
