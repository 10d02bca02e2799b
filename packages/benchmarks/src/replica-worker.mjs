// The benchmark's data-parallel replica worker: imports the backend, serves the trainer's replica.
import '@wattformer/backend-wasm';
import { serveReplica } from '@wattformer/trainer';

await serveReplica();
