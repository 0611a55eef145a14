/**
 * Real pages, real Vant, under miniprogram-simulate: load a page (its components resolved like the DevTools
 * would), render it like WeChat opens a page, and act on it the way a user does.
 *
 * ```ts
 * const bind = loadPage('pages/bind/index')        // once per test file and page (top level is fine)
 * test('...', async () => {
 *   const { state } = useWx({ rewriteOrigin: { from: DEVELOP_ORIGIN, to: sandboxUrl } }) // or in beforeEach
 *   const page = renderPage(bind, { flow: 'bind' }) // attached, onLoad(query), onShow(), onReady()
 *   page.typeInto('#mobile', '13800138000')
 *   page.tap('#send-mobile-code')
 *   await page.waitFor(() => page.exists('#captcha'))
 * })                                                // pages rendered in a test are unloaded after it
 * ```
 *
 * Every page load runs in its own `jest.isolateModules` with its own copy of simulate:
 * - simulate registers a component by requiring its JS, and jest's module registry would hand an already-run
 *   module back without running it, so Vant and shared components would render as empty tags on the next page;
 * - simulate caches the compiled templates per root path, so a second page would get the first page's templates.
 * The price: each loaded page has its own copy of every app module (services, stores), unlike WeChat; state
 * shared between pages goes through `wx` (storage, navigation), one object for the whole test file. About 0.1 s
 * per extra page loaded in a file.
 */
import fs from 'node:fs'
import path from 'node:path'
import { performance } from 'node:perf_hooks'
// the harness waits on Node's own timers and clock, so its waiting still works while a test fakes the global ones
import { setTimeout as sleep } from 'node:timers/promises'
import {
  belongsTo,
  layoutApis,
  patchState,
  recordError,
  type ComponentCaller,
  type ExparserNode,
  type SetDataRecord,
} from './simulate-patches'
import { createWx, installWx, wxStateOf, type WxNode, type WxNodeOptions } from './wx-node'
import type { TenantConfig } from '../../miniprogram/config/types'

type AnyObject = Record<string, unknown>

/** The mini program's root: `rootPath` of every load, the base of absolute `usingComponents` paths. */
export const MINIPROGRAM_ROOT = path.resolve(__dirname, '../../miniprogram')
const NPM_FOLDER = 'miniprogram_npm'

/** Tags the platform provides: never custom components. */
const BUILT_IN_TAGS = new Set([
  'block',
  'template',
  'import',
  'include',
  'wxs',
  'slot',
  'cover-image',
  'cover-view',
  'grid-view',
  'list-view',
  'match-media',
  'movable-area',
  'movable-view',
  'page-container',
  'root-portal',
  'scroll-view',
  'share-element',
  'sticky-header',
  'sticky-section',
  'swiper',
  'swiper-item',
  'view',
  'icon',
  'progress',
  'rich-text',
  'text',
  'button',
  'checkbox',
  'checkbox-group',
  'editor',
  'form',
  'input',
  'keyboard-accessory',
  'label',
  'picker',
  'picker-view',
  'picker-view-column',
  'radio',
  'radio-group',
  'slider',
  'switch',
  'textarea',
  'functional-page-navigator',
  'navigator',
  'audio',
  'camera',
  'channel-live',
  'channel-video',
  'image',
  'live-player',
  'live-pusher',
  'video',
  'voip-room',
  'map',
  'canvas',
  'web-view',
  'ad',
  'ad-custom',
  'official-account',
  'open-data',
  'navigation-bar',
  'page-meta',
])

// ---- the parts of simulate and exparser this file drives --------------------------------------------------------

interface RootComponent {
  readonly dom: HTMLElement
  readonly instance: ComponentCaller
  _exparserNode: ExparserNode
  attach(parent: HTMLElement): void
  detach(): void
  triggerLifeTime(name: string, ...args: unknown[]): void
  triggerPageLifeTime(name: string, ...args: unknown[]): void
}

interface SimulateModule {
  load(componentPath: string, options: AnyObject): string
  render(id: string, properties?: AnyObject): RootComponent
}

interface JComponentModule {
  create(id: string, properties?: AnyObject): RootComponent
}

interface ExparserEvent {
  readonly type: string
}
interface ExparserModule {
  Event: {
    create(name: string, detail: unknown, options: AnyObject): ExparserEvent
    dispatchEvent(target: ExparserNode, event: ExparserEvent): void
  }
  addGlobalErrorListener(listener: (error: unknown, info: { message?: string }) => boolean | void): void
}

