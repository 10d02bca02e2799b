import { defineConfig } from 'vitest/config';

// Builds run one after another in one file: five bundlers on 2 cores are CPU-bound already.
export default defineConfig({ test: { include: ['test/**/*.test.ts'], testTimeout: 60_000, fileParallelism: false } });
