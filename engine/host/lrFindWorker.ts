/**
 * The learning-rate finder's side of the worker process: the document's data read through the
 * granted files only, the finder run on the worker's backend, its points posted a few times a
 * second and its result at the end. Nothing is written to disk.
 */
import { initBackend } from '../backend';
import { prepareTrainData } from '../train/data';
import { findLearningRateForDocument, type LrPoint } from '../train/lrFinder';
import { grantedFilePort } from './consent';
import { createFilePort } from './fsPorts';
import type { FromWorker, ToWorker } from './workerProtocol';
import { saidAs, type Words } from '../words';

/** Least ms between two progress messages. */
const PROGRESS_MS = 200;

export async function lrFindInWorker(msg: Extract<ToWorker, { kind: 'lr-find' }>, post: (m: FromWorker) => void, signal: AbortSignal): Promise<void> {
  let points: Omit<LrPoint, 'smoothed'>[] = [];
  let last = 0;
  const flush = (words?: Words) => {
    if (points.length > 0 || words) post({ kind: 'lr-progress', points, ...(words ? saidAs(words) : {}) });
    points = [];
    last = performance.now();
  };
  const backend = await initBackend();
  flush({ key: 'progress.backend', params: { name: backend.name, package: backend.package } });
  const outcome = await findLearningRateForDocument({
    doc: msg.document,
    files: grantedFilePort(createFilePort({ baseDir: msg.baseDir }), msg.baseDir, msg.grantedFiles),
    prepare: prepareTrainData,
    signal,
    ...(msg.minLr !== undefined ? { minLr: msg.minLr } : {}),
    ...(msg.maxLr !== undefined ? { maxLr: msg.maxLr } : {}),
    ...(msg.steps !== undefined ? { steps: msg.steps } : {}),
    status: (words) => flush(words),
    onPoint: (p) => {
      points.push(p);
      if (performance.now() - last >= PROGRESS_MS) flush();
    },
  });
  flush();
  post({ kind: 'lr-found', outcome });
}
