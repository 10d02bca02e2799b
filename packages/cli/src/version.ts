import { readFileSync } from 'node:fs';

/** The version of @wattformer/cli, read from its package.json (next to dist/ and src/). */
export function cliVersion(): string {
  const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version?: unknown };
  return String(pkg.version);
}
