/**
 * Progress for a pass over the data (reading, training a tokenizer, tokenizing): on a terminal one
 * line redrawn in place, otherwise a plain line every few seconds, always on stderr so stdout
 * stays the command's output.
 */
export interface ProgressLine {
  update(done: number, detail?: string): void;
  finish(detail?: string): void;
}

export function progressLine(label: string, total: number, format: (n: number) => string, stream: NodeJS.WriteStream = process.stderr): ProgressLine {
  const tty = Boolean(stream.isTTY);
  const every = tty ? 200 : 5000;
  const started = Date.now();
  let last = 0;
  const line = (done: number, detail?: string) => {
    const percent = total > 0 ? ` ${Math.min(100, (100 * done) / total).toFixed(0)}%` : '';
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    return `${label}:${percent} (${format(done)}${total > 0 ? ` of ${format(total)}` : ''}) ${seconds} s${detail ? `, ${detail}` : ''}`;
  };
  return {
    update(done, detail) {
      const now = Date.now();
      if (now - last < every) return;
      last = now;
      stream.write(tty ? `\r${line(done, detail)}\u001b[K` : `${line(done, detail)}\n`);
    },
    finish(detail) {
      stream.write(tty ? `\r${line(total, detail)}\u001b[K\n` : `${line(total, detail)}\n`);
    },
  };
}
