// Generates the API reference (docs/api) with TypeDoc for every public package: packages/*
// whose package.json is not "private". Entry points come from each package's `exports` map
// (`./dist/x.js` -> `src/x.ts`; the `browser` twin of an entry and non-JS files are skipped).
// Fails (exit 1) on any TypeDoc warning or error, including an undocumented public export
// (validation.notDocumented for classes, functions, interfaces, type aliases, variables, enums).
//   node scripts/docs/api.mjs            # writes docs/api/<folder>/ and docs/api/index.html
//   node scripts/docs/api.mjs core tokenizer   # only these package folders
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Application, LogLevel } from 'typedoc';
import { writeAll as writeKernelGlue } from '../gen-kernels.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const outRoot = join(root, 'docs/api');
const only = process.argv.slice(2);

/** The public packages, discovered: folder, manifest. */
export function publicPackages() {
  return readdirSync(join(root, 'packages'))
    .map((folder) => ({ folder, path: join(root, 'packages', folder, 'package.json') }))
    .filter(({ path }) => existsSync(path))
    .map(({ folder, path }) => ({ folder, json: JSON.parse(readFileSync(path, 'utf8')) }))
    .filter(({ json }) => !json.private && json.name?.startsWith('@wattformer/'))
    .sort((a, b) => a.folder.localeCompare(b.folder));
}

/** The JS file a subpath's conditions lead Node's `import` to (not `browser`). */
function importTarget(value) {
  if (typeof value === 'string') return value;
  if (!value || typeof value !== 'object') return undefined;
  for (const condition of ['import', 'default', 'node', 'require']) {
    if (condition in value) {
      const found = importTarget(value[condition]);
      if (found) return found;
    }
  }
  return undefined;
}

/** `exports` map -> source entry points (`./dist/x.js` -> `src/x.ts`). */
export function entryPoints(folder, json) {
  const dir = join(root, 'packages', folder);
  const exports = typeof json.exports === 'string' || !json.exports ? { '.': json.exports ?? json.main } : json.exports;
  const entries = [];
  for (const [subpath, value] of Object.entries(exports)) {
    const target = importTarget(value);
    if (!target || !/\.(c|m)?js$/.test(target)) continue; // package.json, .wasm, data files
    if (subpath === './internal' || subpath.startsWith('./internal/')) continue; // no public API, no reference
    const source = target.replace(/^\.\/dist\//, 'src/').replace(/\.(c|m)?js$/, '.ts');
    const path = join(dir, source);
    if (!existsSync(path)) throw new Error(`docs:api: ${json.name}: expected ${source} for export "${subpath}" (${target}), got no such file`);
    entries.push(path);
  }
  return [...new Set(entries)];
}

const VALIDATED = ['Class', 'Function', 'Interface', 'TypeAlias', 'Variable', 'Enum'];

async function document(folder, json) {
  const dir = join(root, 'packages', folder);
  const app = await Application.bootstrapWithPlugins({
    name: json.name,
    entryPoints: entryPoints(folder, json),
    entryPointStrategy: 'resolve',
    tsconfig: join(dir, 'tsconfig.json'),
    readme: existsSync(join(dir, 'README.md')) ? join(dir, 'README.md') : 'none',
    out: join(outRoot, folder),
    highlightLanguages: [
      'bash',
      'console',
      'css',
      'html',
      'javascript',
      'js',
      'json',
      'jsonc',
      'jsx',
      'sh',
      'shell',
      'text',
      'tsx',
      'typescript',
      'ts',
      'yaml',
      'diff',
      'toml',
      'rust',
      'python',
      'csv',
      'ini',
      'md',
      'markdown',
      'html',
      'xml',
      'wgsl',
    ],
    excludePrivate: true,
    excludeInternal: true,
    excludeExternals: true,
    githubPages: false,
    disableGit: true,
    sourceLinkTemplate: `https://github.com/wattformer/wattformer/blob/main/{path}#L{line}`,
    validation: { notExported: false, invalidLink: true, notDocumented: true, rewrittenLink: true, unusedMergeModuleWith: true },
    requiredToBeDocumented: VALIDATED,
    treatWarningsAsErrors: false,
    treatValidationWarningsAsErrors: true,
    logLevel: LogLevel.Warn,
    skipErrorChecking: true, // `npm run typecheck` type-checks; this run is about the docs
  });
  const project = await app.convert();
  if (!project) return false;
  app.validate(project);
  if (app.logger.hasErrors() || app.logger.hasWarnings()) return false;
  await app.generateDocs(project, join(outRoot, folder));
  return !(app.logger.hasErrors() || app.logger.hasWarnings());
}

// The backends' sources import the fused-kernel glue, a git-ignored build output: write it first.
writeKernelGlue();
const packages = publicPackages().filter(({ folder }) => only.length === 0 || only.includes(folder));
if (only.length === 0) rmSync(outRoot, { recursive: true, force: true });
mkdirSync(outRoot, { recursive: true });
const failed = [];
for (const { folder, json } of packages) {
  console.log(`docs:api: ${json.name}`);
  if (!(await document(folder, json))) failed.push(json.name);
}
const links = publicPackages()
  .map(({ folder, json }) => `<li><a href="./${folder}/index.html">${json.name}</a> — ${json.description ?? ''}</li>`)
  .join('\n');
writeFileSync(
  join(outRoot, 'index.html'),
  `<!doctype html>\n<html lang="en"><head><meta charset="utf-8"><title>wattformer API reference</title></head>\n<body><h1>wattformer API reference</h1>\n<ul>\n${links}\n</ul></body></html>\n`,
);
if (failed.length) {
  console.error(`docs:api: expected every public export documented and no TypeDoc warning, got problems in ${failed.join(', ')}`);
  console.error('help: add a /** doc comment */ to each export TypeDoc names above, or move internals out of the package entry');
  process.exit(1);
}
console.log(`docs:api: ${packages.length} packages documented in docs/api`);
