/** The summary of whatever a data section binds, texts or pictures: what the Data tab and `validate` need. */
import { isImageData, type DataSpec } from '../graph/document';
import type { DataFacts } from '../graph/types';
import type { FilePort } from '../ports';
import { prepareData, type PrepareOptions } from './dataset';
import { prepareImages } from './imageDataset';
import type { DataSummary } from './summary';

/** Reads and summarises `spec`'s data (texts through prepareData, pictures through prepareImages). Throws DataError on bad input. */
export async function summarizeData(
  spec: DataSpec | undefined,
  files: FilePort,
  opts: PrepareOptions = {},
): Promise<{ summary: DataSummary; facts: DataFacts }> {
  const prepared = spec && isImageData(spec) ? await prepareImages(spec, files, opts) : await prepareData(spec, files, opts);
  return { summary: prepared.summary, facts: prepared.facts };
}
