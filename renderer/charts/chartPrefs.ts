/** The loss charts' toggles (log scale, smoothing), kept across sessions in local storage. */
import { create } from 'zustand';

const KEY = 'modelwright.charts';

export interface ChartPrefs {
  log: boolean;
  smooth: boolean;
  set(patch: Partial<Pick<ChartPrefs, 'log' | 'smooth'>>): void;
}

function stored(): Pick<ChartPrefs, 'log' | 'smooth'> {
  try {
    const v = JSON.parse(globalThis.localStorage?.getItem(KEY) ?? '{}') as Partial<ChartPrefs>;
    return { log: v.log === true, smooth: v.smooth === true };
  } catch {
    return { log: false, smooth: false };
  }
}

export const useChartPrefs = create<ChartPrefs>()((set, get) => ({
  ...stored(),
  set: (patch) => {
    set(patch);
    try {
      globalThis.localStorage?.setItem(KEY, JSON.stringify({ log: get().log, smooth: get().smooth }));
    } catch {
      // not kept; still applies for this session
    }
  },
}));

/** How much the smoothed curve averages (TensorBoard's default weight). */
export const SMOOTHING = 0.9;
