/** engine/data's PreparedData seen as the training loop's TrainData. */
import { prepareData, type PreparedData, type PrepareOptions } from '../data/dataset';
import { fillBatch } from '../data/encode';
import { preprocessingOf } from '../data/preprocessing';
import { prepareImages } from '../data/imageDataset';
import { isImageData, type DataSpec } from '../graph/document';
import type { FilePort } from '../ports';
import { trainDataFromImages } from './imageData';
import type { TrainData } from './trainData';

export function trainDataFrom(prepared: PreparedData): TrainData {
  const { summary, encoding } = prepared;
  return {
    summary,
    inputShape: summary.inputShape,
    inputDtype: summary.inputDtype,
    numClasses: prepared.classes.length,
    size: (split) => prepared[split].n,
    preprocessing: preprocessingOf(prepared),
    vocabulary: prepared.vocab,
    fill(split, indices, out) {
      const idx = indices instanceof Int32Array ? indices : Int32Array.from(indices);
      const batch = fillBatch(prepared[split], idx, encoding, out ?? {});
      return { x: batch.x, y: batch.y };
    },
  };
}

/** Loads the data a document binds to (texts or pictures), ready for the loop. Throws DataError on bad input or no data. */
export async function prepareTrainData(spec: DataSpec | undefined, files: FilePort, opts: PrepareOptions = {}): Promise<TrainData> {
  if (spec && isImageData(spec)) return trainDataFromImages(await prepareImages(spec, files, opts), spec.split.seed);
  return trainDataFrom(await prepareData(spec, files, opts));
}
