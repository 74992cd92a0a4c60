/**
 * One example as the model gets it, for the Data tab's token preview: its text, its tokens and
 * their ids (unknown ones are id 1), and the encoded tensor: its shape and its non-zero cells.
 * Built with the very functions training encodes with, so what it shows is what the model sees.
 */
import { frameInto, fillInputs, rowTokens, type EncodeSpec, type Encoding } from './encode';
import type { TokenPreviewRow } from './summary';
import { tokenizerOf } from './tokenize';
import { BOS_TOKEN, EOS_TOKEN, UNK_ID, type Vocabulary } from './vocabulary';
import { framingOf } from './encode';

/** The most non-zero cells a preview row lists. */
export const PREVIEW_CELLS = 48;

export function previewRow(
  texts: readonly string[],
  label: string,
  split: TokenPreviewRow['split'],
  vocab: Vocabulary,
  spec: EncodeSpec,
  encoding: Encoding,
): TokenPreviewRow {
  const content = rowTokens(texts, tokenizerOf(spec));
  const tokens = [...(spec.bos ? [BOS_TOKEN] : []), ...content, ...(spec.eos ? [EOS_TOKEN] : [])];
  const ids = tokens.map((t) => vocab.ids.get(t) ?? UNK_ID);
  const f = framingOf(spec, vocab);
  const contentIds = ids.slice(spec.bos ? 1 : 0, spec.eos ? ids.length - 1 : ids.length);
  const encoded = new Int32Array(f.maxLength);
  const cut = frameInto(encoded, 0, contentIds, 0, contentIds.length, f);
  const data = { n: 1, maxLength: f.maxLength, vocabSize: vocab.size, ids: encoded, bagValue: spec.bagValue };
  const x = fillInputs(data, [0], encoding);
  const L = f.maxLength;
  const V = vocab.size;
  const shape = encoding === 'onehot' ? [L, V] : encoding === 'bag' ? [V] : [L];
  const cells: TokenPreviewRow['cells'] = [];
  let nonZero = 0;
  for (let i = 0; i < x.length; i++) {
    const v = x[i]!;
    if (v === 0) continue;
    nonZero++;
    if (cells.length < PREVIEW_CELLS) cells.push({ at: encoding === 'onehot' ? [Math.floor(i / V), i % V] : [i], value: v });
  }
  return { texts: [...texts], label, split, tokens, ids, cut, shape, cells, nonZero };
}
