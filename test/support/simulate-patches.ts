/**
 * What miniprogram-simulate (j-component 1.4.10, exparser 2.29.1) lacks for real pages with Vant 1.11.7, fixed at
 * one place: the `Component` constructor every component and page goes through.
 *
 * - `getRelationNodes(key)`: j-component looks the key up in a global path→id map that the latest `load()`
 *   overwrites, and answers `null` where WeChat answers `[]`. Here it asks the node's own exparser relations, under
 *   the key simulate registered for this very definition.
 * - `groupSetData(cb)`: Vant tabs call it; j-component has none. Runs `cb` at once (one render, as on WeChat).
 * - `selectComponent` of a selector that matches nothing throws inside j-component; WeChat answers `null`.
 * - every `setData` is recorded (calls and JSON bytes) for the page handle's `setDataCalls()`.
 * - a rejected promise returned by any method (async handlers) is recorded, as exparser errors are, so tests fail
 *   with the real error instead of timing out.
 */

import { Buffer } from 'node:buffer'

type AnyObject = Record<string, unknown>
type Method = (this: unknown, ...args: unknown[]) => unknown

/** The parts of an exparser node these patches use (exparser's own API, plus its method-caller slot). */
export interface ExparserNode {
  is?: string
  shadowRoot?: { querySelector(selector: string): ExparserNode | null } | null
  ownerShadowRoot?: { getHostNode(): ExparserNode | null } | null
  getRelationNodes?(key: string): ExparserNode[] | null
  __methodCaller?: ComponentCaller
  $$?: HTMLElement
}

/** `this` inside a component or page method under j-component. */
export interface ComponentCaller {
  _exparserNode: ExparserNode
  data: AnyObject
  setData(data: AnyObject, callback?: () => void): void
  selectComponent(selector: string): unknown
  getRelationNodes(key: string): unknown[] | null
  groupSetData?: (callback?: () => void) => void
  [name: string]: unknown
}

export interface SetDataRecord {
  node: ExparserNode
  keys: string[]
  bytes: number
}

interface PatchState {
  setDataLog: SetDataRecord[]
  errors: Error[]
  pages: ComponentCaller[]
  installed: boolean
  /** What `App()` registered, as `getApp()` answers it. */
  app: AnyObject | undefined
}

const STATE_KEY = Symbol.for('eiam-tests.simulate-patches')

/** Kept on the global object: one per test file, shared by every module registry jest creates in it. */
export function patchState(): PatchState {
  const holder = globalThis as unknown as Record<symbol, PatchState | undefined>
  let state = holder[STATE_KEY]
  if (!state) {
    state = { setDataLog: [], errors: [], pages: [], installed: false, app: undefined }
    holder[STATE_KEY] = state
  }
  return state
}

export function recordError(error: unknown, context: string): void {
  const wrapped = error instanceof Error ? error : new Error(String(error))
  if (!wrapped.message.includes(context)) wrapped.message = `${context}: ${wrapped.message}`
  patchState().errors.push(wrapped)
}

const byteLength = (text: string) => Buffer.byteLength(text, 'utf8')

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return (
    (typeof value === 'object' || typeof value === 'function') &&
    value !== null &&
    typeof (value as { then?: unknown }).then === 'function'
  )
}

function patchInstance(caller: ComponentCaller, relationKeys: Map<string, string>): void {
  const node = caller._exparserNode
  caller.getRelationNodes = (key: string) => {
    const nodes = node.getRelationNodes?.(relationKeys.get(key) ?? key) ?? []
    return nodes.map((related) => related.__methodCaller)
  }
  if (typeof caller.groupSetData !== 'function') {
    caller.groupSetData = (callback?: () => void) => callback?.()
  }
  const selectComponent = caller.selectComponent
  caller.selectComponent = (selector: string) =>
    node.shadowRoot?.querySelector(selector) ? selectComponent.call(caller, selector) : null
  const setData = caller.setData
  caller.setData = (data: AnyObject, callback?: () => void) => {
    patchState().setDataLog.push({
      node,
      keys: Object.keys(data ?? {}),
      bytes: byteLength(JSON.stringify(data ?? {}) ?? ''),
    })
    return setData.call(caller, data, callback)
  }
}

