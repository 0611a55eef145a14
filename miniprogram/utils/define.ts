/**
 * Typed wrappers around `Component()`. `TInstance` names the fields a component keeps on itself and never renders
 * (timers, the puzzle being solved, a pending request): those live off `data`, so they cost no setData.
 * Pages are components too (`definePage`), which lets miniprogram-simulate load them and types their lifecycle.
 */
type Options<
  TData,
  TProperty,
  TMethod,
  TBehavior,
  TInstance,
  TIsPage extends boolean,
> = WechatMiniprogram.Component.Options<
  TData & WechatMiniprogram.Component.DataOption,
  TProperty & WechatMiniprogram.Component.PropertyOption,
  TMethod & WechatMiniprogram.Component.MethodOption,
  TBehavior & WechatMiniprogram.Component.BehaviorOption,
  TInstance & WechatMiniprogram.IAnyObject,
  TIsPage
>

// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export function defineComponent<TInstance extends WechatMiniprogram.IAnyObject = {}>() {
  return <
    TData extends WechatMiniprogram.Component.DataOption,
    TProperty extends WechatMiniprogram.Component.PropertyOption,
    TMethod extends WechatMiniprogram.Component.MethodOption,
    TBehavior extends WechatMiniprogram.Component.BehaviorOption = [],
  >(
    options: Options<TData, TProperty, TMethod, TBehavior, TInstance, false>,
  ) => Component(options)
}

// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export function definePage<TInstance extends WechatMiniprogram.IAnyObject = {}>() {
  return <
    TData extends WechatMiniprogram.Component.DataOption,
    TMethod extends WechatMiniprogram.Component.MethodOption,
    TBehavior extends WechatMiniprogram.Component.BehaviorOption = [],
  >(
    options: Options<TData, Record<string, never>, TMethod, TBehavior, TInstance, true>,
  ) => Component(options)
}

/** Vant fields and checkboxes emit `change` with a bare value as `detail` (a string, a boolean). */
export interface ValueEvent<T> {
  detail: T
}

/** An event from markup that says which channel it is about with `data-channel="mobile"` or `"email"`. */
export interface ChannelEvent<T = unknown> {
  detail: T
  currentTarget: { dataset: { channel?: string } }
}

export const channelOf = (event: ChannelEvent): 'mobile' | 'email' =>
  event.currentTarget.dataset.channel === 'email' ? 'email' : 'mobile'

/** The value at a dotted data path the page named, e.g. `errors.mobileCode`. */
export function valueAt(data: object, path: string): unknown {
  let node: unknown = data
  for (const part of path.split('.')) {
    node = typeof node === 'object' && node !== null ? (node as Record<string, unknown>)[part] : undefined
  }
  return node
}
