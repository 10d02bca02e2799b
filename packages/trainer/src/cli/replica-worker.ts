// The CLI's data-parallel replica worker (`--workers N`): the app, not the trainer, picks the
// backend, so this file imports the backends the CLI offers for data-parallel training ('cpu'
// is built into core) and serves the trainer's gradient replica.
import '@wattformer/backend-wasm';
import { serveReplica } from '../data-parallel/serve-replica'; // '@wattformer/trainer' once the CLI is its own package

await serveReplica();