function wrapMethods(methods: Record<string, unknown>): Record<string, unknown> {
  const wrapped: Record<string, unknown> = {}
  for (const [name, method] of Object.entries(methods)) {
    if (typeof method !== 'function') {
      wrapped[name] = method
      continue
    }
    wrapped[name] = function (this: unknown, ...args: unknown[]) {
      const result = (method as Method).apply(this, args)
      if (isThenable(result)) {
        result.then(undefined, (error: unknown) => recordError(error, `${name}() rejected`))
      }
      return result
    }
  }
  return wrapped
}

type ComponentConstructor = (options: AnyObject) => unknown
type BehaviorConstructor = (definition: AnyObject) => unknown

/** Wraps simulate's `Component`: see the file comment for what and why. */
export function wrapComponentConstructor(original: ComponentConstructor): ComponentConstructor {
  const wrapped = (options: AnyObject) => {
    const relations = (options.relations ?? {}) as Record<string, { target?: string }>
    const declared = Object.entries(relations)
    const relationKeys = new Map<string, string>()
    const createBehavior = (globalThis as unknown as { Behavior: BehaviorConstructor }).Behavior
    const fixes = createBehavior({
      created(this: ComponentCaller) {
        patchInstance(this, relationKeys)
      },
    })
    options.behaviors = [fixes, ...((options.behaviors as unknown[] | undefined) ?? [])]
    if (options.methods && typeof options.methods === 'object') {
      options.methods = wrapMethods(options.methods as Record<string, unknown>)
    }
    const result = original(options)
    // simulate re-keys each relation it could resolve by the target's component id and sets `target`
    for (const [key, value] of declared) relationKeys.set(key, value.target ?? key)
    return result
  }
  Object.defineProperty(wrapped, '__eiamWrapped', { value: true })
  return wrapped
}

/**
 * Makes `global.Component` an accessor: whatever simulate instance assigns it (each page loads its own copy, see
 * simulate.ts) gets wrapped on assignment.
 */
export function installComponentHook(): void {
  const state = patchState()
  if (state.installed) return
  state.installed = true
  let current: ComponentConstructor | undefined
  Object.defineProperty(globalThis, 'Component', {
    configurable: true,
    enumerable: true,
    get: () => current,
    set: (value: ComponentConstructor | undefined) => {
      current =
        typeof value === 'function' && !(value as unknown as { __eiamWrapped?: boolean }).__eiamWrapped
          ? wrapComponentConstructor(value)
          : value
    },
  })
}

/** `getCurrentPages()` answers the pages the test rendered and has not unloaded, oldest first. */
export function installGetCurrentPages(): void {
  ;(globalThis as unknown as { getCurrentPages: () => ComponentCaller[] }).getCurrentPages = () => [
    ...patchState().pages,
  ]
}

/**
 * `App(options)` registers the app (the options object is the instance, as on WeChat) and `getApp()` answers it;
 * `Page()` is refused with the reason: simulate only runs `Component()`, so pages are written as components.
 */
export function installAppGlobals(): void {
  const globals = globalThis as unknown as Record<string, unknown>
  globals.App = (options: AnyObject) => {
    patchState().app = options
  }
  globals.getApp = () => patchState().app
  globals.Page = () => {
    throw new Error(
      'Page() does not run under miniprogram-simulate: write the page as Component({ methods: { onLoad } })',
    )
  }
}

/** True when `node` was created inside `root`'s tree (its own template or a descendant component's). */
export function belongsTo(node: ExparserNode, root: ExparserNode): boolean {
  let current: ExparserNode | null | undefined = node
  while (current) {
    if (current === root) return true
    current = current.ownerShadowRoot?.getHostNode() ?? null
  }
  return false
}

/** miniprogram-simulate's layout APIs (selector queries measure jsdom, 0 × 0): the only APIs taken from simulate. */
export function layoutApis(): Record<string, unknown> {
  // simulate's API table alone (no side effects), without loading simulate itself
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- a CommonJS file with no typings
  const api = require('miniprogram-simulate/src/api') as Record<string, unknown>
  return {
    createSelectorQuery: api.createSelectorQuery,
    createIntersectionObserver: api.createIntersectionObserver,
    createAnimation: api.createAnimation,
  }
}
