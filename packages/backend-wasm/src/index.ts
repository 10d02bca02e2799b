// Node entry (`exports` conditions `import`/`require`): the browser entry plus reading the
// packaged `.wasm` from disk. Browser bundlers pick `browser.ts` through the `browser` condition.
import './node-file';

export * from './public';
