/**
 * jest `setupFiles` of the "pages" project (jsdom): what miniprogram-simulate needs before any page loads.
 * - `Component` becomes an accessor that wraps whatever simulate assigns (relations, groupSetData, setData log;
 *   see simulate-patches.ts), so every simulate copy a test file loads is fixed the same way.
 * - `getCurrentPages()` answers the pages rendered through simulate.ts (Vant's toast, dialog and notify use it);
 *   `App()`/`getApp()` keep the app `launchApp()` registered; `Page()` throws (pages are `Component()`s here).
 * - a default `wx` from wx-node that allows no requests: simulate's own `wx` answers every request with 200 `{}`,
 *   so a test that forgets to point the app at a server would pass for the wrong reason. Tests that talk to a server
 *   install their own with `useWx()` from simulate.ts.
 */
import {
  installAppGlobals,
  installComponentHook,
  installGetCurrentPages,
  layoutApis,
} from './simulate-patches'
import { createWx, installWx } from './wx-node'

installComponentHook()
installGetCurrentPages()
installAppGlobals()
installWx(createWx({ requestsAllowed: false, passthrough: layoutApis() }).wx)