/** An exparser node as the traversal sees it. */
interface TreeNode extends ExparserNode {
  childNodes?: TreeNode[]
  id?: string
  dataset?: AnyObject
  __wxSlotChildren?: TreeNode[]
}

// ---- resolving a page's components -----------------------------------------------------------------------------

export interface ComponentGraph {
  /** Absolute paths (without extension) of the page and every component it uses, recursively. */
  components: string[]
  /** Tag → `/miniprogram_npm/...` for every npm component, as simulate's `usingComponents` override. */
  npmTags: Record<string, string>
  /** WXML and WXS files the official compiler needs, relative to the root. */
  wxmlList: string[]
  wxsList: string[]
}

const readJson = (file: string): AnyObject => JSON.parse(fs.readFileSync(file, 'utf8')) as AnyObject
const toPosix = (file: string) => file.split(path.sep).join('/')

/**
 * Where a `usingComponents` value points: absolute paths from the root, relative ones from the component, npm
 * package paths (`@vant/weapp/button/index`) into the packed `miniprogram_npm`, as the DevTools resolve them.
 */
export function resolveComponentPath(
  fromComponent: string,
  value: string,
  rootPath: string = MINIPROGRAM_ROOT,
): { file: string; npmPath?: string } {
  if (value.startsWith('plugin://')) throw new Error(`plugins are not supported under simulate: ${value}`)
  if (value.startsWith('/')) return { file: path.join(rootPath, value) }
  if (value.startsWith('.')) return { file: path.join(path.dirname(fromComponent), value) }
  const npmPath = `/${NPM_FOLDER}/${value}`
  return { file: path.join(rootPath, npmPath), npmPath }
}

function customTagsIn(wxml: string): string[] {
  const markupOnly = wxml
    .replace(/<!--[\s\S]*?-->/g, '')
    .replace(/<wxs\b[^>]*>[\s\S]*?<\/wxs>/g, '')
    .replace(/\{\{[\s\S]*?\}\}/g, '')
  const tags = new Set<string>()
  for (const match of markupOnly.matchAll(/<([a-zA-Z][\w-]*)/g)) {
    const tag = (match[1] as string).toLowerCase()
    if (!BUILT_IN_TAGS.has(tag)) tags.add(tag)
  }
  return [...tags]
}

/** Walks the page's json, its components' json recursively, and the WXML/WXS files they reference. */
export function componentGraph(pagePath: string, rootPath: string = MINIPROGRAM_ROOT): ComponentGraph {
  const appJsonFile = path.join(rootPath, 'app.json')
  const globalComponents = fs.existsSync(appJsonFile)
    ? ((readJson(appJsonFile).usingComponents ?? {}) as Record<string, string>)
    : {}
  const components: string[] = []
  const npmTags: Record<string, string> = {}
  const npmTagSources: Record<string, string> = {}
  const wxml = new Set<string>()
  const wxs = new Set<string>()
  const seen = new Set<string>()

  const addTemplateFile = (file: string, requiredBy: string) => {
    if (file.endsWith('.wxs')) {
      if (wxs.has(file)) return
      if (!fs.existsSync(file)) throw new Error(`${requiredBy} references ${file}, which does not exist`)
      wxs.add(file)
      const source = fs.readFileSync(file, 'utf8')
      for (const match of source.matchAll(/require\(\s*["']([^"']+)["']\s*\)/g)) {
        const target = match[1] as string
        addTemplateFile(
          path.join(path.dirname(file), target.endsWith('.wxs') ? target : `${target}.wxs`),
          file,
        )
      }
      return
    }
    if (wxml.has(file)) return
    if (!fs.existsSync(file)) throw new Error(`${requiredBy} references ${file}, which does not exist`)
    wxml.add(file)
    const source = fs.readFileSync(file, 'utf8').replace(/<!--[\s\S]*?-->/g, '')
    for (const match of source.matchAll(/<(?:import|include|wxs)\b[^>]*?\bsrc\s*=\s*["']([^"']+)["']/g)) {
      const target = match[1] as string
      const resolved = target.startsWith('/')
        ? path.join(rootPath, target)
        : path.join(path.dirname(file), target)
      addTemplateFile(/\.(wxml|wxs)$/.test(resolved) ? resolved : `${resolved}.wxml`, file)
    }
  }

  const visit = (component: string, isNpm: boolean) => {
    if (seen.has(component)) return
    seen.add(component)
    const jsonFile = `${component}.json`
    if (!fs.existsSync(jsonFile)) {
      const hint = isNpm ? ' (run `npm run pack-npm` to build miniprogram_npm)' : ''
      throw new Error(`component ${component} has no .json: every page and component needs one${hint}`)
    }
    components.push(component)
    const own = (readJson(jsonFile).usingComponents ?? {}) as Record<string, string>
    const using = isNpm ? own : { ...globalComponents, ...own }
    const wxmlFile = `${component}.wxml`
    if (fs.existsSync(wxmlFile)) {
      addTemplateFile(wxmlFile, jsonFile)
      if (!isNpm) {
        // WeChat renders an undeclared tag as nothing; simulate's global override would render it: catch it here
        const undeclared = customTagsIn(fs.readFileSync(wxmlFile, 'utf8')).filter((tag) => !(tag in using))
        if (undeclared.length) {
          throw new Error(`${wxmlFile} uses <${undeclared.join('>, <')}> without declaring it in ${jsonFile}`)
        }
      }
    }
    for (const [tag, value] of Object.entries(using)) {
      const { file, npmPath } = resolveComponentPath(component, value, rootPath)
      if (npmPath) {
        if (npmTags[tag] && npmTags[tag] !== npmPath) {
          throw new Error(
            `<${tag}> means ${npmTags[tag]} in ${npmTagSources[tag]} but ${npmPath} in ${jsonFile}: ` +
              'simulate maps npm tags once per page, so give them one meaning',
          )
        }
        npmTags[tag] = npmPath
        npmTagSources[tag] = jsonFile
      }
      visit(file, isNpm || !!npmPath || file.includes(`${path.sep}${NPM_FOLDER}${path.sep}`))
    }
  }

  visit(pagePath, false)
  const relative = (file: string) => toPosix(path.relative(rootPath, file))
  return {
    components,
    npmTags,
    wxmlList: [...wxml].map(relative),
    wxsList: [...wxs].map(relative),
  }
}

