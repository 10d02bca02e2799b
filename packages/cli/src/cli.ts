#!/usr/bin/env node
// The `wattformer` bin. Errors print as `cli: <op>: expected …, got …` (+ help) and exit 2.
import { createProgram } from './program';

createProgram()
  .parseAsync(process.argv)
  .catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : String(error));
    process.exit(2);
  });
