/** Reads a `file:` URL; installed by the Node entry only, so browser builds carry no Node built-in. */
export type LocalFileReader = (url: URL) => Promise<BufferSource>;

let reader: LocalFileReader | undefined;

export function setLocalFileReader(read: LocalFileReader): void {
  reader = read;
}

export function localFileReader(): LocalFileReader | undefined {
  return reader;
}
