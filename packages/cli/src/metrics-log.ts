/**
 * The run folder's `metrics.jsonl` (issue #12, run folders): one JSON object per line, each with
 * its `step`. Opening it for a resumed run keeps only the lines of steps ≤ the checkpoint's step
 * (a run killed between checkpoints had logged steps that the resumed run redoes) and drops a
 * partial or unreadable line (a kill or a full disk mid-write), so appends always start on a
 * fresh line and no step appears twice. The kept lines are rewritten through a temporary file
 * and a rename, so a crash while opening leaves the old file whole. A new run starts it empty.
 */
import { appendFile, readFile, rename, writeFile } from 'node:fs/promises';

export interface MetricsLog {
  readonly path: string;
  /** Lines dropped when opening (steps after the resume point, partial or unreadable lines). */
  readonly dropped: number;
  append(record: { readonly step: number } & Record<string, unknown>): Promise<void>;
}

/** Opens `path` for a run that starts after `resumeStep` (0: a new run, the file starts empty). */
export async function openMetricsLog(path: string, resumeStep: number): Promise<MetricsLog> {
  let dropped = 0;
  if (resumeStep === 0) {
    await writeFile(path, '');
  } else {
    const text = await readFile(path, 'utf8').catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') return '';
      throw error;
    });
    const complete = text.split('\n');
    if (complete.pop() !== '') dropped++; // text after the last newline: a partial line
    const kept = complete.filter((line) => {
      const step = stepOf(line);
      const keep = step !== undefined && step <= resumeStep;
      if (!keep) dropped++;
      return keep;
    });
    if (dropped > 0) {
      const temporary = `${path}.tmp-${process.pid}`;
      await writeFile(temporary, kept.map((line) => `${line}\n`).join(''));
      await rename(temporary, path);
    }
  }
  return {
    path,
    dropped,
    append: (record) => appendFile(path, `${JSON.stringify(record)}\n`),
  };
}

function stepOf(line: string): number | undefined {
  try {
    const value: unknown = JSON.parse(line);
    const step = typeof value === 'object' && value !== null ? (value as { step?: unknown }).step : undefined;
    return typeof step === 'number' && Number.isInteger(step) && step >= 0 ? step : undefined;
  } catch {
    return undefined;
  }
}
