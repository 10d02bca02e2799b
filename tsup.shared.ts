import type { Options } from 'tsup';

/** The build every public package shares: ESM + CJS + .d.ts, ES2022, sourcemaps. */
export function packageBuild(overrides: Partial<Options> = {}): Options {
  return {
    entry: ['src/index.ts'],
    format: ['esm', 'cjs'],
    dts: true,
    sourcemap: true,
    clean: true,
    target: 'es2022',
    // `import.meta.url` in the CJS build becomes a file URL of the .cjs file.
    shims: true,
    ...overrides,
  };
}
