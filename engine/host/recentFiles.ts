/**
 * The desktop's recent documents: a short list, newest first, kept as JSON in the app's data
 * folder (written atomically). A path that no longer opens is dropped when it fails to open.
 */
import { readFile } from 'node:fs/promises';
import { basename, resolve } from 'node:path';
import { z } from 'zod';
import { atomicWrite } from './atomicWrite';

export interface RecentEntry {
  path: string;
  name: string;
}

const RecentFileSchema = z.object({ version: z.literal(1), items: z.array(z.object({ path: z.string().min(1), name: z.string().min(1) })) });

/** `path` first, once, at most `max` entries. Pure, for the list and its tests. */
export function pushRecent(list: readonly RecentEntry[], path: string, max = 10): RecentEntry[] {
  const abs = resolve(path);
  return [{ path: abs, name: basename(abs) }, ...list.filter((e) => e.path !== abs)].slice(0, max);
}

export class RecentFiles {
  private items: RecentEntry[] | null = null;
  private saving: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly file: string,
    private readonly max = 10,
  ) {}

  async list(): Promise<RecentEntry[]> {
    if (this.items) return this.items;
    try {
      const parsed = RecentFileSchema.safeParse(JSON.parse(await readFile(this.file, 'utf8')));
      this.items = parsed.success ? parsed.data.items.slice(0, this.max) : [];
    } catch {
      this.items = []; // none yet, or unreadable: start over rather than fail the menu
    }
    return this.items;
  }

  async has(path: string): Promise<boolean> {
    const abs = resolve(path);
    return (await this.list()).some((e) => e.path === abs);
  }

  async add(path: string): Promise<RecentEntry[]> {
    this.items = pushRecent(await this.list(), path, this.max);
    return this.persist();
  }

  async remove(path: string): Promise<RecentEntry[]> {
    const abs = resolve(path);
    this.items = (await this.list()).filter((e) => e.path !== abs);
    return this.persist();
  }

  async clear(): Promise<RecentEntry[]> {
    this.items = [];
    return this.persist();
  }

  private async persist(): Promise<RecentEntry[]> {
    const items = this.items ?? [];
    const write = () => atomicWrite(this.file, JSON.stringify({ version: 1, items }, null, 2));
    this.saving = this.saving.then(write, write);
    // A recent list that cannot be written (read-only folder) is not worth failing an open for.
    await this.saving.catch(() => undefined);
    return items;
  }
}
