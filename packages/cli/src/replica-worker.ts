// The CLI's data-parallel replica worker (`--workers N`): the app, not the trainer, picks the
// backend, so this file imports the backend the CLI trains on in workers ('cpu' is built into
// core) and serves the trainer's gradient replica.
import '@wattformer/backend-wasm';
import { serveReplica } from '@wattformer/trainer';

await serveReplica();
