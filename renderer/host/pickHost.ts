import { createDesktopHost } from './desktopHost';
import type { Host } from './Host';
import { createWebHost } from './webHost';

/** The desktop shell exposes `window.modelwright`; anywhere else we are the web UI. */
export function pickHost(): Host {
  return window.modelwright ? createDesktopHost(window.modelwright) : createWebHost();
}
