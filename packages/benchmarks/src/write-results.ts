import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

/** Writes a bench's JSON beside the package (bench-results/, git-ignored) and says where. */
export function writeResults(name: string, data: object): void {
  const path = new URL(`../bench-results/${name}.json`, import.meta.url);
  mkdirSync(dirname(path.pathname), { recursive: true });
  writeFileSync(path, JSON.stringify({ date: new Date().toISOString(), node: process.version, ...data }, null, 2));
  console.log(`wrote ${path.pathname}`);
}
