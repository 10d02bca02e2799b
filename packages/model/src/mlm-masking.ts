/**
 * BERT's masked-LM corruption (Devlin et al. 2018, §3.1; HF DataCollatorForLanguageModeling):
 * each maskable token is chosen with probability `probability` (0.15); of those, 80% become the
 * [MASK] id, 10% a random token, 10% stay. Labels hold the original id at chosen positions and
 * −100 elsewhere. Draws come from core's counter-based RNG, so a seed gives the same masking
 * everywhere.
 */
import { uniformAt } from '@wattformer/core/internal';
import { modelError } from './errors';
import { IGNORE_INDEX } from './loss';

/**
 * Options of BERT-style masked-language-model masking (`maskTokensForMlm`): vocabulary, [MASK] id, special ids and the 15% / 80-10-10 rates.
 */
export interface MlmMaskingOptions {
  readonly vocabSize: number;
  readonly maskTokenId: number;
  /** Ids never chosen ([CLS], [SEP], [PAD], …). */
  readonly specialTokenIds?: readonly number[];
  /** Chance a token is chosen; default 0.15. */
  readonly probability?: number;
  readonly seed: number;
}

/**
 * What `maskTokensForMlm` returns: the corrupted input ids and the labels (the original id where masked, -100 elsewhere).
 */
export interface MaskedTokens {
  /** The corrupted ids, same layout as the input. */
  readonly inputIds: Int32Array;
  /** The original id where chosen, −100 elsewhere. */
  readonly labels: Int32Array;
}

/** Masks a flat batch of token ids (any layout: one entry per token). */
export function maskTokensForMlm(tokens: ArrayLike<number>, options: MlmMaskingOptions): MaskedTokens {
  const { vocabSize, maskTokenId, seed } = options;
  const probability = options.probability ?? 0.15;
  if (!(probability >= 0 && probability <= 1)) throw modelError('maskTokensForMlm', 'probability in [0, 1]', String(probability));
  if (!Number.isInteger(maskTokenId) || maskTokenId < 0 || maskTokenId >= vocabSize) {
    throw modelError('maskTokensForMlm', `maskTokenId in [0, ${vocabSize})`, String(maskTokenId));
  }
  const special = new Set(options.specialTokenIds ?? []);
  const inputIds = Int32Array.from(tokens);
  const labels = new Int32Array(inputIds.length).fill(IGNORE_INDEX);
  for (let i = 0; i < inputIds.length; i++) {
    const id = inputIds[i]!;
    if (!Number.isInteger(id) || id < 0 || id >= vocabSize) throw modelError('maskTokensForMlm', `token ids in [0, ${vocabSize})`, `${id} at ${i}`);
    // Three independent draws per position: chosen?, which replacement?, which random token?
    if (special.has(id) || uniformAt(seed, 3 * i) >= probability) continue;
    labels[i] = id;
    const replacement = uniformAt(seed, 3 * i + 1);
    if (replacement < 0.8) inputIds[i] = maskTokenId;
    else if (replacement < 0.9) inputIds[i] = Math.floor(uniformAt(seed, 3 * i + 2) * vocabSize);
  }
  return { inputIds, labels };
}
