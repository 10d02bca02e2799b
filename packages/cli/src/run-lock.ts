/**
 * One run per run folder (issue #12, run folders): `wattformer train` holds `<out>/.wattformer.lock`
 * (JSON: pid, host, start time) while it runs. The lock is created with its content in one step
 * (written to a private file, then hard-linked to the lock name, which fails if it exists), so a
 * reader never sees an empty lock. A second run on the folder exits 2 naming the holder's PID; a
 * lock whose process is gone (same host, no such PID) is stale: it is taken over, with a message.
 * Released when the run ends, and on any exit of the process.
 */
import { linkSync, readFileSync, renameSync, unlinkSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { cliError } from './errors';

export const LOCK_FILE = '.wattformer.lock';

interface LockContent {
  readonly pid: number;
  readonly host: string;
  readonly started: string;
}

export interface RunLock {
  readonly path: string;
  release(): void;
}

/** True when `pid` names a running process on this machine (EPERM: it exists, owned by another user). */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function readLock(path: string): LockContent | undefined {
  try {
    const value = JSON.parse(readFileSync(path, 'utf8')) as Partial<LockContent>;
    if (typeof value.pid === 'number' && Number.isInteger(value.pid) && value.pid > 0 && typeof value.host === 'string') {
      return { pid: value.pid, host: value.host, started: String(value.started ?? '?') };
    }
  } catch {
    // unreadable: treated as stale below
  }
  return undefined;
}

function tryCreate(path: string, content: string): boolean {
  const mine = `${path}.${process.pid}.tmp`;
  writeFileSync(mine, content);
  try {
    linkSync(mine, path);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  } finally {
    unlinkSync(mine);
  }
}

/** Takes the lock of run folder `out` (which must exist), or throws `cli: --out: …` naming the holder. */
export function acquireRunLock(out: string, log: (line: string) => void): RunLock {
  const path = join(out, LOCK_FILE);
  const content = JSON.stringify({ pid: process.pid, host: hostname(), started: new Date().toISOString() } satisfies LockContent);
  for (let attempt = 0; attempt < 3; attempt++) {
    if (tryCreate(path, content)) return held(path);
    const holder = readLock(path);
    if (holder && holder.pid !== process.pid && (holder.host !== hostname() || alive(holder.pid))) {
      const where = holder.host === hostname() ? '' : ` on ${holder.host}`;
      throw cliError(
        'E_ARGUMENT',
        '--out',
        `a run folder not in use by another run`,
        `a run in progress: PID ${holder.pid}${where}, since ${holder.started} (${path})`,
        `wait for it or stop it (kill -INT ${holder.pid}), or use another --out; if that process is not a wattformer run, delete ${path}`,
      );
    }
    // Stale: move it aside (one taker wins the rename), then check it was the stale one we read.
    const aside = `${path}.stale-${process.pid}`;
    try {
      renameSync(path, aside);
    } catch {
      continue; // gone meanwhile: try to create again
    }
    const moved = readLock(aside);
    if (moved && holder && moved.pid !== holder.pid) {
      renameSync(aside, path); // a fresh lock taken meanwhile: put it back, and report it next round
      continue;
    }
    unlinkSync(aside);
    if (holder?.pid === process.pid && holder.host === hostname()) continue; // this process's own (an earlier run in it)
    log(
      `train: taking over the stale lock of ${holder ? `PID ${holder.pid} (no such process; it did not finish cleanly)` : 'an unreadable lock file'}: ${path}`,
    );
  }
  throw cliError(
    'E_ARGUMENT',
    '--out',
    `a run folder whose lock (${path}) can be taken`,
    'a lock that changed hands three times while taking it',
    'another run is starting on this folder; use another --out',
  );
}

function held(path: string): RunLock {
  let released = false;
  const release = () => {
    if (released) return;
    released = true;
    process.off('exit', release);
    try {
      if (readLock(path)?.pid === process.pid) unlinkSync(path);
    } catch {
      // already gone
    }
  };
  process.on('exit', release);
  return { path, release };
}
