/**
 * The training worker (a module Web Worker): owns the backend, the model, the optimizer and the
 * run, and answers the page's messages (start, stop, generate, save, load) with events.
 */
import '@wattformer/backend-wasm';
import '@wattformer/backend-webgpu';
import type { Optimizer } from '@wattformer/trainer';
import { studioError } from './errors';
import type { FromWorker, ToWorker, TrainSettings } from './protocol';
import { useBackend, webGpuAvailability } from './worker/backends';
import { sampleText } from './worker/sample-text';
import { StudioModel } from './worker/studio-model';
import { TrainingRun } from './worker/training-run';

const scope = self as unknown as {
  postMessage(message: FromWorker, transfer?: Transferable[]): void;
  onmessage: ((event: MessageEvent<ToWorker>) => void) | null;
};
const post = (message: FromWorker, transfer: Transferable[] = []) => scope.postMessage(message, transfer);

let model: StudioModel | undefined;
let optimizer: Optimizer | undefined;
let run: TrainingRun | undefined;
/**
 * Messages are handled one at a time, in order. Training itself runs in the background, so a
 * generate during training interleaves with the steps (each op is synchronous; they meet at awaits).
 */
let queue: Promise<void> = Promise.resolve();

async function start(settings: TrainSettings): Promise<void> {
  await useBackend(settings.backend);
  let fresh = false;
  if (model && (model.textName !== settings.textName || !model.covers(settings.text) || !model.is(settings.modelSize, settings.tokenizer))) {
    post({ type: 'status', message: 'The text, tokenizer or model size changed: starting a new model.' });
    model.dispose();
    model = undefined;
  }
  if (model && model.backend !== settings.backend) {
    post({ type: 'status', message: `Moving the model to ${settings.backend} (optimizer state restarts).` });
    await model.moveTo(settings.backend);
    optimizer = undefined;
  }
  if (!model) {
    const started = performance.now();
    model = await StudioModel.fresh(settings.text, settings.textName, settings.modelSize, settings.backend, {
      tokenizer: settings.tokenizer,
      onTokenizerProgress: ({ phase, done, total }) => {
        if (phase === 'done') return;
        post({ type: 'tokenizer', phase, done, total });
        post({
          type: 'status',
          message: phase === 'counting' ? `Training the BPE tokenizer: counting words (${done}/${total})…` : 'Training the BPE tokenizer: learning merges…',
        });
      },
    });
    if (settings.tokenizer.kind === 'bpe') {
      post({ type: 'tokenizer', phase: 'done', done: 1, total: 1, vocabSize: model.tokenizer.vocabSize, seconds: (performance.now() - started) / 1000 });
    }
    optimizer = undefined;
    fresh = true;
  }
  optimizer ??= TrainingRun.optimizerFor(model, settings.learningRate);
  run = new TrainingRun(model, optimizer, settings, post);
  post({ type: 'started', model: model.summary(), fresh });
  const current = run;
  // The run goes on in the background so 'stop' and 'generate' can arrive meanwhile.
  void current
    .run()
    .catch((error: unknown) => post({ type: 'error', message: (error as Error).message, fromRun: true }))
    .finally(() => {
      if (run === current) run = undefined;
    });
}

async function handle(message: ToWorker): Promise<void> {
  switch (message.type) {
    case 'start':
      if (run) throw studioError('start', 'a stopped run', 'one already training', 'press Stop first');
      return start(message.settings);
    case 'stop':
      run?.requestStop();
      return;
    case 'generate': {
      if (!model) throw studioError('generate', 'a model', 'none', 'start training or load a checkpoint first');
      const text = await sampleText(model, message.prompt, message.tokens, message.temperature, message.seed, (chunk) =>
        post({ type: 'generatedChunk', text: chunk }),
      );
      post({ type: 'generated', text });
      return;
    }
    case 'save': {
      if (!model) throw studioError('save', 'a model', 'none', 'start training or load a checkpoint first');
      const files = await model.toFiles();
      post({ type: 'saved', files, step: model.step }, [files.weights.buffer as ArrayBuffer]);
      return;
    }
    case 'load': {
      if (run) throw studioError('load', 'a stopped run', 'one training', 'press Stop first');
      await useBackend(message.backend);
      const loaded = StudioModel.fromFiles(message.files, message.backend);
      model?.dispose();
      model = loaded;
      optimizer = undefined;
      post({ type: 'loaded', model: model.summary() });
      return;
    }
  }
}

scope.onmessage = (event) => {
  const message = event.data;
  queue = queue
    .then(() => handle(message))
    .catch((error: unknown) => post({ type: 'error', message: (error as Error).message, fromRun: message.type === 'start' }));
};

void webGpuAvailability().then((webgpu) => post({ type: 'ready', webgpu }));
