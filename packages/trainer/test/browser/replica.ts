// A browser replica worker: import the backend, then serve (see serveReplica's docs).
import '@wattformer/backend-wasm';
import { serveReplica } from '@wattformer/trainer';

void serveReplica();
