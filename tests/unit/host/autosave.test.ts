import { chmodSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { AutosaveStore } from '../../../engine/host/autosave';
import { createEngine } from '../../../engine/host/engine';

const doc = (name: string) => JSON.stringify({ format: 'modelwright', schemaVersion: 1, name, graph: { nodes: [], edges: [] } });
const fresh = () => join(mkdtempSync(join(tmpdir(), 'mw-autosave-')), 'autosave');

describe('AutosaveStore', () => {
  it('writes a slot to its own folder and offers it back only once its client is gone', async () => {
    const dir = fresh();
    const store = new AutosaveStore({ dir, now: () => new Date('2026-12-01T10:00:00Z') });
    const window1 = {};
    const saved = await store.save(window1, {
      slot: 'slot-aaaaaaaa',
      text: doc('First'),
      name: 'first.modelwright',
      documentPath: '/home/u/first.modelwright',
    });
    expect(saved).toEqual({ ok: true, value: { savedAt: '2026-12-01T10:00:00.000Z' } });
    expect(readdirSync(dir)).toEqual(['slot-aaaaaaaa.json']);
    // Held by a live window: not for anyone else to restore.
    expect(await store.recoverable()).toEqual([]);
    store.release(window1);
    const offers = await store.recoverable();
    expect(offers).toEqual([
      { slot: 'slot-aaaaaaaa', name: 'first.modelwright', documentPath: '/home/u/first.modelwright', savedAt: '2026-12-01T10:00:00.000Z', text: doc('First') },
    ]);
    // A new host process (after a crash) sees it too.
    expect((await new AutosaveStore({ dir }).recoverable()).map((o) => o.slot)).toEqual(['slot-aaaaaaaa']);
    await store.discard({}, 'slot-aaaaaaaa');
    expect(await store.recoverable()).toEqual([]);
  });

  it('lists the newest first and refuses another client’s slot', async () => {
    const dir = fresh();
    let t = 0;
    const store = new AutosaveStore({ dir, now: () => new Date(Date.UTC(2026, 11, 1, 10, 0, t++)) });
    const a = {};
    const b = {};
    await store.save(a, { slot: 'slot-older000', text: doc('Older'), name: 'older.modelwright' });
    await store.save(b, { slot: 'slot-newer000', text: doc('Newer'), name: 'newer.modelwright' });
    const stolen = await store.save(b, { slot: 'slot-older000', text: doc('Mine'), name: 'x.modelwright' });
    expect(stolen.ok).toBe(false);
    if (!stolen.ok) expect(stolen.error.code).toBe('autosave-error');
    // b may not remove a's slot either.
    await store.discard(b, 'slot-older000');
    store.release(a);
    store.release(b);
    expect((await store.recoverable()).map((o) => o.name)).toEqual(['newer.modelwright', 'older.modelwright']);
  });

  it('never writes a text that is not a document, and skips files in the folder that are not autosaves', async () => {
    const dir = fresh();
    const store = new AutosaveStore({ dir });
    const bad = await store.save({}, { slot: 'slot-bad00000', text: '{"format":"other"}', name: 'x.modelwright' });
    expect(bad.ok).toBe(false);
    if (!bad.ok) expect(bad.error.code).toBe('invalid-document');
    await store.save({}, { slot: 'slot-good0000', text: doc('Good'), name: 'good.modelwright' });
    writeFileSync(join(dir, 'slot-junk0000.json'), '{ not json');
    writeFileSync(join(dir, 'slot-other000.json'), JSON.stringify({ format: 'something' }));
    writeFileSync(join(dir, 'notes.txt'), 'hello');
    const owner = {};
    store.release(owner);
    expect((await new AutosaveStore({ dir }).recoverable()).map((o) => o.slot)).toEqual(['slot-good0000']);
  });

  it('keeps the newest slots only, and never one a live client holds', async () => {
    const dir = fresh();
    const store = new AutosaveStore({ dir, maxSlots: 2 });
    const live = {};
    await store.save(live, { slot: 'slot-live0000', text: doc('Live'), name: 'live.modelwright' });
    for (const n of [1, 2, 3]) {
      const gone = {};
      await store.save(gone, { slot: `slot-gone000${n}`, text: doc(`Gone ${n}`), name: `gone${n}.modelwright` });
      store.release(gone);
      await new Promise((r) => setTimeout(r, 15));
    }
    const left = readdirSync(dir).sort();
    expect(left).toContain('slot-live0000.json');
    expect(left).toContain('slot-gone0003.json');
    expect(left).not.toContain('slot-gone0001.json');
  });

  it('a folder it cannot write is an error value, and the previous autosave stays', async () => {
    if (process.getuid?.() === 0) {
      // root writes anywhere: make the folder a file instead, which no one can write into.
      const parent = mkdtempSync(join(tmpdir(), 'mw-autosave-'));
      writeFileSync(join(parent, 'autosave'), 'a file in the way');
      const store = new AutosaveStore({ dir: join(parent, 'autosave') });
      const answer = await store.save({}, { slot: 'slot-full0000', text: doc('X'), name: 'x.modelwright' });
      expect(answer.ok).toBe(false);
      if (!answer.ok) expect(answer.error).toMatchObject({ code: 'autosave-error', message: expect.stringContaining(join(parent, 'autosave')) });
      return;
    }
    const dir = fresh();
    const store = new AutosaveStore({ dir });
    const owner = {};
    await store.save(owner, { slot: 'slot-keep0000', text: doc('Kept'), name: 'kept.modelwright' });
    chmodSync(dir, 0o500);
    try {
      const answer = await store.save(owner, { slot: 'slot-keep0000', text: doc('Newer'), name: 'kept.modelwright' });
      expect(answer.ok).toBe(false);
    } finally {
      chmodSync(dir, 0o700);
    }
    expect(JSON.parse(readFileSync(join(dir, 'slot-keep0000.json'), 'utf8')).text).toBe(doc('Kept'));
  });

  it("keeps a document's path only where the host's policy knows it, and the host knows it again when it is offered back", async () => {
    const dir = fresh();
    const engine = createEngine({ runsDir: join(dir, '..', 'runs'), autosave: new AutosaveStore({ dir }) });
    try {
      const known = new Set(['/home/u/known.modelwright']);
      const policy = { autosavePath: (p: string) => known.has(p), recoveredPath: (p: string) => void known.add(p) };
      const window1 = engine.session(policy);
      expect(
        (await window1.autosaveDocument({ slot: 'slot-known000', text: doc('Known'), name: 'known.modelwright', documentPath: '/home/u/known.modelwright' }))
          .ok,
      ).toBe(true);
      // A path the page names but the host never opened or saved: the autosave keeps no path.
      expect((await window1.autosaveDocument({ slot: 'slot-other000', text: doc('Other'), name: 'passwd', documentPath: '/etc/passwd' })).ok).toBe(true);
      window1.close();
      known.clear(); // A new start of the app: main knows no document yet.
      const offers = await engine.session(policy).recoverableDocuments();
      const bySlot = Object.fromEntries(offers.map((o) => [o.slot, o.documentPath]));
      expect(bySlot).toEqual({ 'slot-known000': '/home/u/known.modelwright', 'slot-other000': undefined });
      expect([...known]).toEqual(['/home/u/known.modelwright']);
    } finally {
      await engine.dispose();
    }
  });
});
