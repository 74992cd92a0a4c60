/**
 * Starts training workers as Electron utility processes (a Node child of the main process with
 * no window access), so a crash or an out-of-memory in a run ends that run, not the app.
 */
import type { UtilityProcess, utilityProcess as UtilityProcessModule } from 'electron';
import type { Spawner, WorkerHandle } from '../engine/host/runManager';
import type { FromWorker } from '../engine/host/workerProtocol';

const TAIL_CHARS = 4000;

export function electronSpawner(utilityProcess: typeof UtilityProcessModule, workerPath: string): Spawner {
  return (): WorkerHandle => {
    const child: UtilityProcess = utilityProcess.fork(workerPath, [], { stdio: 'pipe', serviceName: 'Modelwright training' });
    let tail = '';
    const keep = (chunk: Buffer): void => {
      tail = (tail + chunk.toString('utf8')).slice(-TAIL_CHARS);
    };
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
    return {
      send: (message) => child.postMessage(message),
      onMessage: (listener) => child.on('message', (m: unknown) => listener(m as FromWorker)),
      onExit: (listener) => child.once('exit', (code: number) => listener(code, null)),
      kill: () => void child.kill(),
      output: () => tail,
    };
  };
}
