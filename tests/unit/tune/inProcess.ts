/** A TrialLauncher that trains each trial in this process (runDocument on the cpu backend, in memory). */
import type { BackendInfo, TrainEvent } from '../../../engine/api';
import type { FilePort } from '../../../engine/ports';
import { prepareTrainData } from '../../../engine/train/data';
import { runDocument } from '../../../engine/train/run';
import type { RunInfo, RunStore, SavedWeights } from '../../../engine/train/runStore';
import type { TrialEnd, TrialLauncher } from '../../../engine/tune/runSweep';

const backend: BackendInfo = { name: 'cpu', package: '@tensorflow/tfjs-backend-cpu', reason: 'test', customKernels: [] };

class MemoryStore implements RunStore {
  constructor(readonly runDir: string) {}
  async writeRunInfo(_info: RunInfo) {}
  async appendEvent(_event: TrainEvent) {}
  async saveJson(_name: string, _value: unknown) {}
  async saveWeights(_name: string, _w: SavedWeights) {}
}

/** Trials as in-memory runs reading `files`; `started` lists each trial's Document as it started. */
export function inProcessLauncher(files: FilePort): TrialLauncher & { started: { trial: number; name: string; epochs: number }[] } {
  const started: { trial: number; name: string; epochs: number }[] = [];
  return {
    started,
    async start(req, onEpoch) {
      started.push({ trial: req.trial, name: req.doc.name, epochs: req.doc.training.epochs });
      const runId = `trial-${req.trial}`;
      const controller = new AbortController();
      const ended: Promise<TrialEnd> = runDocument({
        runId,
        doc: req.doc,
        epochs: req.epochs,
        backend,
        files,
        store: new MemoryStore(`/memory/${runId}`),
        prepare: prepareTrainData,
        emit: (e) => {
          if (e.type === 'epoch') onEpoch({ epoch: e.epoch, trainLoss: e.trainLoss, devLoss: e.devLoss, devAcc: e.devAcc });
        },
        signal: controller.signal,
      }).then((last): TrialEnd => (last.type === 'done' ? { ok: true, reason: last.reason, epochs: last.epochs } : { ok: false, message: last.message }));
      return { ok: true, run: { runId, stop: () => controller.abort(), ended } };
    },
  };
}