// ---- loading --------------------------------------------------------------------------------------------------

interface World {
  id: string
  componentPath: string
  route: string
  simulate: SimulateModule
  jComponent: JComponentModule
  exparser: ExparserModule
  loadMs: number
  /** this page's copy of config/tenant.ts (pages of the mini program only) */
  tenants?: { TENANTS: Record<string, AnyObject> }
}

/** A page loaded by `loadPage`, to pass to `renderPage`. */
export type PageId = string & { readonly __loadedPage: true }

const worlds = new Map<string, World>()
const loadedByPath = new Map<string, PageId>()
const rendered = new Set<PageHandle>()

// Pages rendered in a test are unloaded after it, and what they threw meanwhile fails that test. (This module is
// first evaluated by a test file, where jest's hooks exist; render pages per test, not in beforeAll.)
if (typeof afterEach === 'function') {
  afterEach(() => {
    for (const page of [...rendered]) page.teardown()
    throwRecordedErrors()
  })
}

const WX_HOLDER = globalThis as unknown as { wx?: unknown }

/**
 * `require` at call time, so that inside `jest.isolateModules` it answers the isolated registry's copy (an
 * `import` would bind once, to the test file's copy).
 */
function requireHere<T = unknown>(id: string): T {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- see above
  return require(id) as T
}

/**
 * Loads a page: `pages/bind/index` (relative to `miniprogram/`) or an absolute path (fixtures outside
 * `miniprogram/`; their absolute `usingComponents` still resolve against `miniprogram/`). Cached per test file.
 */
