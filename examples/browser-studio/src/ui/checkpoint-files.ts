/**
 * Checkpoints as files: save downloads `<name>.safetensors` and `<name>.config.json`; load takes
 * both from one file input (in any order).
 */
import { studioError } from '../errors';
import type { CheckpointFiles } from '../protocol';

function download(blob: Blob, filename: string): void {
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = filename;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

export function downloadCheckpoint(files: CheckpointFiles, name: string): void {
  download(new Blob([files.weights as Uint8Array<ArrayBuffer>], { type: 'application/octet-stream' }), `${name}.safetensors`);
  download(new Blob([files.config], { type: 'application/json' }), `${name}.config.json`);
}

export async function readCheckpoint(list: FileList | null): Promise<CheckpointFiles> {
  const files = [...(list ?? [])];
  const weights = files.find((file) => file.name.endsWith('.safetensors'));
  const config = files.find((file) => file.name.endsWith('.json'));
  if (!weights || !config) {
    const got = files.length === 0 ? 'no files' : files.map((file) => file.name).join(', ');
    throw studioError(
      'loadCheckpoint',
      'a .safetensors file and its .config.json, picked together',
      got,
      'select both files saved by "Save checkpoint" (Ctrl/Cmd-click)',
    );
  }
  return { weights: new Uint8Array(await weights.arrayBuffer()), config: await config.text() };
}
