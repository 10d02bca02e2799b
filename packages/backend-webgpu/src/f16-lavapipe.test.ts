import { existsSync } from 'node:fs';
import { describe, it } from 'vitest';
import { describeF16Checks } from '../test/f16-checks';

/**
 * The f16 checks on Mesa 25 lavapipe, a CPU Vulkan driver with shader-f16 (SwiftShader has none),
 * fetched by `scripts/fetch-lavapipe.sh` into <repo>/.tmp/lavapipe. Each test file runs in its own
 * process (pool: forks) and the Vulkan loader reads VK_ICD_FILENAMES when Dawn starts, so setting
 * it here, before the first device, switches this file's driver; the loader library itself comes
 * from LD_LIBRARY_PATH, set by test/global-setup.ts.
 */
const icd = process.env.WATTFORMER_LAVAPIPE_ICD ?? new URL('../../../.tmp/lavapipe/lvp_icd.json', import.meta.url).pathname;

if (existsSync(icd)) {
  process.env.VK_ICD_FILENAMES = icd;
  describeF16Checks(`Mesa lavapipe from ${icd}`, true);
} else {
  describe('shader-f16 on lavapipe', () => {
    it.skip(`needs lavapipe at ${icd}: run packages/backend-webgpu/scripts/fetch-lavapipe.sh`, () => undefined);
  });
}
