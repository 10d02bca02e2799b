// A data-parallel replica: a worker thread that loads the wasm backend and serves gradient
// requests from pretrain.mjs (`ParallelGptGradients`, one per extra core).
import '@wattformer/backend-wasm';
import { serveReplica } from '@wattformer/trainer';

await serveReplica();
