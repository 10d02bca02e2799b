/**
 * The output of `wattformer finetune`: a Hugging Face folder that
 * `GPT2ForSequenceClassification.from_pretrained(dir)` and `AutoTokenizer.from_pretrained(dir)`
 * load: `config.json` (GPT2Config with `architectures`, `id2label`/`label2id` (num_labels),
 * `pad_token_id`, bos/eos), `model.safetensors` (the backbone under `transformer.*` plus
 * `score.weight`; LoRA merged in), `tokenizer.json`, `tokenizer_config.json`, `special_tokens_map.json`.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Tensor } from '@wattformer/core';
import { decodeSafetensors, encodeSafetensors, gptCheckpointToBytes, type GptConfig, type GptParameters } from '@wattformer/model';
import type { Tokenizer } from '@wattformer/tokenizer';

export interface ClassifierFolder {
  readonly backbone: GptParameters;
  readonly config: GptConfig;
  readonly head: Tensor;
  readonly labels: readonly string[];
  readonly tokenizer: Tokenizer;
  /** The token that pads batches (and ends texts), e.g. <|endoftext|>; HF needs one for batches. */
  readonly padToken: string | undefined;
  readonly pooling: 'mean' | 'last';
}

export async function saveClassifierFolder(dir: string, folder: ClassifierFolder): Promise<void> {
  const { config, tokenizer } = folder;
  const { weights, config: configText } = await gptCheckpointToBytes(folder.backbone, config);
  const tensors = [...decodeSafetensors(weights).tensors].map(([name, t]) => [name, { shape: t.shape, data: t.data as Float32Array }] as const);
  const head = { shape: [...folder.head.shape], data: (await folder.head.data()) as Float32Array };
  const padId = folder.padToken === undefined ? undefined : tokenizer.tokenToId(folder.padToken);
  const id2label = Object.fromEntries(folder.labels.map((label, i) => [String(i), label]));
  const label2id = Object.fromEntries(folder.labels.map((label, i) => [label, i]));
  const hfConfig = {
    ...(JSON.parse(configText) as Record<string, unknown>),
    architectures: ['GPT2ForSequenceClassification'],
    id2label,
    label2id,
    problem_type: 'single_label_classification',
    ...(padId === undefined ? {} : { pad_token_id: padId, bos_token_id: padId, eos_token_id: padId }),
    // transformers pools at the last real token; mean pooling is this model's own choice.
    wattformer_pooling: folder.pooling,
  };
  const specials = folder.padToken === undefined ? {} : { bos_token: folder.padToken, eos_token: folder.padToken, pad_token: folder.padToken };
  const json = (value: unknown) => `${JSON.stringify(value, null, 2)}\n`;
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, 'model.safetensors'), encodeSafetensors([...tensors, ['score.weight', head]], { format: 'pt' }));
  await writeFile(join(dir, 'tokenizer.json'), `${tokenizer.toString()}\n`);
  await writeFile(
    join(dir, 'tokenizer_config.json'),
    json({ ...specials, clean_up_tokenization_spaces: false, model_max_length: config.contextLength, tokenizer_class: 'PreTrainedTokenizerFast' }),
  );
  await writeFile(join(dir, 'special_tokens_map.json'), json(specials));
  await writeFile(join(dir, 'config.json'), json(hfConfig));
}
