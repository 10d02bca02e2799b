import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  resolve: {
    alias: [
      {
        // Tests run from source: the package's self-imports of its encoding entries resolve to src.
        find: /^@wattformer\/tokenizer\/encodings\/(.*)$/,
        replacement: fileURLToPath(new URL('./src/encodings/$1.ts', import.meta.url)),
      },
    ],
  },
  test: {
    globalSetup: ['./scripts/vitest-global-setup.ts'],
    testTimeout: 60_000,
  },
});