export function loadPage(
  pagePath: string,
  options: {
    rootPath?: string
    /**
     * Values of the develop tenant config (config/tenant.ts) for this page's own module copy, e.g. `{ oneTap: 'off' }`:
     * a page loaded with other values is another load. The source tree and other pages are untouched.
     */
    tenant?: Partial<TenantConfig>
  } = {},
): PageId {
  const rootPath = options.rootPath ?? MINIPROGRAM_ROOT
  const componentPath = (path.isAbsolute(pagePath) ? pagePath : path.join(rootPath, pagePath)).replace(
    /\.(ts|js|json|wxml|wxss)$/,
    '',
  )
  const cacheKey = options.tenant ? `${componentPath} ${JSON.stringify(options.tenant)}` : componentPath
  const cached = loadedByPath.get(cacheKey)
  if (cached) return cached

  const startedAt = Date.now()
  const graph = componentGraph(componentPath, rootPath)
  let world: World | undefined
  jest.isolateModules(() => {
    if (options.tenant) {
      // before the page's modules load, in the registry they will load from
      const tenants = requireHere<{ TENANTS: Record<string, TenantConfig> }>(
        path.join(rootPath, 'config/tenant'),
      )
      Object.assign(tenants.TENANTS.develop as TenantConfig, options.tenant)
    }
    // simulate merges its own silent `wx` over ours on require: keep ours
    const ownWx = Object.getOwnPropertyDescriptor(WX_HOLDER, 'wx')
    const simulate = requireHere<SimulateModule>('miniprogram-simulate')
    const jComponent = requireHere<JComponentModule>('j-component')
    const exparser = requireHere<ExparserModule>('miniprogram-exparser')
    isolateCompiledTemplates(requireHere<CompilerModule>('miniprogram-compiler'))
    if (ownWx) Object.defineProperty(WX_HOLDER, 'wx', ownWx)
    else delete WX_HOLDER.wx
    exparser.addGlobalErrorListener((error, info) => {
      recordError(error, info.message ?? 'exparser')
      return false
    })
    const id = simulate.load(componentPath, {
      compiler: 'official',
      rootPath,
      usingComponents: { ...graph.npmTags },
      compilerOptions: { wxmlList: graph.wxmlList, wxsList: graph.wxsList },
    })
    const tenantFile = path.join(rootPath, 'config/tenant.ts')
    world = {
      id,
      componentPath,
      route: toPosix(path.relative(rootPath, componentPath)),
      simulate,
      jComponent,
      exparser,
      loadMs: Date.now() - startedAt,
      tenants: fs.existsSync(tenantFile) ? requireHere(tenantFile) : undefined,
    }
  })
  if (!world) throw new Error(`loading ${componentPath} failed`)
  throwRecordedErrors()
  worlds.set(world.id, world)
  loadedByPath.set(cacheKey, world.id as PageId)
  return world.id as PageId
}

interface CompilerModule {
  wxmlToJs(rootPath: string, options?: AnyObject): string
}

/**
 * The official compiler's output keeps its template op tables in a global `__WXML_GLOBAL__`, keyed by the file's
 * index in the compiled list: a second page compiled with another list would render with the first page's ops.
 * Declaring it (and `$gwx`) local to each compiled unit gives every page load its own. One flag stays global:
 * `wxs_nf_init`, set once WXS's helpers are defined (non-configurably) on this realm's built-in prototypes.
 */
const COMPILED_UNIT_PRELUDE = [
  'var __WXML_GLOBAL__ = Object.defineProperty({}, "wxs_nf_init", {',
  '  get: function () { return globalThis.__wxsHelpersDefined__ },',
  '  set: function (value) { globalThis.__wxsHelpersDefined__ = value },',
  '  enumerable: true,',
  '});',
  'var $gwx;',
  '',
].join('\n')

function isolateCompiledTemplates(compiler: CompilerModule): void {
  const compile = compiler.wxmlToJs.bind(compiler)
  compiler.wxmlToJs = (rootPath, options) => COMPILED_UNIT_PRELUDE + compile(rootPath, options)
}

/**
 * The develop tenant config (config/tenant.ts `TENANTS.develop`) of a loaded page's own module copy: assign to it to
 * render that page as a tenant configured otherwise would (e.g. `{ codeLength: 4 }`); other copies and the source
 * tree are untouched. Put back what you changed when the test ends (the copy is shared by the file's tests).
 */
export function developTenantOf(page: PageId): AnyObject {
  const tenants = worlds.get(page)?.tenants
  if (!tenants) throw new Error(`${page} is not a page of the mini program: it has no tenant config`)
  return tenants.TENANTS.develop as AnyObject
}

/** How long `loadPage` took for a page (ms), for timing reports. */
export function loadTime(page: PageId): number {
  return worlds.get(page)?.loadMs ?? 0
}

// ---- the app ---------------------------------------------------------------------------------------------------

/**
 * Runs `app.ts` (in its own module registry, like a page) and its `onLaunch(options)` then `onShow(options)`, as
 * WeChat does before the first page. Returns the instance `getApp()` answers from then on.
 */
export function launchApp(
  options: { path?: string; query?: Record<string, string>; scene?: number } = {},
  rootPath: string = MINIPROGRAM_ROOT,
): AnyObject {
  const launchOptions = { path: 'pages/launch/index', query: {}, scene: 1001, ...options }
  patchState().app = undefined
  jest.isolateModules(() => {
    requireHere(path.join(rootPath, 'app'))
  })
  const app = patchState().app
  if (!app) throw new Error(`${path.join(rootPath, 'app')} did not call App()`)
  callLifecycle(app, 'onLaunch', launchOptions)
  callLifecycle(app, 'onShow', launchOptions)
  throwRecordedErrors()
  return app
}

