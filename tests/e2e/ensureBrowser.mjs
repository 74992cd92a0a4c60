// Before the end-to-end tests: a system Chromium or Chrome where there is one; otherwise
// Playwright's own Chromium, fetched here where the network allows; otherwise one line that
// says what to do.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { chromium } from '@playwright/test';
import { systemChromium } from './browser.mjs';

if (systemChromium() || existsSync(chromium.executablePath())) process.exit(0);
console.error("e2e: no system Chromium or Chrome found; fetching Playwright's Chromium …");
const fetched = spawnSync(process.execPath, [join('node_modules', '@playwright', 'test', 'cli.js'), 'install', 'chromium'], { stdio: 'inherit' });
if (fetched.status === 0 && existsSync(chromium.executablePath())) process.exit(0);
console.error('e2e: no Chromium to test in: install Chromium or Google Chrome (Debian: apt-get install -y chromium), or set MW_CHROMIUM to one.');
process.exit(1);
