/**
 * The tiny GPT of the core issue's benchmark written for TF.js (tfjs-core ops + variableGrads):
 * GPT-2 architecture — learned positions, pre-LayerNorm, tanh-GELU, tied LM head, causal
 * attention — so wattformer's training step can be timed against it on the same shapes.
 * TF.js has no AdamW; the bench uses tf.train.adam with the same betas (no weight decay).
 * tfjs-backend-wasm has no UnsortedSegmentSum kernel, which tf.gather's gradient needs, so the
 * token embedding is a one-hot matmul (the usual TF.js workaround; +2·B·T·V·C FLOPs).
 */
import * as tf from '@tensorflow/tfjs';

export interface TinyGptShape {
  vocabSize: number;
  contextLength: number;
  modelDim: number;
  layers: number;
  heads: number;
  mlpDim: number;
}

type Block = Record<'ln1g' | 'ln1b' | 'attnW' | 'attnB' | 'projW' | 'projB' | 'ln2g' | 'ln2b' | 'fcW' | 'fcB' | 'fc2W' | 'fc2B', tf.Variable>;

export interface TfjsGpt {
  variables: tf.Variable[];
  loss(tokens: tf.Tensor2D, targets: tf.Tensor2D): tf.Scalar;
}

export function createTfjsGpt(shape: TinyGptShape, seed = 1): TfjsGpt {
  const { vocabSize: V, contextLength: T, modelDim: C, layers: L, mlpDim: F } = shape;
  let s = seed;
  const init = (dims: number[], std = 0.02) => tf.variable(tf.randomNormal(dims, 0, std, 'float32', s++));
  const ones = (dims: number[]) => tf.variable(tf.ones(dims));
  const zeros = (dims: number[]) => tf.variable(tf.zeros(dims));
  const wte = init([V, C]);
  const wpe = init([T, C]);
  const blocks: Block[] = Array.from({ length: L }, () => ({
    ln1g: ones([C]),
    ln1b: zeros([C]),
    attnW: init([C, 3 * C]),
    attnB: zeros([3 * C]),
    projW: init([C, C]),
    projB: zeros([C]),
    ln2g: ones([C]),
    ln2b: zeros([C]),
    fcW: init([C, F]),
    fcB: zeros([F]),
    fc2W: init([F, C]),
    fc2B: zeros([C]),
  }));
  const lnfg = ones([C]);
  const lnfb = zeros([C]);
  const variables = [wte, wpe, ...blocks.flatMap((b) => Object.values(b)), lnfg, lnfb];

  const layerNorm = (x: tf.Tensor, g: tf.Tensor, b: tf.Tensor) => {
    const { mean, variance } = tf.moments(x, -1, true);
    return x
      .sub(mean)
      .mul(tf.rsqrt(variance.add(1e-5)))
      .mul(g)
      .add(b);
  };
  const gelu = (x: tf.Tensor) => x.mul(0.5).mul(tf.tanh(x.add(x.pow(3).mul(0.044715)).mul(Math.sqrt(2 / Math.PI))).add(1));

  function loss(tokens: tf.Tensor2D, targets: tf.Tensor2D): tf.Scalar {
    const [B, Tn] = tokens.shape;
    const H = shape.heads;
    const D = C / H;
    // x: (B, T, C)
    let x = tf
      .oneHot(tokens.reshape([B * Tn]), V)
      .matMul(wte)
      .reshape([B, Tn, C])
      .add(wpe.slice([0, 0], [Tn, C]));
    const causal = tf.linalg
      .bandPart(tf.ones([Tn, Tn]), -1, 0)
      .sub(1)
      .mul(1e9); // 0 on/below diag, -1e9 above
    for (const b of blocks) {
      const h = layerNorm(x, b.ln1g, b.ln1b).reshape([B * Tn, C]);
      const qkv = h.matMul(b.attnW).add(b.attnB).reshape([B, Tn, 3, H, D]).transpose([2, 0, 3, 1, 4]); // (3, B, H, T, D)
      const [q, k, v] = tf.unstack(qkv) as [tf.Tensor4D, tf.Tensor4D, tf.Tensor4D];
      const att = tf.softmax(
        tf
          .matMul(q, k, false, true)
          .mul(1 / Math.sqrt(D))
          .add(causal),
      ); // (B, H, T, T)
      const y = tf
        .matMul(att, v)
        .transpose([0, 2, 1, 3])
        .reshape([B * Tn, C]); // (B*T, C)
      x = x.add(y.matMul(b.projW).add(b.projB).reshape([B, Tn, C]));
      const h2 = layerNorm(x, b.ln2g, b.ln2b).reshape([B * Tn, C]);
      const m = gelu(h2.matMul(b.fcW).add(b.fcB)).matMul(b.fc2W).add(b.fc2B);
      x = x.add(m.reshape([B, Tn, C]));
    }
    const logits = layerNorm(x, lnfg, lnfb)
      .reshape([B * Tn, C])
      .matMul(wte, false, true); // (B*T, V)
    const logProbs = tf.logSoftmax(logits);
    const picked = tf.mul(logProbs, tf.oneHot(targets.reshape([B * Tn]), V)).sum(-1);
    return picked.mean().neg() as tf.Scalar;
  }
  return { variables, loss };
}

/** One optimisation step; returns the loss value. */
export function tfjsTrainStep(model: TfjsGpt, optimizer: tf.Optimizer, tokens: tf.Tensor2D, targets: tf.Tensor2D): number {
  return tf.tidy(() => {
    const { value, grads } = tf.variableGrads(() => model.loss(tokens, targets), model.variables);
    optimizer.applyGradients(grads);
    return value.dataSync()[0]!;
  });
}
