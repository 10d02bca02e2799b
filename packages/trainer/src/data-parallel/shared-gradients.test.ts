import { existsSync } from 'node:fs';
import { Worker } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import { createSharedGradients, SharedGradients } from './shared-gradients';

// The other replica runs in a real thread with the built package, so the test exercises
// Atomics across threads, not a mock. SharedGradients is internal: dist/shared-gradients.js is a
// build entry outside the package's `exports`.
const dist = new URL('../../dist/shared-gradients.js', import.meta.url);
const replicaSource = `
  import { workerData, parentPort } from 'node:worker_threads';
  const { SharedGradients } = await import(workerData.dist);
  const shared = new SharedGradients(workerData.layout, 1);
  shared.slot().set(workerData.values);
  parentPort.postMessage(Array.from(shared.average()));
`;

describe('SharedGradients', () => {
  it('averages two threads’ gradients (not sums), each thread seeing the full mean', async () => {
    if (!existsSync(dist)) throw new Error('trainer test: expected dist/shared-gradients.js, got nothing\nhelp: run `npm run build` first');
    const size = 10;
    const layout = createSharedGradients(2, size);
    const mine = Float32Array.from({ length: size }, (_, i) => i);
    const theirs = Float32Array.from({ length: size }, (_, i) => 10 * i + 1);
    const worker = new Worker(new URL(`data:text/javascript,${encodeURIComponent(replicaSource)}`), {
      workerData: { layout, values: theirs, dist: dist.href },
    });
    const theirMean = new Promise<number[]>((resolve, reject) => {
      worker.on('message', resolve);
      worker.on('error', reject);
    });
    const shared = new SharedGradients(layout, 0);
    shared.slot().set(mine);
    const myMean = Array.from(shared.average());
    const expected = Array.from(mine, (v, i) => (v + theirs[i]!) / 2);
    expect(myMean).toEqual(expected);
    expect(await theirMean).toEqual(expected);
    await worker.terminate();
  });
});
