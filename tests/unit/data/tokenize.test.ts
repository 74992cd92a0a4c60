import { describe, expect, it } from 'vitest';
import { charTokens, tokenizerOf, wordTokens } from '../../../engine/data/tokenize';
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

  it('keeps punctuation and symbols as tokens, and numbers whole, with punctuation on', () => {
    expect(wordTokens("Don't stop: $1,000.50 now!!", true, true)).toEqual(["don't", 'stop', ':', '$', '1,000.50', 'now', '!', '!']);
    expect(wordTokens('U.S. 3.5km e-mail', true, true)).toEqual(['u', '.', 's', '.', '3.5', 'km', 'e', '-', 'mail']);
    expect(tokenizerOf({ tokenizer: 'word', lowercase: true, punctuation: true })('Hi, there.')).toEqual(['hi', ',', 'there', '.']);
    // Without it: the first rules, which runs saved before still encode with.
    expect(tokenizerOf({ tokenizer: 'word', lowercase: true })('Hi, there.')).toEqual(['hi', 'there']);
  });

  it('keeps text in any script: Hangul words, each Chinese character, kana runs', () => {
    expect(wordTokens('김민수는 학생입니다.', true, true)).toEqual(['김민수는', '학생입니다', '.']);
    expect(wordTokens('王伟说：你好。', true, true)).toEqual(['王', '伟', '说', '：', '你', '好', '。']);
    expect(wordTokens('東京タワー', true, true)).toEqual(['東', '京', 'タワー']);
    expect(wordTokens('Иванов и Петров', true, true)).toEqual(['иванов', 'и', 'петров']);
    // Hangul typed as jamo is one syllable once normalised.
    expect(charTokens('\u1100\u1161', true)).toEqual(['가']);
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

  it('puts the specials after <pad> and <unk>, always kept, and counts them in maxSize', () => {
    const v = buildVocabulary([['a', 'a', 'b', 'c']], { specials: ['<bos>', '<eos>'], maxSize: 5 });
    expect(v.tokens).toEqual(['<pad>', '<unk>', '<bos>', '<eos>', 'a']);
  });

  it('rebuilds from a saved token list and refuses a broken one', () => {
    const v = buildVocabulary([['x', 'y']]);
    expect(vocabularyFromTokens(v.tokens).ids).toEqual(v.ids);
    expect(() => vocabularyFromTokens(['x', '<unk>'])).toThrow(/starts with/);
  });
});
