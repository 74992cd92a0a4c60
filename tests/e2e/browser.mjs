// Which Chromium the end-to-end tests drive: MW_CHROMIUM if set, else a system Chromium or
// Chrome where one is installed (Debian's /usr/bin/chromium here), else none (undefined):
// Playwright's own browser, which ensureBrowser.mjs fetches first where the network allows.
import { existsSync } from 'node:fs';
import { join } from 'node:path';

function candidates() {
  const env = process.env;
  if (process.platform === 'darwin')
    return ['/Applications/Google Chrome.app/Contents/MacOS/Google Chrome', '/Applications/Chromium.app/Contents/MacOS/Chromium'];
  if (process.platform === 'win32') {
    return [env.PROGRAMFILES, env['PROGRAMFILES(X86)'], env.LOCALAPPDATA]
      .filter(Boolean)
      .flatMap((dir) => [join(dir, 'Google', 'Chrome', 'Application', 'chrome.exe'), join(dir, 'Chromium', 'Application', 'chrome.exe')]);
  }
  return ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome', '/usr/bin/google-chrome-stable', '/snap/bin/chromium'];
}

/** The system browser to use, or undefined for Playwright's own. */
export function systemChromium() {
  return process.env.MW_CHROMIUM || candidates().find((path) => existsSync(path));
}
