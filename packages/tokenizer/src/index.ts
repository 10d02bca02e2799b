export { TokenizerError, type TokenizerErrorCode } from './errors';
export { Encoding, type EncodingOptions, type EncodingWithOffsets } from './encoding';
export type { EncodingSpec } from './encodings/encoding-spec';
export { getEncoding, createEncoding, loadTiktoken, ENCODING_NAMES, type EncodingName, type LoadTiktokenOptions } from './get-encoding';
export type { EncodeOptions, SpecialTokenSet } from './special-tokens';
export { StreamingDecoder } from './streaming-decoder';
export { parseTiktokenRanks, serializeTiktokenRanks } from './tiktoken-file';
export { Vocabulary } from './vocabulary';
export { BUILT_IN_PATTERNS } from './pre-tokenizers/patterns';
