/**
 * Building blocks shared by the encoder and the encoder-decoder: parameter lookup with a clear
 * error, torch's nn.Linear (weight [out, in]), input checks, and seeded dropout sites. GPT keeps
 * its own Conv1D helpers in gpt.ts so that file still reads top to bottom.
 */
import { add, formatShape, getBackend, keep, layerNorm, matmul, randn, type Tensor } from '@wattformer/core';
import { modelError } from './errors';

export type NamedParameters = ReadonlyMap<string, Tensor>;

/** The tensor called `name`, or `model: <op>: expected parameter '<name>', got none`. */
export function parameter(p: NamedParameters, name: string, op: string): Tensor {
  const tensor = p.get(name);
  if (tensor === undefined)
    throw modelError(op, `parameter '${name}'`, 'none', "make parameters with this model family's init function or load a matching checkpoint");
  return tensor;
}

/** torch nn.Linear: x [N, in] · Wᵀ + b, W [out, in]; `bias: false` for a bias-free layer. */
export function linear(x: Tensor, p: NamedParameters, name: string, op: string, bias = true): Tensor {
  const y = matmul(x, parameter(p, `${name}.weight`, op), { transposeB: true });
  return bias ? add(y, parameter(p, `${name}.bias`, op)) : y;
}

/** LayerNorm with `<name>.weight` and `<name>.bias`. */
export function namedLayerNorm(x: Tensor, p: NamedParameters, name: string, op: string, epsilon: number): Tensor {
  return layerNorm(x, parameter(p, `${name}.weight`, op), parameter(p, `${name}.bias`, op), epsilon);
}

/** A kept N(0, std) tensor from an explicit seed (parameter initialisation). */
export function normalParameter(shape: number[], std: number, seed: number): Tensor {
  return keep(randn(shape, { std, seed }));
}

/**
 * Token ids i32 [B, T] in [0, vocabSize). Checked on the host where the backend reads
 * synchronously (cpu, wasm), since an out-of-range id would otherwise read another row.
 */
export function checkTokenIds(op: string, name: string, ids: Tensor, vocabSize: number, maxLength?: number): void {
  if (ids.rank !== 2 || ids.dtype !== 'i32') throw modelError(op, `${name} i32 [batch, time]`, `${ids.dtype} ${formatShape(ids.shape)}`);
  const T = ids.shape[1]!;
  if (maxLength !== undefined && T > maxLength) {
    throw modelError(
      op,
      `${name} of at most ${maxLength} positions (the config's maximum)`,
      `${T}`,
      'truncate the sequence or use a config with more positions',
    );
  }
  if (getBackend().readSync === undefined) return;
  const values = ids.dataSync();
  for (let i = 0; i < values.length; i++) {
    const id = values[i]!;
    if (id < 0 || id >= vocabSize) {
      throw modelError(
        op,
        `${name} in [0, ${vocabSize})`,
        `${id} at [${Math.floor(i / T)}, ${i % T}]`,
        "check the tokenizer matches the model's vocabulary size",
      );
    }
  }
}

/** A padding mask f32 [B, T] (1 = real token, 0 = padding) for tokens [B, T]. */
export function checkKeyMask(op: string, name: string, mask: Tensor | undefined, B: number, T: number): void {
  if (mask === undefined) return;
  if (mask.dtype !== 'f32' || mask.rank !== 2 || mask.shape[0] !== B || mask.shape[1] !== T) {
    throw modelError(
      op,
      `${name} f32 [${B}, ${T}] (1 = token, 0 = padding)`,
      `${mask.dtype} ${formatShape(mask.shape)}`,
      'the mask must have one entry per token of the sequence it masks',
    );
  }
}

/** A dropout rate in [0, 1). */
export function checkRate(op: string, name: string, rate: number): void {
  if (!(rate >= 0 && rate < 1)) throw modelError(op, `${name} in [0, 1)`, String(rate));
}