// ---- wx ---------------------------------------------------------------------------------------------------------

/**
 * Installs a wx-node `wx` (with simulate's layout APIs) for the rest of the test file, or until the returned
 * `uninstall` runs. Use it in `beforeEach` / `beforeAll`.
 */
export function useWx(options: WxNodeOptions = {}): WxNode & { uninstall: () => void } {
  const created = createWx({ ...options, passthrough: { ...layoutApis(), ...(options.passthrough ?? {}) } })
  const uninstall = installWx(created.wx)
  return { ...created, uninstall }
}

// ---- nodes ------------------------------------------------------------------------------------------------------

/** The attributes a template gave a rendered element, as written (`aria-valuenow`, `page-style`), with bound values. */
function templateAttributes(element: Element | null | undefined): AnyObject {
  const virtual = (
    element as unknown as { __wxElement?: { _vt?: { attrs?: { name: string; value: unknown }[] } } }
  )?.__wxElement?._vt?.attrs
  // simulate keeps them camel-cased (ariaValuenow): answered as written (aria-valuenow)
  const written = (name: string) => name.replace(/[A-Z]/g, (letter) => `-${letter.toLowerCase()}`)
  return Object.fromEntries((virtual ?? []).map(({ name, value }) => [written(name), value]))
}

/** A node of the rendered tree: an element, or a component host. */
export class SimNode {
  constructor(readonly node: ExparserNode) {}

  get dom(): HTMLElement {
    const dom = this.node.$$
    if (!dom) throw new Error('this node has no DOM element')
    return dom
  }

  /** The tag as written in WXML (`van-button`, `view`). */
  get tagName(): string {
    return this.dom.tagName.toLowerCase().replace(/^wx-/, '')
  }

  /** `this` of a component host; undefined for plain elements. */
  get instance(): ComponentCaller | undefined {
    return this.node.__methodCaller && this.node.shadowRoot ? this.node.__methodCaller : undefined
  }

  get data(): AnyObject | undefined {
    return this.instance?.data
  }

  get id(): string | undefined {
    return (this.node as TreeNode).id
  }

  /**
   * The attributes the template gave this element, with their bound values (`aria-valuenow`, `data-step`, ...):
   * jsdom's element does not carry them.
   */
  get attributes(): AnyObject {
    return templateAttributes(this.dom)
  }

  /** Visible text, whitespace collapsed. */
  text(): string {
    return (this.dom.textContent ?? '').replace(/\s+/g, ' ').trim()
  }

  /** Inside this component's own template only. */
  querySelector(selector: string): SimNode | undefined {
    const found = this.node.shadowRoot?.querySelector(selector) as ExparserNode | null | undefined
    return found ? new SimNode(found) : undefined
  }

  querySelectorAll(selector: string): SimNode[] {
    const root = this.node.shadowRoot as
      { querySelectorAll?(selector: string): ExparserNode[] } | null | undefined
    return (root?.querySelectorAll?.(selector) ?? []).map((found) => new SimNode(found))
  }

  /** This component's template first, then the templates of the components inside it, breadth first. */
  deepQuerySelector(selector: string): SimNode | undefined {
    const queue: ExparserNode[] = [this.node]
    while (queue.length) {
      const host = queue.shift() as ExparserNode
      const found = host.shadowRoot?.querySelector(selector)
      if (found) return new SimNode(found)
      queue.push(...childComponents(host))
    }
    return undefined
  }
}

/** Component hosts created by `host`'s own template. */
function childComponents(host: ExparserNode): ExparserNode[] {
  const hosts: ExparserNode[] = []
  const walk = (node: TreeNode) => {
    for (const child of node.childNodes ?? []) {
      if (child.shadowRoot) hosts.push(child)
      walk(child)
    }
  }
  if (host.shadowRoot) walk(host.shadowRoot as unknown as TreeNode)
  return hosts
}

/** A selector, or a chain of them: each one after the first is looked up inside the component found before. */
export type Target = string | readonly string[]

const describeTarget = (target: Target) => (typeof target === 'string' ? target : target.join(' » '))

// ---- errors -----------------------------------------------------------------------------------------------------

/** Errors thrown in lifetimes, observers and handlers (exparser swallows them) and rejections of async methods. */
export function recordedErrors(): Error[] {
  return [...patchState().errors]
}

export function clearRecordedErrors(): void {
  patchState().errors.length = 0
}

