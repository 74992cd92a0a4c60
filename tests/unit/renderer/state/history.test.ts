import { describe, expect, it } from 'vitest';
import { COALESCE_MS, createHistory, HISTORY_LIMIT, record, redo, undo } from '../../../../renderer/state/history';

describe('undo history', () => {
  it('undoes and redoes each step, and a new edit drops the redo branch', () => {
    let h = createHistory('a');
    h = record(h, 'b');
    h = record(h, 'c');
    h = undo(h);
    expect(h.present).toBe('b');
    h = undo(h);
    expect(h.present).toBe('a');
    expect(undo(h)).toBe(h);
    h = redo(h);
    expect(h.present).toBe('b');
    h = record(h, 'x');
    expect(h.future).toEqual([]);
    expect(redo(h)).toBe(h);
    expect(undo(h).present).toBe('b');
  });

  it('folds quick edits with one key into one step, and not edits with other keys or after a pause', () => {
    let h = createHistory(0);
    h = record(h, 1, 'filters', 1000);
    h = record(h, 12, 'filters', 1200);
    h = record(h, 128, 'filters', 1400);
    expect(h.past).toEqual([0]);
    h = record(h, 129, 'filters', 1400 + COALESCE_MS + 1);
    expect(h.past).toEqual([0, 128]);
    h = record(h, 5, 'rate', 1400 + COALESCE_MS + 2);
    expect(h.past).toEqual([0, 128, 129]);
    // After an undo, the same key starts a new step rather than rewriting history.
    h = undo(h);
    h = record(h, 7, 'rate', 1400 + COALESCE_MS + 3);
    expect(h.past).toEqual([0, 128, 129]);
    expect(h.present).toBe(7);
  });

  it('records nothing for an edit that changes nothing, and keeps a bounded past', () => {
    const h0 = createHistory({ n: 0 });
    expect(record(h0, h0.present)).toBe(h0);
    let h = h0;
    for (let i = 1; i <= HISTORY_LIMIT + 50; i++) h = record(h, { n: i });
    expect(h.past).toHaveLength(HISTORY_LIMIT);
    expect(h.past[0]).toEqual({ n: 50 });
  });
});
