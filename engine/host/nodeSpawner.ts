/** Starts training workers with child_process.fork (the CLI and the web host). */
import { fork } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { appRoot } from './fsPorts';
import type { Spawner, WorkerHandle } from './runManager';
import type { FromWorker } from './workerProtocol';

/** dist/worker.cjs next to the running bundle, else the app's dist/ (when run from sources). */
export function defaultWorkerPath(): string {
  const beside = join(__dirname, 'worker.cjs');
  if (existsSync(beside)) return beside;
  const built = join(appRoot(), 'dist', 'worker.cjs');
  if (existsSync(built)) return built;
  throw new Error(`The training worker was not found (${beside}); build it with \`npm run build:node\`.`);
}

export interface NodeSpawnerOptions {
  /** Extra Node flags for the worker, e.g. ['--max-old-space-size=4096']. */
  execArgv?: string[];
  /** Copy the worker's stdout/stderr to this process's stderr (default: keep only the tail). */
  forwardOutput?: boolean;
}

const TAIL_CHARS = 4000;

export function nodeSpawner(workerPath: string = defaultWorkerPath(), opts: NodeSpawnerOptions = {}): Spawner {
  return (): WorkerHandle => {
    const child = fork(workerPath, [], {
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
      execArgv: opts.execArgv ?? [],
      serialization: 'json',
    });
    let tail = '';
    const keep = (chunk: Buffer) => {
      if (opts.forwardOutput) process.stderr.write(chunk);
      tail = (tail + chunk.toString('utf8')).slice(-TAIL_CHARS);
    };
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
    // A send to a child that just died fails asynchronously; the exit handler reports it.
    child.on('error', () => undefined);
    return {
      send(message) {
        if (child.connected) child.send(message, (err) => void err);
      },
      onMessage(listener) {
        child.on('message', (m) => listener(m as FromWorker));
      },
      onExit(listener) {
        // 'close', not 'exit': by then the output tail is complete.
        child.once('close', (code, signal) => listener(code, signal));
      },
      kill() {
        child.kill('SIGKILL');
      },
      output: () => tail,
    };
  };
}
