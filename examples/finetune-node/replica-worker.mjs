// This example's data-parallel replica worker: the app picks the backend, the trainer serves it.
import '@wattformer/backend-wasm';
import { serveReplica } from '@wattformer/trainer';

await serveReplica();
