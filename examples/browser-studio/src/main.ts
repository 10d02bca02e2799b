/**
 * The page: reads the form, talks to the training worker and renders its events (stats, chart,
 * samples, checkpoints), plus the projection panel, which runs here.
 */
import { studioError } from './errors';
import type { BackendChoice, CorpusChoice, FromWorker, ModelSize, ModelSummary, ProgressEvent, ToWorker, TokenizerChoice, TrainSettings } from './protocol';
import { SHAKESPEARE_NAME, shakespeare } from './corpus/shakespeare';
import { TANG_POEMS_NAME, tangPoems } from './corpus/tang-poems';
import styles from './styles.css?inline';
import { downloadCheckpoint, readCheckpoint } from './ui/checkpoint-files';
import { formatNumber, formatRange } from './ui/format';
import { injectCss } from './ui/inject-css';
import { LossChart } from './ui/loss-chart';
import { fillRegions, ProjectionPanel } from './ui/projection-panel';

injectCss(styles);

function byId<T extends HTMLElement>(id: string): T {
  const element = document.getElementById(id);
  if (!element) throw studioError('page', `an element #${id}`, 'none');
  return element as T;
}

const ui = {
  isolation: byId('isolation'),
  backend: byId<HTMLSelectElement>('backend'),
  backendNote: byId('backend-note'),
  modelSize: byId<HTMLSelectElement>('model-size'),
  tokenizer: byId<HTMLSelectElement>('tokenizer'),
  bpeVocab: byId<HTMLInputElement>('bpe-vocab'),
  tokenizerProgress: byId<HTMLProgressElement>('tokenizer-progress'),
  tokenizerNote: byId('tokenizer-note'),
  pasted: byId<HTMLTextAreaElement>('pasted'),
  steps: byId<HTMLInputElement>('steps'),
  batch: byId<HTMLInputElement>('batch'),
  lr: byId<HTMLInputElement>('lr'),
  sampleEvery: byId<HTMLInputElement>('sample-every'),
  region: byId<HTMLSelectElement>('region'),
  start: byId<HTMLButtonElement>('start'),
  stop: byId<HTMLButtonElement>('stop'),
  status: byId('status'),
  step: byId<HTMLOutputElement>('step'),
  loss: byId<HTMLOutputElement>('loss'),
  valLoss: byId<HTMLOutputElement>('val-loss'),
  tokensPerSecond: byId<HTMLOutputElement>('tokens-per-second'),
  energy: byId<HTMLOutputElement>('energy'),
  co2e: byId<HTMLOutputElement>('co2e'),
  energyRange: byId('energy-range'),
  co2eRange: byId('co2e-range'),
  modelInfo: byId('model-info'),
  samples: byId<HTMLOListElement>('samples'),
  prompt: byId<HTMLInputElement>('prompt'),
  genLength: byId<HTMLInputElement>('gen-length'),
  temperature: byId<HTMLInputElement>('temperature'),
  seed: byId<HTMLInputElement>('seed'),
  generate: byId<HTMLButtonElement>('generate'),
  generated: byId('generated'),
  save: byId<HTMLButtonElement>('save'),
  load: byId<HTMLInputElement>('load'),
};

const isolated = globalThis.crossOriginIsolated === true;
ui.isolation.textContent = isolated ? 'cross-origin isolated' : 'not cross-origin isolated (no SharedArrayBuffer)';
ui.isolation.classList.toggle('off', !isolated);
document.body.dataset.crossOriginIsolated = String(isolated);

fillRegions(ui.region, 'WORLD');
const chart = new LossChart(byId('chart'));
const projection = new ProjectionPanel({
  model: byId('proj-model'),
  tokens: byId('proj-tokens'),
  hardware: byId('proj-hardware'),
  devices: byId('proj-devices'),
  region: byId('proj-region'),
  output: byId('projection'),
  compare: byId('projection-compare'),
});

const worker = new Worker(new URL('./training-worker.ts', import.meta.url), { type: 'module', name: 'wattformer-training' });
const send = (message: ToWorker, transfer: Transferable[] = []) => worker.postMessage(message, transfer);

let training = false;
let hasModel = false;
let model: ModelSummary | undefined;

function setStatus(message: string, isError = false): void {
  ui.status.textContent = message;
  ui.status.classList.toggle('error', isError);
  ui.status.dataset.state = isError ? 'error' : training ? 'training' : 'idle';
}

