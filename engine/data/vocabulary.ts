/**
 * A token vocabulary built on the train split only: id 0 is padding, id 1 is `<unk>` (a token
 * unseen in train, or seen fewer than `minCount` times), then the special tokens the encoding
 * uses (`<bos>`, `<eos>`, `<sep>`), then tokens by falling count (ties in code-unit order, so the
 * same data always gives the same ids).
 */

/** Padding id: the rows of a batch shorter than maxLength are filled with it. */
export const PAD_ID = 0;
/** Unknown-token id. */
export const UNK_ID = 1;
export const PAD_TOKEN = '<pad>';
export const UNK_TOKEN = '<unk>';
/** Starts a text, when the data spec asks for it (`bos`). */
export const BOS_TOKEN = '<bos>';
/** Ends a text, when the data spec asks for it (`eos`). */
export const EOS_TOKEN = '<eos>';
/** Between the texts of two columns, when a data spec names several. */
export const SEP_TOKEN = '<sep>';

export interface Vocabulary {
  /** Token of each id; `tokens[0]` is `<pad>`, `tokens[1]` is `<unk>`. Saved with a model. */
  readonly tokens: readonly string[];
  /** id of each token. */
  readonly ids: ReadonlyMap<string, number>;
  /** `tokens.length`: the one-hot width and an Embedding's `inputDim`. */
  readonly size: number;
}

export interface VocabularyOptions {
  /** Tokens seen fewer times than this map to `<unk>` (default 1). */
  minCount?: number;
  /** Most ids in all, `<pad>`, `<unk>` and the specials included; the rarest tokens go first. */
  maxSize?: number;
  /** Special tokens after `<unk>` (`<bos>`, `<eos>`, `<sep>`), always kept. */
  specials?: readonly string[];
}

/** Counts tokens over the train split's token lists and builds the vocabulary. */
export function buildVocabulary(tokenLists: Iterable<readonly string[]>, options: VocabularyOptions = {}): Vocabulary {
  const counts = new Map<string, number>();
  for (const list of tokenLists) for (const token of list) counts.set(token, (counts.get(token) ?? 0) + 1);
  return vocabularyFromCounts(counts, options);
}

/** Builds the vocabulary from each token's train count. */
export function vocabularyFromCounts(counts: Iterable<readonly [string, number]>, options: VocabularyOptions = {}): Vocabulary {
  const minCount = options.minCount ?? 1;
  const specials = options.specials ?? [];
  const reserved = new Set([PAD_TOKEN, UNK_TOKEN, ...specials]);
  const kept: [string, number][] = [];
  for (const [token, n] of counts) if (n >= minCount && !reserved.has(token)) kept.push([token, n]);
  kept.sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  const head = [PAD_TOKEN, UNK_TOKEN, ...specials];
  const room = options.maxSize === undefined ? kept.length : Math.max(0, options.maxSize - head.length);
  return vocabularyFromTokens([...head, ...kept.slice(0, room).map(([token]) => token)]);
}

/** Rebuilds a vocabulary from its saved token list (`tokens[0]` `<pad>`, `tokens[1]` `<unk>`). */
export function vocabularyFromTokens(tokens: readonly string[]): Vocabulary {
  if (tokens[PAD_ID] !== PAD_TOKEN || tokens[UNK_ID] !== UNK_TOKEN) {
    throw new Error(`a vocabulary starts with "${PAD_TOKEN}", "${UNK_TOKEN}"; this one starts with ${JSON.stringify(tokens.slice(0, 2))}`);
  }
  const ids = new Map<string, number>();
  tokens.forEach((token, id) => ids.set(token, id));
  if (ids.size !== tokens.length) throw new Error('a vocabulary lists a token twice');
  return { tokens: [...tokens], ids, size: tokens.length };
}