function throwRecordedErrors(): void {
  const errors = patchState().errors.splice(0)
  if (!errors.length) return
  const [first] = errors
  if (errors.length === 1 && first) throw first
  throw new AggregateError(
    errors,
    `${errors.length} errors in the page: ${errors.map((e) => e.message).join(' | ')}`,
  )
}

// ---- rendering --------------------------------------------------------------------------------------------------

export interface SetDataSummary {
  count: number
  bytes: number
  calls: { component: string; keys: string[]; bytes: number }[]
}

export interface RenderOptions {
  /** Element to attach to; a fresh `<div>` in `document.body` by default. */
  parent?: HTMLElement
}

/** A macrotask turn (promise chains run to the end), then the installed wx-node's requests in flight. */
async function settleOnce(): Promise<void> {
  await sleep(0)
  await wxStateOf(WX_HOLDER.wx)?.idle()
}

export class PageHandle {
  private setDataStart: number
  private unloaded = false

  constructor(
    private readonly world: World,
    readonly root: RootComponent,
    readonly parent: HTMLElement,
  ) {
    this.setDataStart = patchState().setDataLog.length
  }

  /** The page's `this`. */
  get instance(): ComponentCaller {
    return this.root.instance
  }

  /** The page's data, live. */
  data<T extends AnyObject = AnyObject>(): T {
    return this.instance.data as T
  }

  /** The root node, to search from. */
  get node(): SimNode {
    return new SimNode(this.root._exparserNode)
  }

  /**
   * Finds a node: by one selector (the page's template first, then inside its components, breadth first), or by
   * a chain (`['#captcha', '#captcha-handle']`: each next selector inside the component found before).
   */
  find(target: Target): SimNode | undefined {
    const [first, ...rest] = typeof target === 'string' ? [target] : [...target]
    if (!first) return undefined
    let found = this.node.deepQuerySelector(first)
    for (const selector of rest) {
      if (!found) return undefined
      found = found.deepQuerySelector(selector)
    }
    return found
  }

  /** Like `find`, but a missing node is an error naming the selector. */
  get(target: Target): SimNode {
    const found = this.find(target)
    if (!found) throw new Error(`nothing matches ${describeTarget(target)} on ${this.world.route}`)
    return found
  }

  exists(target: Target): boolean {
    return !!this.find(target)
  }

  /** Visible text of a node ('' when it is not rendered). */
  text(target: Target): string {
    return this.find(target)?.text() ?? ''
  }

  /**
   * Types into a van-field (the `input` event on its inner `.van-field__control`, which makes the field emit
   * `change` to the page) or into a plain input/textarea. `blur: true` leaves the field afterwards.
   */
  typeInto(target: Target, value: string, options: { blur?: boolean } = {}): void {
    const control = this.inputControl(target)
    const detail = { value, cursor: value.length, keyCode: 0 }
    this.fire(control, 'input', detail)
    if (options.blur) this.fire(control, 'blur', { value })
    throwRecordedErrors()
  }

  /** Leaves a field (the `blur` event on its inner control). */
  blur(target: Target): void {
    const control = this.inputControl(target)
    const value = (control.data?.value as string | undefined) ?? ''
    this.fire(control, 'blur', { value })
    throwRecordedErrors()
  }

  /**
   * Taps what a user would: the inner `.van-button` of a van-button, the icon of a van-checkbox, the cell of a
   * van-cell, the element itself otherwise.
   */
  tap(target: Target, point: { x: number; y: number } = { x: 0, y: 0 }): void {
    const found = this.get(target)
    const inner = INNER_TAP_TARGET[found.tagName]
    const tapped = inner ? (found.querySelector(inner) ?? found) : found
    this.fire(tapped, 'tap', point)
    throwRecordedErrors()
  }

  /**
   * Taps the tab named `name` in a van-tabs (`#tabs` by default). Async like Vant: the tabs switch after their
   * before-change promise and emit `change` on the next tick, so the returned promise settles after that.
   */
  async tapTab(name: string, tabsTarget: Target = '#tabs'): Promise<void> {
    const tabs = this.get(tabsTarget)
    const children = (tabs.instance?.children ?? []) as { data: AnyObject; getComputedName?: () => unknown }[]
    const index = children.findIndex((tab) => (tab.getComputedName?.() ?? tab.data.name) === name)
    if (index < 0) {
      const names = children.map((tab) => String(tab.getComputedName?.() ?? tab.data.name))
      throw new Error(
        `${describeTarget(tabsTarget)} has no tab named "${name}" (tabs: ${names.join(', ') || 'none'})`,
      )
    }
    const titles = tabs.querySelectorAll('.van-tab')
    const title = titles[index]
    if (!title)
      throw new Error(`${describeTarget(tabsTarget)} rendered ${titles.length} tab titles, not ${index + 1}`)
    this.fire(title, 'tap', { x: 0, y: 0 })
    await this.flush(1)
  }