function refreshButtons(): void {
  ui.start.disabled = training;
  ui.stop.disabled = !training;
  ui.generate.disabled = !hasModel;
  ui.save.disabled = !hasModel || training;
  ui.load.disabled = training;
}

function show(output: HTMLOutputElement, value: number, text: string): void {
  output.value = text;
  output.dataset.value = String(value);
}

function describe(summary: ModelSummary): void {
  model = summary;
  const vocabulary = summary.tokenizer === 'bpe' ? `BPE vocabulary of ${summary.vocabSize} tokens` : `${summary.vocabSize} characters`;
  ui.modelInfo.textContent = `GPT on ${summary.backend}: ${summary.layers} layers × ${summary.modelDim}, context ${summary.contextLength}, ${vocabulary}, ${summary.parameters.toLocaleString('en-US')} parameters; ${summary.step} steps trained.`;
}

function onProgress(event: ProgressEvent): void {
  chart.add(event.step, event.loss, event.validationLoss);
  show(ui.step, event.step, String(event.step));
  if (ui.loss.dataset.first === undefined) ui.loss.dataset.first = String(event.loss);
  show(ui.loss, event.loss, event.loss.toFixed(3));
  if (event.validationLoss !== undefined) {
    if (ui.valLoss.dataset.first === undefined) ui.valLoss.dataset.first = String(event.validationLoss);
    show(ui.valLoss, event.validationLoss, event.validationLoss.toFixed(3));
  }
  show(ui.tokensPerSecond, event.tokensPerSecond, formatNumber(event.tokensPerSecond));
  show(ui.energy, event.energyWh, formatNumber(event.energyWh));
  ui.energyRange.textContent = formatRange(event.energyWhLow, event.energyWhHigh);
  show(ui.co2e, event.co2eGrams, formatNumber(event.co2eGrams));
  ui.co2eRange.textContent = formatRange(event.co2eGramsLow, event.co2eGramsHigh);
  if (model) projection.setLive(event.co2eGrams, event.tokens, model.parameters);
}

function addSample(step: number, text: string): void {
  const item = document.createElement('li');
  const tag = document.createElement('span');
  tag.className = 'step-tag';
  tag.textContent = `step ${step}`;
  const pre = document.createElement('pre');
  pre.textContent = text;
  item.append(tag, pre);
  ui.samples.prepend(item);
}

worker.onmessage = (event: MessageEvent<FromWorker>) => {
  const message = event.data;
  switch (message.type) {
    case 'ready': {
      const option = ui.backend.querySelector<HTMLOptionElement>('option[value="webgpu"]')!;
      option.disabled = !message.webgpu.available;
      ui.backendNote.textContent = message.webgpu.available ? `WebGPU adapter: ${message.webgpu.adapter}` : `WebGPU unavailable: ${message.webgpu.reason}`;
      ui.backend.dataset.webgpu = String(message.webgpu.available);
      ui.start.disabled = false;
      setStatus('Ready.');
      break;
    }
    case 'status':
      setStatus(message.message);
      break;
    case 'started':
      training = true;
      hasModel = true;
      if (message.fresh) {
        chart.clear();
        ui.samples.replaceChildren();
        delete ui.loss.dataset.first;
        delete ui.valLoss.dataset.first;
      }
      describe(message.model);
      setStatus(`Training on ${message.model.backend}…`);
      break;
    case 'progress':
      onProgress(message);
      break;
    case 'sample':
      addSample(message.step, message.text);
      break;
    case 'stopped':
      training = false;
      if (model) describe({ ...model, step: message.step });
      setStatus(message.reason === 'steps' ? `Done: ${message.step} steps.` : `Stopped at step ${message.step}.`);
      break;
    case 'tokenizer':
      ui.tokenizerProgress.value = message.phase === 'done' ? 1 : (0.9 * message.done) / message.total;
      ui.tokenizerProgress.dataset.phase = message.phase;
      if (message.phase === 'done') {
        ui.tokenizerNote.textContent = `${message.vocabSize} tokens, trained in ${(message.seconds ?? 0).toFixed(1)} s`;
        ui.tokenizerNote.dataset.vocab = String(message.vocabSize);
      } else {
        ui.tokenizerNote.textContent = message.phase === 'counting' ? `counting words: ${message.done}/${message.total}` : 'learning merges…';
      }
      break;
    case 'generatedChunk':
      // Shown as it arrives: each chunk ends on a whole character.
      ui.generated.append(message.text);
      ui.generated.dataset.state = 'streaming';
      break;
    case 'generated':
      ui.generated.textContent = message.text;
      ui.generated.dataset.state = 'done';
      setStatus('Generated.');
      break;
    case 'saved':
      downloadCheckpoint(message.files, `studio-gpt-step-${message.step}`);
      setStatus(`Saved the checkpoint at step ${message.step} (.safetensors + .config.json).`);
      break;
    case 'loaded':
      hasModel = true;
      describe(message.model);
      setStatus(`Loaded a checkpoint (${message.model.step} steps) onto ${message.model.backend}.`);
      break;
    case 'error':
      if (message.fromRun) training = false;
      setStatus(message.message, true);
      break;
  }
  refreshButtons();
};
worker.onerror = (event) => setStatus(`browser-studio: worker: expected it to run, got ${event.message}`, true);

