/**
 * Undo/redo over immutable snapshots. Documents are small (kilobytes) and every edit makes a new
 * object, so a snapshot per step is simple and exact. Edits with the same `coalesceKey` in a row
 * (typing in one field, one drag) fold into one step.
 */

export interface History<T> {
  past: T[];
  present: T;
  future: T[];
  /** The key of the last edit, while further edits with it should fold into the same step. */
  lastKey: string | null;
  lastAt: number;
}

/** Steps kept; older ones fall off. */
export const HISTORY_LIMIT = 200;
/** Edits with one key further apart than this start a new step. */
export const COALESCE_MS = 1_500;

export function createHistory<T>(present: T): History<T> {
  return { past: [], present, future: [], lastKey: null, lastAt: 0 };
}

/** Records `next` as the present. An edit that changes nothing records nothing. */
export function record<T>(h: History<T>, next: T, coalesceKey: string | null = null, now = Date.now()): History<T> {
  if (next === h.present) return h;
  const fold = coalesceKey !== null && coalesceKey === h.lastKey && now - h.lastAt <= COALESCE_MS;
  if (fold) return { ...h, present: next, future: [], lastAt: now };
  const past = [...h.past, h.present];
  if (past.length > HISTORY_LIMIT) past.splice(0, past.length - HISTORY_LIMIT);
  return { past, present: next, future: [], lastKey: coalesceKey, lastAt: now };
}

export function undo<T>(h: History<T>): History<T> {
  const previous = h.past[h.past.length - 1];
  if (previous === undefined) return h;
  return { past: h.past.slice(0, -1), present: previous, future: [h.present, ...h.future], lastKey: null, lastAt: 0 };
}

export function redo<T>(h: History<T>): History<T> {
  const [next, ...rest] = h.future;
  if (next === undefined) return h;
  return { past: [...h.past, h.present], present: next, future: rest, lastKey: null, lastAt: 0 };
}
