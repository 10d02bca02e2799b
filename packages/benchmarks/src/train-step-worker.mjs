// The train-step A/B's replica worker: the backend and trainer of the checkout under test
// (workerData.root), so the base build's workers run the base build.
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { workerData } from 'node:worker_threads';

const dist = (pkg) => pathToFileURL(resolve(workerData.root, 'packages', pkg, 'dist', 'index.js')).href;
await import(dist('backend-wasm'));
const { serveReplica } = await import(dist('trainer'));
await serveReplica();