function readNumber(input: HTMLInputElement, op: string, name: string, integer: boolean): number {
  const value = Number(input.value);
  const min = Number(input.min);
  const max = Number(input.max);
  if (!Number.isFinite(value) || value < min || value > max || (integer && !Number.isInteger(value))) {
    throw studioError(op, `${name} ${integer ? 'an integer ' : ''}in ${min}..${max}`, JSON.stringify(input.value));
  }
  return value;
}

function readTokenizer(): TokenizerChoice {
  return ui.tokenizer.value === 'bpe' ? { kind: 'bpe', vocabSize: readNumber(ui.bpeVocab, 'start', 'BPE vocabulary', true) } : { kind: 'char' };
}

function readSettings(): TrainSettings {
  const source = (document.querySelector<HTMLInputElement>('input[name="source"]:checked')?.value ?? 'shakespeare') as CorpusChoice;
  const text = source === 'paste' ? ui.pasted.value : source === 'tang-poems' ? tangPoems : shakespeare;
  return {
    backend: ui.backend.value as BackendChoice,
    modelSize: ui.modelSize.value as ModelSize,
    tokenizer: readTokenizer(),
    text,
    textName: source === 'paste' ? `pasted:${text.length}:${text.slice(0, 64)}` : source === 'tang-poems' ? TANG_POEMS_NAME : SHAKESPEARE_NAME,
    steps: readNumber(ui.steps, 'start', 'steps', true),
    batchSize: readNumber(ui.batch, 'start', 'batch size', true),
    learningRate: readNumber(ui.lr, 'start', 'learning rate', false),
    sampleEvery: readNumber(ui.sampleEvery, 'start', 'sample every', true),
    evalEvery: 10,
    region: ui.region.value,
  };
}

/** A prompt the bundled text's characters cover. */
const PROMPTS: Record<string, string> = { shakespeare: 'HAMLET.', 'tang-poems': '《春夜》' };
for (const radio of document.querySelectorAll<HTMLInputElement>('input[name="source"]')) {
  radio.addEventListener('change', () => {
    ui.pasted.disabled = radio.value !== 'paste' || !radio.checked;
    const prompt = PROMPTS[radio.value];
    if (radio.checked && prompt !== undefined && Object.values(PROMPTS).includes(ui.prompt.value)) ui.prompt.value = prompt;
  });
}
ui.tokenizer.addEventListener('change', () => (ui.bpeVocab.disabled = ui.tokenizer.value !== 'bpe'));

ui.start.addEventListener('click', () => {
  try {
    send({ type: 'start', settings: readSettings() });
    training = true;
    setStatus('Starting…');
  } catch (error) {
    setStatus((error as Error).message, true);
  }
  refreshButtons();
});
ui.stop.addEventListener('click', () => send({ type: 'stop' }));
ui.generate.addEventListener('click', () => {
  try {
    const tokens = readNumber(ui.genLength, 'generate', 'new tokens', true);
    const temperature = readNumber(ui.temperature, 'generate', 'temperature', false);
    const seed = readNumber(ui.seed, 'generate', 'seed', true);
    setStatus('Generating…');
    ui.generated.textContent = '';
    ui.generated.dataset.state = 'waiting';
    send({ type: 'generate', prompt: ui.prompt.value, tokens, temperature, seed });
  } catch (error) {
    setStatus((error as Error).message, true);
  }
});
ui.save.addEventListener('click', () => send({ type: 'save' }));
ui.load.addEventListener('change', () => {
  readCheckpoint(ui.load.files)
    .then((files) => send({ type: 'load', backend: ui.backend.value as BackendChoice, files }, [files.weights.buffer as ArrayBuffer]))
    .catch((error: unknown) => setStatus((error as Error).message, true))
    .finally(() => (ui.load.value = ''));
});
