/**
 * A run's folder on disk: run.json (document, backend, data summary, seed, outcome),
 * events.jsonl (one event a line, appended as they happen) and weights in the tfjs artifact
 * format (`<name>.json` + `<name>.weights.bin`), loadable with tf.loadLayersModel, and
 * preprocessing.json (classes, vocabulary, encoding) for prediction, and batches.jsonl (every
 * batch's loss, one epoch a line).
 */
import { appendFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { TrainEvent } from '../api';
import type { BatchLosses, RunInfo, RunStore, SavedWeights } from '../train/runStore';
import { atomicWrite } from './atomicWrite';

export class FsRunStore implements RunStore {
  readonly runDir: string;
  private readonly eventsFile: string;

  constructor(runDir: string) {
    this.runDir = runDir;
    mkdirSync(runDir, { recursive: true });
    this.eventsFile = join(runDir, 'events.jsonl');
  }

  async writeRunInfo(info: RunInfo): Promise<void> {
    await atomicWrite(join(this.runDir, 'run.json'), JSON.stringify(info, null, 2) + '\n');
  }

  async appendEvent(event: TrainEvent): Promise<void> {
    // Synchronous so lines stay in order and survive a crash right after; events are throttled.
    appendFileSync(this.eventsFile, JSON.stringify(event) + '\n');
  }

  async appendBatchLosses(record: BatchLosses): Promise<void> {
    appendFileSync(join(this.runDir, 'batches.jsonl'), JSON.stringify(record) + '\n');
  }

  async saveJson(name: string, value: unknown): Promise<void> {
    await atomicWrite(join(this.runDir, `${name}.json`), JSON.stringify(value) + '\n');
  }

  async saveWeights(name: string, weights: SavedWeights): Promise<void> {
    const binName = `${name}.weights.bin`;
    await atomicWrite(join(this.runDir, binName), new Uint8Array(weights.weightData));
    const modelJson = {
      format: 'layers-model',
      generatedBy: 'Modelwright',
      modelTopology: weights.modelTopology,
      weightsManifest: [{ paths: [binName], weights: weights.weightSpecs }],
    };
    await atomicWrite(join(this.runDir, `${name}.json`), JSON.stringify(modelJson) + '\n');
  }
}
