/**
 * Autosave and crash recovery, host side. While a document has unsaved changes the page sends
 * its text every few seconds; the host writes it, atomically, to one file per editor ("slot")
 * in the app's own data folder (`<data dir>/autosave/<slot>.json`), never over the user's file.
 * A slot belongs to the client that writes it for as long as that client is connected (a window,
 * a socket); once the client is gone (closed, crashed, killed, reloaded) its slot is offered back
 * to the next client that asks (`recoverable`), newest first, with the time it was written.
 * Saving, or discarding the changes, removes the slot.
 */
import { errorSaying } from '../words';
import { mkdir, readdir, readFile, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import type { AutosaveRequest, EngineResult, RecoverableDocument } from '../api';
import { parseDocument } from '../graph/load';
import { atomicWrite } from './atomicWrite';
import { fsErrorWords } from './userFiles';

/** What one autosave file holds. `text` is the document exactly as the page sent it. */
const AutosaveFileSchema = z.object({
  format: z.literal('modelwright-autosave'),
  version: z.literal(1),
  slot: z.string(),
  name: z.string(),
  documentPath: z.string().optional(),
  savedAt: z.string(),
  text: z.string(),
});

export interface AutosaveOptions {
  /** The folder autosaves go to (created on the first save). */
  dir: string;
  /** The most slots kept; older ones are removed when a new slot is written. Default 20. */
  maxSlots?: number;
  /** Slots older than this are removed, never offered. Default 30 days. */
  maxAgeMs?: number;
  now?: () => Date;
}

/** A file bigger than this in the autosave folder is not ours, or not whole: it is skipped. */
const MAX_FILE_BYTES = 64 * 1024 * 1024;
const DAY_MS = 24 * 60 * 60 * 1000;

export class AutosaveStore {
  readonly dir: string;
  private readonly maxSlots: number;
  private readonly maxAgeMs: number;
  private readonly now: () => Date;
  /** Slot → the live client that writes it. */
  private readonly owners = new Map<string, object>();
  /** One write at a time per slot, so a slow save never lands after a newer one. */
  private readonly writing = new Map<string, Promise<unknown>>();

  constructor(opts: AutosaveOptions) {
    this.dir = opts.dir;
    this.maxSlots = opts.maxSlots ?? 20;
    this.maxAgeMs = opts.maxAgeMs ?? 30 * DAY_MS;
    this.now = opts.now ?? (() => new Date());
  }

  private file(slot: string): string {
    return join(this.dir, `${slot}.json`);
  }

  /**
   * Writes `req` to its slot for `owner`. A text that is not a Modelwright document is refused
   * (nothing is written); a slot another live client holds is refused; a failed write (a full
   * disk, a read-only folder) is an `autosave-error` value and the previous autosave stays.
   */
  async save(owner: object, req: AutosaveRequest): Promise<EngineResult<{ savedAt: string }>> {
    const held = this.owners.get(req.slot);
    if (held && held !== owner) return { ok: false, error: errorSaying('autosave-error', { key: 'autosave.otherWindow', params: { slot: req.slot } }) };
    const parsed = parseDocument(req.text);
    if (!parsed.ok) return { ok: false, error: errorSaying('invalid-document', { key: 'opening.notAutosaved', params: { cause: parsed.words } }) };
    this.owners.set(req.slot, owner);
    const savedAt = this.now().toISOString();
    const body = JSON.stringify({
      format: 'modelwright-autosave',
      version: 1,
      slot: req.slot,
      name: req.name,
      ...(req.documentPath !== undefined ? { documentPath: req.documentPath } : {}),
      savedAt,
      text: req.text,
    });
    const write = async (): Promise<EngineResult<{ savedAt: string }>> => {
      try {
        await mkdir(this.dir, { recursive: true });
        await atomicWrite(this.file(req.slot), body);
      } catch (err) {
        return { ok: false, error: errorSaying('autosave-error', { key: 'autosave.notWritten', params: { dir: this.dir, cause: fsErrorWords(err) } }) };
      }
      await this.prune(req.slot);
      return { ok: true, value: { savedAt } };
    };
    const previous = this.writing.get(req.slot) ?? Promise.resolve();
    const next = previous.then(write, write);
    this.writing.set(req.slot, next);
    return next;
  }

  /** The slots no live client holds, newest first. Unreadable or foreign files are skipped. */
  async recoverable(): Promise<RecoverableDocument[]> {
    const out: RecoverableDocument[] = [];
    for (const slot of await this.slots()) {
      if (this.owners.has(slot)) continue;
      const entry = await this.read(slot);
      if (entry) out.push(entry);
    }
    return out.sort((a, b) => b.savedAt.localeCompare(a.savedAt));
  }

  /** Removes a slot that no other live client holds (restored, discarded, or saved). */
  async discard(owner: object, slot: string): Promise<void> {
    const held = this.owners.get(slot);
    if (held && held !== owner) return;
    await this.writing.get(slot)?.catch(() => undefined);
    this.owners.delete(slot);
    await rm(this.file(slot), { force: true });
  }

  /** The client is gone: what it autosaved becomes recoverable. */
  release(owner: object): void {
    for (const [slot, held] of this.owners) if (held === owner) this.owners.delete(slot);
  }

  private async slots(): Promise<string[]> {
    let names: string[];
    try {
      names = await readdir(this.dir);
    } catch {
      return [];
    }
    return names.filter((n) => /^[A-Za-z0-9_-]{8,64}\.json$/.test(n)).map((n) => n.slice(0, -'.json'.length));
  }

  private async read(slot: string): Promise<RecoverableDocument | null> {
    try {
      const st = await stat(this.file(slot));
      if (!st.isFile() || st.size > MAX_FILE_BYTES) return null;
      const parsed = AutosaveFileSchema.safeParse(JSON.parse(await readFile(this.file(slot), 'utf8')));
      if (!parsed.success || parsed.data.slot !== slot) return null;
      const { name, documentPath, savedAt, text } = parsed.data;
      return { slot, name, savedAt, text, ...(documentPath !== undefined ? { documentPath } : {}) };
    } catch {
      return null;
    }
  }

  /** Keeps the newest `maxSlots` slots younger than `maxAgeMs`; never removes a held slot. */
  private async prune(keep: string): Promise<void> {
    const dated: { slot: string; mtime: number }[] = [];
    for (const slot of await this.slots()) {
      try {
        dated.push({ slot, mtime: (await stat(this.file(slot))).mtimeMs });
      } catch {
        // Removed meanwhile.
      }
    }
    dated.sort((a, b) => b.mtime - a.mtime);
    const oldest = this.now().getTime() - this.maxAgeMs;
    for (const [i, { slot, mtime }] of dated.entries()) {
      if (slot === keep || this.owners.has(slot)) continue;
      if (i >= this.maxSlots || mtime < oldest) await rm(this.file(slot), { force: true }).catch(() => undefined);
    }
  }
}
