/** The data layer's public surface: what train/, host/ and the CLI call. */
export { prepareData, prepareFromBytes, prepareFromText, SURNAMES_ASSET, type DataProgress, type PreparedData, type PrepareOptions } from './dataset';
export {
  encodeTexts,
  fillBatch,
  fillInputs,
  type Batch,
  type BatchBuffers,
  type EncodeSpec,
  type EncodedSplit,
  type EncodedTexts,
  type Encoding,
} from './encode';
export { buildVocabulary, vocabularyFromTokens, PAD_ID, UNK_ID, type Vocabulary } from './vocabulary';
export { DataError } from './dataError';
export { mulberry32 } from './prng';
export { gloveCoverage, loadGlove, type GloveCoverage, type GloveOptions, type GloveWeights } from './glove';
export { decodeText } from './decode';
export { CHARSETS, CHARSET_LABELS, charsetNamed, fileEncodingNamed, type Charset } from './charsets';
export { previewFile, type FilePreview, type PreviewOptions } from './preview';
export { wordTokens, charTokens, type TokenizerKind } from './tokenize';
export { BUILTIN_FILES } from './builtins';
