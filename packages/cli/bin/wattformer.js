#!/usr/bin/env node
// The `wattformer` bin: a committed file, so `npm ci` links it before the first build; the
// command itself is dist/cli.js (built by tsup from src/cli.ts).
import('../dist/cli.js').catch((error) => {
  if (error?.code === 'ERR_MODULE_NOT_FOUND' && String(error.message).includes('dist/cli.js')) {
    console.error(
      'cli: wattformer: expected the built command dist/cli.js, got no such file\nhelp: run `bash scripts/build.sh` (or `npm run build -w @wattformer/cli`) first',
    );
    process.exit(2);
  }
  throw error;
});
