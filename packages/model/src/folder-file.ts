/**
 * Reading one file of a checkpoint folder that may come from anyone: the name must be a bare
 * file name (no path separators, `.` or `..`), the file must be a regular file (not a device such
 * as /dev/zero, a FIFO or a folder) inside the folder (a symbolic link may not lead out of it
 * unless `followSymlinks`), and its size is checked against a bound before a byte is read. The
 * read takes exactly the size fstat reported on the opened file, so a file that grows meanwhile
 * cannot make it read more.
 */
import { open, realpath, stat } from 'node:fs/promises';
import { constants as bufferConstants } from 'node:buffer';
import { isAbsolute, join, relative, sep } from 'node:path';
import { describeJson } from './bounded-json';
import { modelError } from './errors';

/**
 * Options of reading files from a model folder: whether symbolic links may lead outside it (as in a Hugging Face cache snapshot).
 */
export interface FolderFileOptions {
  /**
   * Follow symbolic links that lead outside the folder (a Hugging Face cache snapshot links
   * each file to `../../blobs/`). The target must still be a regular file within the size bound.
   */
  readonly followSymlinks?: boolean;
}

/** The largest file Node can read into one Buffer. */
export const MAX_READ_BYTES: number = bufferConstants.MAX_LENGTH;

/** Refuses anything but a bare file name (e.g. `model-00001-of-00002.safetensors`). */
export function checkBareFileName(op: string, name: unknown, what: string): string {
  const ok = typeof name === 'string' && name.length > 0 && name.length <= 255 && name !== '.' && name !== '..' && !/[/\\\0:]/.test(name);
  if (!ok) {
    throw modelError(
      op,
      `${what} a bare file name inside the folder`,
      describeJson(name),
      'names in a checkpoint may not point elsewhere (no /, \\, .., :); is the file crafted?',
    );
  }
  return name as string;
}

/**
 * Reads `name` from `folder`; null when it does not exist. Refuses a non-bare name, a
 * non-regular file, a link out of the folder and a file over `maxBytes`, each with the
 * package's error naming the file.
 */
export async function readFolderFile(folder: string, name: string, maxBytes: number, op: string, options: FolderFileOptions = {}): Promise<Buffer | null> {
  checkBareFileName(op, name, 'a file name');
  const path = join(folder, name);
  let real: string;
  try {
    real = await realpath(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw modelError(op, `a readable '${name}' in '${folder}'`, (error as Error).message);
  }
  if (options.followSymlinks !== true) {
    const inside = relative(await realpath(folder), real);
    if (inside === '' || inside.startsWith(`..${sep}`) || inside === '..' || isAbsolute(inside)) {
      throw modelError(
        op,
        `'${name}' a file inside '${folder}'`,
        `a link to '${real}'`,
        'copy the file into the folder, or pass { followSymlinks: true } if you trust where it leads (a Hugging Face cache snapshot)',
      );
    }
  }
  // Checked before opening too: opening a FIFO would block until someone writes to it.
  if (!(await stat(real)).isFile()) throw modelError(op, `'${name}' a regular file`, 'a device, pipe, socket or folder', 'a checkpoint holds plain files only');
  const handle = await open(real, 'r').catch((error: Error) => {
    throw modelError(op, `a readable '${name}' in '${folder}'`, error.message);
  });
  try {
    const stats = await handle.stat();
    if (!stats.isFile()) throw modelError(op, `'${name}' a regular file`, 'a device, pipe, socket or folder', 'a checkpoint holds plain files only');
    const limit = Math.min(maxBytes, MAX_READ_BYTES);
    if (stats.size > limit) {
      throw modelError(
        op,
        `'${name}' of at most ${limit} bytes`,
        `${stats.size} bytes`,
        'the file is larger than anything its config describes; is it the right file?',
      );
    }
    const bytes = Buffer.allocUnsafe(stats.size);
    let at = 0;
    while (at < bytes.length) {
      const { bytesRead } = await handle.read(bytes, at, bytes.length - at, at);
      if (bytesRead === 0) throw modelError(op, `'${name}' of ${stats.size} bytes`, `${at} bytes (it shrank while being read)`);
      at += bytesRead;
    }
    return bytes;
  } finally {
    await handle.close();
  }
}
