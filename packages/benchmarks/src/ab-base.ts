/**
 * A built checkout of a base commit for A/B benchmarks: a detached git worktree under
 * `.tmp/ab-base` (git-ignored) whose core, tokenizer, backend-wasm (both wasm builds), model and
 * trainer are built, reused while it is at the same commit. Its node_modules is a folder of links:
 * the third-party packages are this checkout's, the train step's `@wattformer/*` packages the
 * base's own, so the base's dist/ files import the base's code.
 */
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

/**
 * The packages of the train step, built from the base in this order (each after its
 * dependencies); every other @wattformer package (the tokenizer, which model imports for text
 * helpers the step never runs) is linked to this checkout's built copy.
 */
const PACKAGES = ['core', 'backend-wasm', 'model', 'trainer'] as const;
const STAMP = '.ab-built';

const git = (cwd: string, ...args: string[]) => execFileSync('git', args, { cwd, encoding: 'utf8' }).trim();

function log(message: string): void {
  console.log(`[ab-base] ${message}`);
}

/** node_modules of links: every entry of `repoRoot`'s, except PACKAGES → the base's packages. */
function linkNodeModules(repoRoot: string, baseDir: string): void {
  const target = join(baseDir, 'node_modules');
  rmSync(target, { recursive: true, force: true });
  mkdirSync(join(target, '@wattformer'), { recursive: true });
  for (const entry of readdirSync(join(repoRoot, 'node_modules'))) {
    if (entry === '@wattformer' || entry === '.package-lock.json') continue;
    symlinkSync(join(repoRoot, 'node_modules', entry), join(target, entry));
  }
  for (const dir of readdirSync(join(baseDir, 'packages'))) {
    const manifest = join(baseDir, 'packages', dir, 'package.json');
    if (!existsSync(manifest)) continue;
    const name = (JSON.parse(readFileSync(manifest, 'utf8')) as { name: string }).name;
    if (!name.startsWith('@wattformer/')) continue;
    const own = (PACKAGES as readonly string[]).includes(dir);
    symlinkSync(join(own ? baseDir : repoRoot, 'packages', dir), join(target, name));
  }
}

/**
 * Returns the directory of a built checkout of `commit` (any git revision), building it when
 * `.tmp/ab-base` is missing, unbuilt or at another commit. Building runs the base's own wasm build
 * script and tsup; cargo reuses this checkout's compiled dependencies (copied once).
 */
export function ensureBaseBuild(repoRoot: string, commit: string): { dir: string; commit: string } {
  const full = git(repoRoot, 'rev-parse', '--verify', `${commit}^{commit}`);
  const dir = resolve(repoRoot, '.tmp/ab-base');
  const stamp = join(dir, STAMP);
  if (existsSync(stamp) && readFileSync(stamp, 'utf8').trim() === full) {
    log(`reusing ${dir} at ${full.slice(0, 9)}`);
    return { dir, commit: full };
  }
  if (existsSync(dir)) {
    log(`removing ${dir} (another commit, or an unfinished build)`);
    try {
      execFileSync('git', ['worktree', 'remove', '--force', dir], { cwd: repoRoot, stdio: 'inherit' });
    } catch {
      rmSync(dir, { recursive: true, force: true }); // a folder git does not know as a worktree
    }
  }
  git(repoRoot, 'worktree', 'prune');
  log(`git worktree add --detach ${dir} ${full.slice(0, 9)}`);
  execFileSync('git', ['worktree', 'add', '--detach', dir, full], { cwd: repoRoot, stdio: 'inherit' });
  linkNodeModules(repoRoot, dir);
  const route = join(repoRoot, '.rust-route');
  if (existsSync(route)) cpSync(route, join(dir, '.rust-route'));
  for (const build of ['wasm-simd128', 'wasm-relaxed']) {
    const from = join(repoRoot, 'target', build);
    if (existsSync(from)) cpSync(from, join(dir, 'target', build), { recursive: true, dereference: true });
  }
  const env = { ...process.env, TURBO_TELEMETRY_DISABLED: '1' };
  for (const pkg of PACKAGES) {
    const cwd = join(dir, 'packages', pkg);
    log(`building ${pkg}`);
    if (pkg === 'backend-wasm') execFileSync(process.execPath, ['scripts/build-wasm.mjs'], { cwd, env, stdio: 'inherit' });
    execFileSync('npx', ['tsup'], { cwd, env, stdio: 'inherit' });
  }
  writeFileSync(stamp, `${full}\n`);
  return { dir, commit: full };
}
