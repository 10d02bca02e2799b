import { existsSync } from 'node:fs';
import { describe, it } from 'vitest';

/**
 * Runs `body` on Mesa 25 lavapipe, a CPU Vulkan driver with another shader compiler (LLVM) than
 * SwiftShader's and with shader-f16, fetched by `scripts/fetch-lavapipe.sh` into
 * <repo>/.tmp/lavapipe (`WATTFORMER_LAVAPIPE_ICD` overrides). Each test file runs in its own process
 * (pool: forks) and the Vulkan loader reads VK_ICD_FILENAMES when Dawn starts, so setting it here,
 * before the file's first device, switches that file's driver; the loader library itself comes
 * from LD_LIBRARY_PATH, set by test/global-setup.ts. Without lavapipe, one skipped test says how
 * to get it.
 */
export function onLavapipe(title: string, body: (driver: string) => void): void {
  const icd = process.env.WATTFORMER_LAVAPIPE_ICD ?? new URL('../../../.tmp/lavapipe/lvp_icd.json', import.meta.url).pathname;
  if (existsSync(icd)) {
    process.env.VK_ICD_FILENAMES = icd;
    body(`Mesa lavapipe from ${icd}`);
  } else {
    describe(title, () => {
      it.skip(`needs lavapipe at ${icd}: run packages/backend-webgpu/scripts/fetch-lavapipe.sh`, () => undefined);
    });
  }
}
