import { existsSync } from 'node:fs';
import { describe, it } from 'vitest';
import { describeAttentionChecks } from '../test/attention-checks';

/**
 * The attention checks again on Mesa 25 lavapipe (`scripts/fetch-lavapipe.sh`, into
 * <repo>/.tmp/lavapipe): another shader compiler (LLVM) than SwiftShader's. Setting
 * VK_ICD_FILENAMES before this file's first device switches its driver (see f16-lavapipe.test.ts).
 */
const icd = process.env.WATTFORMER_LAVAPIPE_ICD ?? new URL('../../../.tmp/lavapipe/lvp_icd.json', import.meta.url).pathname;

if (existsSync(icd)) {
  process.env.VK_ICD_FILENAMES = icd;
  describeAttentionChecks(`Mesa lavapipe from ${icd}`, { large: false });
} else {
  describe('attention on lavapipe', () => {
    it.skip(`needs lavapipe at ${icd}: run packages/backend-webgpu/scripts/fetch-lavapipe.sh`, () => undefined);
  });
}
