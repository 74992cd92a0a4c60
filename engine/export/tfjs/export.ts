/**
 * The tfjs export: the run's own model as tfjs saved it (the Keras-style topology and the
 * trained weights), laid out as tensorflowjs_converter lays out a layers model: model.json with
 * the weights manifest, and the weights in shards of at most 4 MB. tf.loadLayersModel reads it
 * in a browser or in Node; beside it the preprocessing (vocabulary, tokenizer, classes) and a
 * README on loading and on converting to Keras.
 */
import type { ExportResult } from '../files';
import { isImagePreprocessing } from '../../data/preprocessing';
import { describeInput, preprocessingFile } from '../files';
import type { ExportSource } from '../source';

/** tensorflowjs_converter's default shard size. */
export const SHARD_BYTES = 4 * 1024 * 1024;

export function exportTfjs(source: ExportSource, opts: { version: string }): ExportResult {
  const { artifacts } = source;
  if (!artifacts.modelTopology) {
    return { ok: false, message: 'the run saved no model topology (one of its layers could not be serialised), so there is no model.json to write.' };
  }
  const data = new Uint8Array(artifacts.weightData);
  const count = Math.max(1, Math.ceil(data.byteLength / SHARD_BYTES));
  const shards = Array.from({ length: count }, (_, i) => ({
    path: `group1-shard${i + 1}of${count}.bin`,
    data: data.slice(i * SHARD_BYTES, (i + 1) * SHARD_BYTES),
  }));
  const modelJson = {
    format: 'layers-model',
    generatedBy: `Modelwright ${opts.version}`,
    convertedBy: null,
    modelTopology: artifacts.modelTopology,
    weightsManifest: [{ paths: shards.map((s) => s.path), weights: artifacts.weightSpecs }],
  };
  const p = source.preprocessing;
  const readme = `# ${source.doc.name.replace(/[\r\n]/g, ' ')} — tfjs model

The model as the app trained it, in TensorFlow.js's layers format: \`model.json\` (topology and
weights manifest) and ${count === 1 ? 'one weights file' : `${count} weight shards`}. The input is
${describeInput(source)};
the output the probability of each class, in the order of \`preprocessing.json\`'s \`classes\`.
${
  isImagePreprocessing(p)
    ? `\`preprocessing.json\` also says how a picture becomes the input (\`image\`: size, channels, fit, resampling, scaling, mean and std, with \`formula\`).`
    : `\`preprocessing.json\` also holds the vocabulary (the token of each id: 0 is padding, 1 a token
training never saw) and how texts were tokenized (${p.encodeSpec.tokenizer}, ${p.encodeSpec.lowercase ? 'lowercased' : 'as written'}, Unicode NFC, cut or padded to ${p.encodeSpec.maxLength}).`
}

\`\`\`js
import * as tf from '@tensorflow/tfjs';
const model = await tf.loadLayersModel('https://example.org/model/model.json'); // or 'file://…/model.json' with tfjs-node
const probabilities = model.predict(inputs);
\`\`\`

To Keras (Python, \`pip install tensorflowjs\`):

\`\`\`sh
tensorflowjs_converter --input_format=tfjs_layers_model --output_format=keras model.json model.h5
\`\`\`
`;
  return {
    ok: true,
    files: [
      { path: 'model.json', data: JSON.stringify(modelJson) + '\n' },
      ...shards,
      preprocessingFile('preprocessing.json', source),
      { path: 'README.md', data: readme },
    ],
  };
}