  /** The attributes of the page's `<page-meta>` (`page-style`, ...); {} when it has none. */
  pageMeta(): AnyObject {
    return templateAttributes(this.parent.querySelector('wx-page-meta'))
  }

  /** The error message a van-field shows under itself ('' when none). */
  fieldError(target: Target): string {
    return this.get(target).querySelector('.van-field__error-message')?.text() ?? ''
  }

  /**
   * Fires a component event with `detail`. On a van-button host the event goes to its inner button, so Vant
   * relays it as it does on the phone (`getphonenumber`, `agreeprivacyauthorization`, ...).
   */
  dispatch(target: Target, eventName: string, detail: AnyObject = {}): void {
    const found = this.get(target)
    const relayed = found.tagName === 'van-button' ? found.querySelector('.van-button') : undefined
    this.fire(relayed ?? found, eventName, detail)
    throwRecordedErrors()
  }

  /**
   * A touch event on the node. Each touch carries `x`/`y` (what j-component's own touches carry) and
   * `pageX`/`pageY`/`clientX`/`clientY` (what a phone's carry), all at `point`.
   */
  touch(
    target: Target,
    eventName: 'touchstart' | 'touchmove' | 'touchend' | 'touchcancel',
    point: { x: number; y: number },
  ): void {
    const found = this.get(target)
    const touch = {
      identifier: 0,
      x: point.x,
      y: point.y,
      pageX: point.x,
      pageY: point.y,
      clientX: point.x,
      clientY: point.y,
    }
    const ended = eventName === 'touchend' || eventName === 'touchcancel'
    this.fire(
      found,
      eventName,
      { x: point.x, y: point.y },
      { touches: ended ? [] : [touch], changedTouches: [touch] },
    )
    throwRecordedErrors()
  }

  /** A drag: touchstart at `from`, touchmove through `steps` points, touchend at `to`. */
  drag(target: Target, from: { x: number; y: number }, to: { x: number; y: number }, steps = 5): void {
    this.touch(target, 'touchstart', from)
    for (let step = 1; step <= steps; step += 1) {
      const ratio = step / steps
      this.touch(target, 'touchmove', {
        x: from.x + (to.x - from.x) * ratio,
        y: from.y + (to.y - from.y) * ratio,
      })
    }
    this.touch(target, 'touchend', to)
  }

  /** Every setData since render (or the last reset) on the page and every component inside it. */
  setDataCalls(): SetDataSummary {
    const root = this.root._exparserNode
    const calls = patchState()
      .setDataLog.slice(this.setDataStart)
      .filter((record) => belongsTo(record.node, root))
      .map((record: SetDataRecord) => ({
        component: record.node === root ? this.world.route : (record.node.$$?.tagName.toLowerCase() ?? '?'),
        keys: record.keys,
        bytes: record.bytes,
      }))
    return { count: calls.length, bytes: calls.reduce((sum, call) => sum + call.bytes, 0), calls }
  }

  resetSetDataCalls(): void {
    this.setDataStart = patchState().setDataLog.length
  }

  /** Lets pending promises, timers at 0 and loopback HTTP settle; throws what the page threw meanwhile. */
  async flush(rounds = 3): Promise<void> {
    for (let round = 0; round < rounds; round += 1) await settleOnce()
    throwRecordedErrors()
  }

  /**
   * Waits until `predicate` returns something truthy (and returns it), letting real HTTP and timers run; fails
   * after `timeoutMs` with what the predicate last saw, or at once with an error the page threw.
   */
  async waitFor<T>(predicate: () => T | undefined | null | false, timeoutMs = 3000): Promise<T> {
    const deadline = performance.now() + timeoutMs
    for (;;) {
      throwRecordedErrors()
      let last: { error: unknown } | { value: unknown }
      try {
        const value = predicate()
        if (value) return value
        last = { value }
      } catch (error) {
        last = { error }
      }
      if (performance.now() > deadline) {
        const seen =
          'error' in last
            ? `it threw ${last.error instanceof Error ? last.error.message : String(last.error)}`
            : `it returned ${JSON.stringify(last.value) ?? String(last.value)}`
        throw new Error(`waitFor timed out after ${timeoutMs} ms on ${this.world.route}: ${seen}`)
      }
      await sleep(5)
    }
  }

