/** The summary of whatever a data section binds, texts or pictures: what the Data tab and `validate` need. */
import { isImageData, type DataSpec } from '../graph/document';
import type { DataFacts } from '../graph/types';
import type { FilePort } from '../ports';
import { prepareData, type PreparedData, type PrepareOptions } from './dataset';
import { prepareImages } from './imageDataset';
import type { DataSummary } from './summary';

/** Reads and summarises `spec`'s data (texts through prepareData, pictures through prepareImages). Throws DataError on bad input. */
export async function summarizeData(
  spec: DataSpec | undefined,
  files: FilePort,
  opts: PrepareOptions = {},
): Promise<{ summary: DataSummary; facts: DataFacts; vocabulary?: Pick<PreparedData, 'vocab' | 'vocabCounts'> }> {
  if (spec && isImageData(spec)) {
    const prepared = await prepareImages(spec, files, opts);
    return { summary: prepared.summary, facts: prepared.facts };
  }
  // Texts also hand back their vocabulary and its counts (the coverage of pretrained vectors needs them).
  const prepared = await prepareData(spec, files, opts);
  return { summary: prepared.summary, facts: prepared.facts, vocabulary: { vocab: prepared.vocab, vocabCounts: prepared.vocabCounts } };
}
