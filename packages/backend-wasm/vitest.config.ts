import { defineConfig } from 'vitest/config';

// Tests import src/ modules directly; install the Node file reader the Node entry (index.ts) installs.
export default defineConfig({ test: { setupFiles: ['./src/node-file.ts'] } });
