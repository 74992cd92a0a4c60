/**
 * `node dist/web.cjs [--port N] [--token T] [--runs-dir DIR] [--data-dir DIR]`: the Modelwright UI in a
 * browser, on 127.0.0.1 only. Autosaves of unsaved documents go to `<data dir>/autosave` (default
 * the app's data folder, beside the default runs folder). Prints exactly one line to stdout when it listens:
 * `Modelwright web: http://127.0.0.1:<port>/?token=<token>`. Stops its runs on SIGINT/SIGTERM.
 */
import { parseArgs } from 'node:util';
import { createEngine } from './engine';
import { assetsDir } from './fsPorts';
import { join, resolve } from 'node:path';
import { AutosaveStore } from './autosave';
import { appDataDir, defaultRunsDir, prepareRunsDir } from './paths';
import { startWebServer } from './webServer';

async function main(): Promise<void> {
  const { values } = parseArgs({
    args: process.argv.slice(2),
    options: {
      port: { type: 'string' },
      token: { type: 'string' },
      'runs-dir': { type: 'string' },
      'data-dir': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    process.stdout.write('Usage: node dist/web.cjs [--port N] [--token T] [--runs-dir DIR] [--data-dir DIR]\n');
    return;
  }
  const port = values.port === undefined ? 0 : Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`--port wants a port number, not "${values.port}"`);
  if (values.token !== undefined && !/^[A-Za-z0-9_-]{16,256}$/.test(values.token)) {
    throw new Error('--token wants 16 to 256 letters, digits, "-" or "_"');
  }
  const dataDir = resolve(values['data-dir'] ?? appDataDir());
  const engine = createEngine({
    runsDir: prepareRunsDir(values['runs-dir'] ?? defaultRunsDir(), assetsDir()),
    autosave: new AutosaveStore({ dir: join(dataDir, 'autosave') }),
  });
  const server = await startWebServer({ engine, port, ...(values.token ? { token: values.token } : {}) });
  process.stdout.write(`Modelwright web: ${server.url}\n`);

  let closing = false;
  const shutdown = () => {
    if (closing) process.exit(130);
    closing = true;
    void Promise.race([engine.dispose(), new Promise((r) => setTimeout(r, 15_000))])
      .then(() => server.close())
      .finally(() => process.exit(0));
  };
  process.on('SIGINT', shutdown);
  process.on('SIGTERM', shutdown);
}

main().catch((err: unknown) => {
  process.stderr.write(`modelwright web: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
