import { setBackend, sum, tensor, tidy, valueAndGrad, type Tensor } from '@wattformer/core';
import '@wattformer/backend-wasm';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { geluErf } from './gelu-erf';

const fixture = JSON.parse(readFileSync(new URL('./__fixtures__/encoder-gelu-torch.json', import.meta.url), 'utf8')) as {
  x: number[];
  gelu: number[];
  derivative: number[];
};

describe.each(['cpu', 'wasm'])('geluErf (exact GELU) against torch F.gelu in float64 on %s', (backendName) => {
  it('values within 1e-6 and derivatives within 1e-5 over [−9, 9] (0 included)', async () => {
    await setBackend(backendName);
    const x = tensor(Float32Array.from(fixture.x), [fixture.x.length]);
    const { y, dx } = tidy(() => {
      const { grads } = valueAndGrad(() => sum(geluErf(x)), [x]);
      return { y: geluErf(x), dx: grads[0] as Tensor };
    });
    const worst = (got: ArrayLike<number>, want: number[]) => Math.max(...want.map((w, i) => Math.abs(got[i]! - w)));
    expect(worst(y.dataSync(), fixture.gelu)).toBeLessThan(1e-6);
    expect(worst(dx.dataSync(), fixture.derivative)).toBeLessThan(1e-5);
    expect(fixture.x).toContain(0);
  });
});
