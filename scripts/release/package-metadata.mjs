// Keeps the publishing metadata of every public package (`packages/*` without "private") in one
// place: license, repository (type, url, directory), homepage, bugs, keywords, engines, a copy of
// the root LICENSE in the package folder (npm packs it), and absolute links in its README (a
// relative `../../README.md` is broken on npmjs.com).
//   node scripts/release/package-metadata.mjs          check; exit 1 naming every difference
//   node scripts/release/package-metadata.mjs --write  fix them
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join, posix, resolve } from 'node:path';

export const REPOSITORY = 'https://github.com/wattformer/wattformer';
const BASE_KEYWORDS = ['wattformer', 'transformer', 'machine-learning', 'deep-learning'];
const KEYWORDS = {
  '@wattformer/core': ['tensor', 'autograd', 'neural-network'],
  '@wattformer/backend-wasm': ['webassembly', 'wasm', 'simd', 'matmul'],
  '@wattformer/backend-webgpu': ['webgpu', 'gpu', 'wgsl'],
  '@wattformer/tokenizer': ['tokenizer', 'bpe', 'tiktoken', 'huggingface'],
  '@wattformer/model': ['gpt', 'bert', 'llm', 'safetensors', 'huggingface'],
  '@wattformer/trainer': ['training', 'pretraining', 'fine-tuning', 'llm'],
  '@wattformer/carbon-estimator': ['carbon', 'co2', 'energy', 'green-ai', 'codecarbon'],
  '@wattformer/cli': ['cli', 'training', 'llm', 'gpt'],
};

const root = resolve(import.meta.dirname, '../..');
const write = process.argv.includes('--write');
const license = readFileSync(join(root, 'LICENSE'), 'utf8');
const problems = [];

for (const folder of readdirSync(join(root, 'packages'))) {
  const dir = join(root, 'packages', folder);
  const file = join(dir, 'package.json');
  if (!existsSync(file)) continue;
  const text = readFileSync(file, 'utf8');
  const json = JSON.parse(text);
  if (json.private) continue;
  const want = {
    license: 'MIT',
    homepage: `${REPOSITORY}/tree/main/packages/${folder}#readme`,
    repository: { type: 'git', url: `git+${REPOSITORY}.git`, directory: `packages/${folder}` },
    bugs: { url: `${REPOSITORY}/issues` },
    keywords: [...new Set([...BASE_KEYWORDS, ...(KEYWORDS[json.name] ?? [])])],
    engines: { ...(json.engines ?? {}), node: '>=22' },
  };
  const next = { ...json };
  for (const [key, value] of Object.entries(want)) {
    if (JSON.stringify(json[key]) !== JSON.stringify(value)) {
      problems.push(`${json.name}: package.json ${key}: expected ${JSON.stringify(value)}, got ${JSON.stringify(json[key])}`);
      next[key] = value;
    }
  }
  if (write && JSON.stringify(next) !== JSON.stringify(json)) writeFileSync(file, `${JSON.stringify(next, null, 2)}\n`);

  const licenseFile = join(dir, 'LICENSE');
  if (!existsSync(licenseFile) || readFileSync(licenseFile, 'utf8') !== license) {
    problems.push(`${json.name}: LICENSE: expected a copy of the root LICENSE, got ${existsSync(licenseFile) ? 'a different file' : 'none'}`);
    if (write) writeFileSync(licenseFile, license);
  }
  const readme = join(dir, 'README.md');
  if (existsSync(readme)) {
    const body = readFileSync(readme, 'utf8');
    // every relative link (not a URL, not an #anchor) becomes an absolute link into the repository
    const fixed = body.replace(/\]\((?![a-z]+:|#)([^)\s]+)\)/g, (_, path) => `](${REPOSITORY}/blob/main/${posix.normalize(`packages/${folder}/${path}`)})`);
    if (fixed !== body) {
      problems.push(`${json.name}: README.md: expected absolute links (npmjs.com cannot follow ../), got relative ones`);
      if (write) writeFileSync(readme, fixed);
    }
  }
}

if (problems.length > 0 && !write) {
  for (const p of problems) console.error(`release: ${p}`);
  console.error('help: node scripts/release/package-metadata.mjs --write');
  process.exit(1);
}
console.log(write ? `release: package metadata written (${problems.length} change(s))` : 'release: package metadata is complete');
