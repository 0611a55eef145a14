/**
 * One app start for a unit test: a wx-node `wx` installed as `global.wx`, then fresh copies of the modules `load`
 * requires (module state such as counters and caches starts over). `load` runs inside jest.isolateModules, so its
 * `require` calls resolve from the test file that wrote them.
 */
import { createWx, installWx, type WxNode, type WxNodeOptions } from './wx-node'

export interface FreshApp<Modules> extends WxNode {
  modules: Modules
  /** Puts back whatever `global.wx` was before. */
  uninstall: () => void
}

export function freshApp<Modules>(load: () => Modules, options: WxNodeOptions = {}): FreshApp<Modules> {
  const device = createWx(options)
  const uninstall = installWx(device.wx)
  let modules: Modules | undefined
  jest.isolateModules(() => {
    modules = load()
  })
  return { ...device, modules: modules as Modules, uninstall }
}

/**
 * Replaces one API of a wx-node `wx`, for a platform that lacks it (`null`) or breaks it. Not `undefined`: wx-node
 * takes that for a jest spy being restored and puts its own implementation back.
 */
export function patchWx(wx: WechatMiniprogram.Wx, name: string, value: unknown): void {
  ;(wx as unknown as Record<string, unknown>)[name] = value
}