  /** The page goes to the background (onHide, pageLifetimes.hide). */
  hide(): void {
    callLifecycle(this.instance, 'onHide')
    this.root.triggerPageLifeTime('hide')
    throwRecordedErrors()
  }

  /** The page comes back (onShow, pageLifetimes.show). */
  show(): void {
    callLifecycle(this.instance, 'onShow')
    this.root.triggerPageLifeTime('show')
    throwRecordedErrors()
  }

  /** onUnload, then detached for the whole tree; the page leaves getCurrentPages(). */
  unload(): void {
    this.teardown()
    throwRecordedErrors()
  }

  /** unload without throwing what the page recorded (the caller throws it). */
  teardown(): void {
    if (this.unloaded) return
    this.unloaded = true
    rendered.delete(this)
    callLifecycle(this.instance, 'onUnload')
    this.root.detach()
    this.parent.remove()
    const pages = patchState().pages
    const index = pages.indexOf(this.instance)
    if (index >= 0) pages.splice(index, 1)
  }

  private inputControl(target: Target): SimNode {
    const found = this.get(target)
    if (found.tagName === 'input' || found.tagName === 'textarea') return found
    const control = found
      .querySelectorAll('.van-field__control')
      .find((node) => node.tagName === 'input' || node.tagName === 'textarea')
    if (!control) throw new Error(`${describeTarget(target)} is neither a van-field nor an input`)
    return control
  }

  private fire(
    target: SimNode,
    name: string,
    detail: unknown,
    touches?: { touches: unknown[]; changedTouches: unknown[] },
  ) {
    const { Event } = this.world.exparser
    const bubbles = BUBBLING_EVENTS.has(name)
    const event = Event.create(name, detail, {
      bubbles,
      composed: bubbles,
      capturePhase: bubbles,
      extraFields: touches ?? { touches: [], changedTouches: [] },
    })
    Event.dispatchEvent(target.node, event)
  }
}

/** Touch and tap events bubble on WeChat; component events (input, blur, change...) do not. */
const BUBBLING_EVENTS = new Set([
  'tap',
  'longpress',
  'longtap',
  'touchstart',
  'touchmove',
  'touchend',
  'touchcancel',
])

/** What a user's finger lands on inside Vant hosts. */
const INNER_TAP_TARGET: Record<string, string> = {
  'van-button': '.van-button',
  'van-checkbox': '.van-checkbox__icon-wrap',
  'van-radio': '.van-radio__icon-wrap',
  'van-cell': '.van-cell',
  'van-tab': '.van-tab__pane',
  'van-icon': '.van-icon',
}

function callLifecycle(instance: AnyObject, name: string, ...args: unknown[]): void {
  const method = instance[name]
  if (typeof method !== 'function') return
  try {
    const result = (method as (...callArgs: unknown[]) => unknown).apply(instance, args)
    if (result && typeof (result as PromiseLike<unknown>).then === 'function') {
      ;(result as PromiseLike<unknown>).then(undefined, (error: unknown) =>
        recordError(error, `${name}() rejected`),
      )
    }
  } catch (error) {
    recordError(error, `${name}() threw`)
  }
}

/**
 * Renders a loaded page the way WeChat opens it: attached (created, attached, ready lifetimes), then
 * `onLoad(query)`, `onShow()` with `pageLifetimes.show` for every component, `onReady()`. The page joins
 * `getCurrentPages()` before `onLoad`, with `route` and `options` set.
 */
export function renderPage(
  page: PageId,
  query: Record<string, string> = {},
  options: RenderOptions = {},
): PageHandle {
  const world = worlds.get(page)
  if (!world) throw new Error(`renderPage: ${page} was not loaded with loadPage in this test file`)
  // simulate.render re-inserts the page's whole WXSS (tens of KB for Vant) on every call; once is enough
  const styled = !!document.head.querySelector(`style#${world.id}`)
  const root = styled ? world.jComponent.create(world.id) : world.simulate.render(world.id)
  const parent = options.parent ?? document.body.appendChild(document.createElement('div'))
  root.attach(parent)
  const handle = new PageHandle(world, root, parent)
  rendered.add(handle)
  const instance = root.instance
  instance.route = world.route
  instance.options = { ...query }
  patchState().pages.push(instance)
  callLifecycle(instance, 'onLoad', { ...query })
  callLifecycle(instance, 'onShow')
  root.triggerPageLifeTime('show')
  callLifecycle(instance, 'onReady')
  throwRecordedErrors()
  return handle
}
