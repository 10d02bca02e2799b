// `npm run release:dry`: what the first release would publish, without publishing anything.
// In a temporary copy of the repository (tracked files plus each public package's built `files`),
// runs `changeset version` (bumps versions, writes CHANGELOG.md, consumes .changeset/*.md), then
// `npm publish --dry-run` in every public package. Prints name@version, the tarball's size and
// file count, and the first lines of each CHANGELOG; exits 1 if a package was not bumped, has no
// CHANGELOG, or would publish without its LICENSE, README or built entry points.
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '../..');
const publicPackages = (dir) =>
  readdirSync(join(dir, 'packages'))
    .filter((name) => existsSync(join(dir, 'packages', name, 'package.json')))
    .map((name) => ({ dir: join(dir, 'packages', name), json: JSON.parse(readFileSync(join(dir, 'packages', name, 'package.json'), 'utf8')) }))
    .filter((p) => !p.json.private);

const copy = mkdtempSync(join(tmpdir(), 'wattformer-release-'));
let failures = 0;
const fail = (message) => {
  failures++;
  console.error(`release:dry: ${message}`);
};
try {
  // 1. tracked files, then what each package publishes from its build (dist/, wasm/, …)
  const tracked = execFileSync('git', ['ls-files', '-z'], { cwd: root, encoding: 'utf8' }).split('\0').filter(Boolean);
  for (const file of tracked) {
    if (!existsSync(join(root, file))) continue; // deleted in the work tree
    mkdirSync(dirname(join(copy, file)), { recursive: true });
    cpSync(join(root, file), join(copy, file));
  }
  for (const p of publicPackages(root)) {
    for (const entry of p.json.files ?? []) {
      const from = join(p.dir, entry);
      if (!existsSync(from)) {
        fail(`${p.json.name}: expected its "files" entry ${entry} to exist, got nothing\nhelp: run bash scripts/build.sh first`);
        continue;
      }
      cpSync(from, join(copy, 'packages', p.dir.split('/').pop(), entry), { recursive: true });
    }
  }
  symlinkSync(join(root, 'node_modules'), join(copy, 'node_modules'), 'dir');

  // 2. changeset version
  const changeset = join(root, 'node_modules', '.bin', 'changeset');
  execFileSync(changeset, ['version'], { cwd: copy, stdio: ['ignore', 'ignore', 'inherit'] });

  // 3. npm publish --dry-run per package
  const before = new Map(publicPackages(root).map((p) => [p.json.name, p.json.version]));
  for (const p of publicPackages(copy)) {
    const { name, version } = p.json;
    const changelog = join(p.dir, 'CHANGELOG.md');
    // The first release is 0.1.0 for every package: a 1.0.0 here means a changeset (or a peer
    // dependency range) asked for a major bump by mistake.
    if (before.get(name) === '0.0.0' && version !== '0.1.0')
      fail(`${name}: expected the first release at 0.1.0, got ${version}\nhelp: check its changesets' bump and its peer dependency ranges`);
    if (version === '0.0.0') fail(`${name}: expected a version above 0.0.0 after changeset version, got 0.0.0\nhelp: add a .changeset/*.md entry for ${name}`);
    if (!existsSync(changelog)) fail(`${name}: expected CHANGELOG.md after changeset version, got none`);
    const out = execFileSync('npm', ['publish', '--dry-run', '--json', '--ignore-scripts', '--tag', 'dry-run'], {
      cwd: p.dir,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const report = JSON.parse(out.slice(out.indexOf('{')));
    const info = report[name] ?? report;
    const files = (info.files ?? []).map((f) => f.path);
    for (const required of ['LICENSE', 'README.md', 'package.json']) {
      if (!files.includes(required)) fail(`${name}: expected ${required} in the tarball, got ${files.length} files without it`);
    }
    if (!files.some((f) => f.startsWith('dist/'))) fail(`${name}: expected dist/ in the tarball, got none`);
    const head = existsSync(changelog) ? readFileSync(changelog, 'utf8').split('\n').filter(Boolean).slice(0, 4).join(' | ') : '';
    console.log(`${name}@${version}  ${files.length} files, ${(info.size / 1024).toFixed(0)} KiB packed  CHANGELOG: ${head.slice(0, 160)}`);
  }
} finally {
  rmSync(copy, { recursive: true, force: true });
}
if (failures > 0) {
  console.error(`release:dry: ${failures} problem(s)`);
  process.exit(1);
}
console.log('release:dry: every public package would publish (nothing was published)');
