import { defineConfig } from 'tsup';
import { packageBuild } from '../../tsup.shared';

const encodings = ['r50k_base', 'p50k_base', 'p50k_edit', 'cl100k_base', 'o200k_base'];

export default defineConfig(
  packageBuild({
    entry: {
      index: 'src/index.ts',
      ...Object.fromEntries(encodings.map((name) => [`encodings/${name}`, `src/encodings/${name}.ts`])),
    },
    // getEncoding() loads each encoding through the package's own subpath export, so the
    // main entry stays small and users load only the ranks they use.
    external: [/^@wattformer\/tokenizer\//],
    // Rank strings are megabytes; source maps of them help nobody.
    sourcemap: false,
  }),
);
