import { defineConfig } from 'tsup';
import { packageBuild } from '../../tsup.shared';

// shared-gradients: not in `exports` (internal); built so its test can load it in a real thread.
export default defineConfig([
  packageBuild({ entry: { index: 'src/index.ts', node: 'src/node.ts', 'shared-gradients': 'src/data-parallel/shared-gradients.ts' } }),
]);
