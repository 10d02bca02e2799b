/**
 * The studio's errors, in the project's format: `browser-studio: <op>: expected <x>, got <y>`
 * plus a `help:` line, so a bad checkpoint or text says what to do about it.
 */
export class StudioError extends Error {
  constructor(op: string, expected: string, got: string, help?: string) {
    super(`browser-studio: ${op}: expected ${expected}, got ${got}${help ? `\nhelp: ${help}` : ''}`);
    this.name = 'StudioError';
  }
}

export function studioError(op: string, expected: string, got: string, help?: string): StudioError {
  return new StudioError(op, expected, got, help);
}
