// Node entry only: `initWasm()` reads the packaged `.wasm` from disk (fetch cannot read `file:`).
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { setLocalFileReader } from './local-file';

setLocalFileReader((url) => readFile(fileURLToPath(url)));
