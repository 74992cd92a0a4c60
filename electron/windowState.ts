/**
 * The main window's size, place and maximised state, remembered in the app's data folder.
 * A remembered place that is on no screen now (a monitor unplugged) falls back to the default.
 */
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { atomicWrite } from '../engine/host/atomicWrite';

const StateSchema = z.object({
  x: z.number().int().optional(),
  y: z.number().int().optional(),
  width: z.number().int().min(400).max(20_000),
  height: z.number().int().min(300).max(20_000),
  maximized: z.boolean(),
});
export type WindowState = z.infer<typeof StateSchema>;

export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

export const DEFAULT_WINDOW: WindowState = { width: 1440, height: 900, maximized: false };

/** The saved state if it parses and at least 100×50 pixels of its title bar are on a screen. */
export function restoreWindowState(saved: unknown, screens: readonly Rect[]): WindowState {
  const parsed = StateSchema.safeParse(saved);
  if (!parsed.success) return DEFAULT_WINDOW;
  const s = parsed.data;
  if (s.x === undefined || s.y === undefined) return { width: s.width, height: s.height, maximized: s.maximized };
  const { x, y } = s;
  const visible = screens.some((d) => {
    const w = Math.min(x + s.width, d.x + d.width) - Math.max(x, d.x);
    const h = Math.min(y + 50, d.y + d.height) - Math.max(y, d.y);
    return w >= 100 && h >= 50;
  });
  return visible ? s : { width: s.width, height: s.height, maximized: s.maximized };
}

export function readWindowState(file: string, screens: readonly Rect[]): WindowState {
  try {
    return restoreWindowState(JSON.parse(readFileSync(file, 'utf8')), screens);
  } catch {
    return DEFAULT_WINDOW;
  }
}

export async function writeWindowState(file: string, state: WindowState): Promise<void> {
  await atomicWrite(file, JSON.stringify(state)).catch(() => undefined);
}
