import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { dirname } from 'node:path';

/** Writes a bench's JSON beside the package (bench-results/, git-ignored) and says where. */
export function writeResults(name: string, data: object): void {
  const path = new URL(`../bench-results/${name}.json`, import.meta.url);
  mkdirSync(dirname(path.pathname), { recursive: true });
  writeFileSync(path, JSON.stringify({ date: new Date().toISOString(), node: process.version, ...data }, null, 2));
  console.log(`wrote ${path.pathname}`);
}

/**
 * Writes a bench's JSON under the repository's bench-results/ (committed: the figures the READMEs
 * quote), headed by the date, Node version, CPU model and core count, and says where.
 */
export function writeRepoResults(name: string, data: object): void {
  const path = new URL(`../../../bench-results/${name}.json`, import.meta.url).pathname;
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(
    path,
    `${JSON.stringify({ date: new Date().toISOString(), node: process.version, cpu: cpus()[0]?.model, cores: cpus().length, ...data }, null, 2)}\n`,
  );
  console.log(`wrote ${path}`);
}
