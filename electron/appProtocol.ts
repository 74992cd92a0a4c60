/**
 * The app is served from its own scheme, `app://modelwright/…`, not from `file://` (Electron's
 * security checklist: a file:// page can read any file:// URL it names; a custom protocol
 * serves only the built renderer). Pure mapping here; main registers it with `protocol.handle`.
 */
import { rendererFile } from '../engine/host/rendererFiles';

export { mimeOf } from '../engine/host/rendererFiles';

export const APP_SCHEME = 'app';
export const APP_HOST = 'modelwright';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
export const APP_INDEX_URL = `${APP_ORIGIN}/index.html`;

/**
 * The file under `rendererDir` an app:// URL names, or null: another host, a path that climbs
 * out of the folder (`..`, encoded or not), a query for a folder.
 */
export function rendererFileFor(url: string, rendererDir: string): string | null {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return null;
  }
  if (parsed.protocol !== `${APP_SCHEME}:` || parsed.host !== APP_HOST) return null;
  let rel: string;
  try {
    rel = decodeURIComponent(parsed.pathname);
  } catch {
    return null;
  }
  return rendererFile(rendererDir, rel);
}
