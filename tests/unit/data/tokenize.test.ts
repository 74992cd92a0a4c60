import { describe, expect, it } from 'vitest';
import { charTokens, wordTokens } from '../../../engine/data/tokenize';
import { buildVocabulary, vocabularyFromTokens } from '../../../engine/data/vocabulary';

describe('tokenizers', () => {
  it('splits characters by code point, NFC-normalised, lowercased on request', () => {
    expect(charTokens('Mu\u0308ller', true)).toEqual(['m', 'ü', 'l', 'l', 'e', 'r']);
    expect(charTokens('Ab𝔸', false)).toEqual(['A', 'b', '𝔸']);
  });

  it('splits words on non-letters, keeping apostrophes inside words', () => {
    expect(wordTokens("Don't stop: O'Neill's 3rd-quarter 'lead' — 42%!", true)).toEqual(["don't", 'stop', "o'neill's", '3rd', 'quarter', 'lead', '42']);
    expect(wordTokens('Zürich CAFÉ', false)).toEqual(['Zürich', 'CAFÉ']);
    expect(wordTokens('  ', true)).toEqual([]);
  });
});

describe('vocabulary', () => {
  it('orders by count, then code unit, after <pad> and <unk>', () => {
    const v = buildVocabulary([['b', 'a', 'c'], ['a', 'c'], ['d']]);
    expect(v.tokens).toEqual(['<pad>', '<unk>', 'a', 'c', 'b', 'd']);
    expect(v.ids.get('c')).toBe(3);
  });

  it('applies minCount and maxSize', () => {
    expect(buildVocabulary([['a', 'a', 'b', 'c', 'c', 'c']], { minCount: 2 }).tokens).toEqual(['<pad>', '<unk>', 'c', 'a']);
    expect(buildVocabulary([['a', 'a', 'b', 'c', 'c', 'c']], { maxSize: 3 }).tokens).toEqual(['<pad>', '<unk>', 'c']);
  });

  it('rebuilds from a saved token list and refuses a broken one', () => {
    const v = buildVocabulary([['x', 'y']]);
    expect(vocabularyFromTokens(v.tokens).ids).toEqual(v.ids);
    expect(() => vocabularyFromTokens(['x', '<unk>'])).toThrow(/starts with/);
  });
});
