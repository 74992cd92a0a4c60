/**
 * The only addresses the app opens in the user's browser (`shell.openExternal`): our own
 * documentation and project pages, over https. Anything else a page asks for is refused.
 */
const ALLOWED_ORIGINS = new Set(['https://modelwright.app', 'https://github.com']);
const ALLOWED_GITHUB_PREFIX = '/modelwright/';

export function isAllowedExternal(url: string): boolean {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  if (parsed.protocol !== 'https:' || parsed.username || parsed.password || parsed.port) return false;
  if (!ALLOWED_ORIGINS.has(parsed.origin)) return false;
  return parsed.origin !== 'https://github.com' || parsed.pathname.startsWith(ALLOWED_GITHUB_PREFIX);
}
