import { beforeEach, describe, expect, it } from 'vitest';
import type { DocumentFile } from '../../../../engine/api';
import { nodeId } from '../../../../engine/graph/document';
import { dataAllowed, fileAccess, refusedFiles, useConsentStore } from '../../../../renderer/state/consentStore';

const data: DocumentFile = { path: 'news.csv', resolvedPath: '/home/u/news.csv', role: 'data', allowed: false };
const glove: DocumentFile = { path: 'glove.txt', resolvedPath: '/home/u/glove.txt', role: 'pretrained', nodeId: nodeId('embed'), allowed: false };
const store = useConsentStore.getState;

describe('consentStore', () => {
  beforeEach(() => store().reset(store().loadCount + 1));

  it('opens the dialog when the host lists files not allowed, and closes it once all are accepted', () => {
    store().described([data, glove]);
    expect(store().open).toBe(true);
    store().accept([data.resolvedPath]);
    expect(store().open).toBe(true);
    expect(refusedFiles(store().files)).toEqual([glove]);
    store().accept([glove.resolvedPath]);
    expect(store().open).toBe(false);
    expect(store().allowed).toEqual([data.resolvedPath, glove.resolvedPath]);
  });

  it('"Not now" stays closed for the same files, but a new file brings the dialog back', () => {
    store().described([data]);
    store().dismiss();
    store().described([data]);
    expect(store().open).toBe(false);
    store().described([data, glove]);
    expect(store().open).toBe(true);
  });

  it('reopen shows the dialog only while something is still refused', () => {
    store().described([{ ...data, allowed: true }]);
    store().reopen();
    expect(store().open).toBe(false);
    store().described([data]);
    store().dismiss();
    store().reopen();
    expect(store().open).toBe(true);
  });

  it('keeps only the latest typed path per field, so the prefixes of a path being typed are not allowed', () => {
    for (const prefix of ['/', '/h', '/home/u/g', '/home/u/glove.txt']) store().typedPath('pretrained:embed', prefix);
    store().typedPath('data', 'news.csv');
    expect(store().allowed).toEqual(['/home/u/glove.txt', 'news.csv']);
    // The data summary depends on the data path only: typing vectors does not re-read the data.
    expect(dataAllowed(store())).toEqual(['news.csv']);
  });

  it('a typed path counts as accepted at once for the file the host listed under it', () => {
    store().described([data]);
    store().typedPath('data', 'news.csv');
    expect(store().open).toBe(false);
    expect(refusedFiles(store().files)).toEqual([]);
  });

  it('forgets everything when another document is loaded', () => {
    store().accept(['/a.csv']);
    store().typedPath('data', 'b.csv');
    store().described([data]);
    store().reset(store().loadCount + 1);
    expect(store().allowed).toEqual([]);
    expect(store().files).toEqual([]);
    expect(store().open).toBe(false);
  });

  it('never hands the host more than the 64 paths FileAccessSchema takes', () => {
    store().accept(Array.from({ length: 70 }, (_, i) => `/f${i}.csv`));
    expect(store().allowed).toHaveLength(64);
    expect(store().allowed.at(-1)).toBe('/f69.csv');
  });
});

describe('fileAccess', () => {
  it('passes the document path only on the desktop (a browser handle key is not a path)', () => {
    expect(fileAccess({ kind: 'desktop' }, { name: 'a.modelwright', path: '/m/a.modelwright' })).toEqual({ documentPath: '/m/a.modelwright' });
    expect(fileAccess({ kind: 'web' }, { name: 'a.modelwright', path: 'handle-1' })).toEqual({});
  });
});
