/** How the canvas behaves for this user (snap to grid), kept across sessions in local storage. */
import { create } from 'zustand';

/** The grid blocks snap to, in canvas pixels; the background's dots are drawn on it. */
export const GRID = 20;

const SNAP_KEY = 'modelwright.canvas.snap';

function storedSnap(): boolean {
  try {
    return globalThis.localStorage?.getItem(SNAP_KEY) === '1';
  } catch {
    return false; // storage can be off; the default is free placement
  }
}

export interface CanvasPrefs {
  snap: boolean;
  setSnap(snap: boolean): void;
}

export const useCanvasPrefs = create<CanvasPrefs>()((set) => ({
  snap: storedSnap(),
  setSnap: (snap) => {
    try {
      globalThis.localStorage?.setItem(SNAP_KEY, snap ? '1' : '0');
    } catch {
      // not kept, but still on for this session
    }
    set({ snap });
  },
}));

/** `p` on the grid when snapping is on. */
export function snapped(p: { x: number; y: number }, snap = useCanvasPrefs.getState().snap): { x: number; y: number } {
  return snap ? { x: Math.round(p.x / GRID) * GRID, y: Math.round(p.y / GRID) * GRID } : p;
}
