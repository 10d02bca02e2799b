#!/usr/bin/env node
// The `wattformer` bin. Errors print as `cli: <op>: expected …, got …` (+ help) and exit 2.
import { CommanderError } from 'commander';
import { fromCommanderError, withFlagErrors } from './flag-errors';
import { createProgram } from './program';
import { cliVersion } from './version';

withFlagErrors(createProgram().version(cliVersion(), '-V, --version', 'print the version of @wattformer/cli'))
  .parseAsync(process.argv)
  .catch((error: unknown) => {
    const shown = error instanceof CommanderError ? fromCommanderError(error) : error;
    if (shown === undefined) process.exit((error as CommanderError).exitCode); // --help, --version: 0; no command: help, 1
    console.error(shown instanceof Error ? shown.message : String(shown));
    process.exit(2);
  });
