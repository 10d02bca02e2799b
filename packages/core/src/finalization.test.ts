import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { memory, tensor } from './index';

// The safe default for casual use: tensors nobody disposed are freed once unreachable.
setFlagsFromString('--expose-gc');
const collectGarbage = runInNewContext('gc') as () => void;

function makeGarbage(): void {
  for (let i = 0; i < 50; i++) tensor(new Float32Array(1000)).mul(2);
}

describe('FinalizationRegistry fallback', () => {
  it('releases backend memory of tensors that became unreachable without dispose or tidy', async () => {
    const before = memory();
    makeGarbage();
    // 50 × (input, scalar operand, product)
    expect(memory().liveTensors).toBe(before.liveTensors + 150);
    // Finalizers run after a collection, on a later turn of the event loop.
    for (let attempt = 0; attempt < 50 && memory().liveTensors > before.liveTensors; attempt++) {
      collectGarbage();
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    expect(memory().liveTensors).toBe(before.liveTensors);
    expect(memory().backendBytes).toBe(before.backendBytes);
  });
});
