import { defineConfig, type Plugin } from 'vite';
import { tangPoemsCorpus } from './scripts/tang-poems';

/** COOP/COEP: the page is cross-origin isolated, so SharedArrayBuffer and wasm threads work. */
const isolation = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
};

/**
 * The studio only uses the character tokenizer; `getEncoding` imports each tiktoken vocabulary
 * (megabytes each) on demand, and Vite would bundle them all. This resolves those imports to a
 * module that refuses with a clear message instead.
 */
function withoutTiktokenVocabularies(): Plugin {
  const prefix = '@wattformer/tokenizer/encodings/';
  return {
    name: 'studio-without-tiktoken-vocabularies',
    enforce: 'pre',
    resolveId(id) {
      return id.startsWith(prefix) ? `\0studio-encoding:${id.slice(prefix.length)}` : null;
    },
    load(id) {
      if (!id.startsWith('\0studio-encoding:')) return null;
      const name = JSON.stringify(id.slice('\0studio-encoding:'.length));
      return `throw new Error("browser-studio: getEncoding: expected an encoding bundled in the studio, got " + ${name} + "\\nhelp: the studio ships only the character tokenizer; remove withoutTiktokenVocabularies() from vite.config.ts to bundle tiktoken vocabularies");`;
    },
  };
}

/** `virtual:tang-poems`: the built-in Chinese text, read from the chinese-poetry package at build time. */
function tangPoems(): Plugin {
  const id = 'virtual:tang-poems';
  return {
    name: 'studio-tang-poems',
    resolveId: (source) => (source === id ? `\0${id}` : null),
    load: (resolved) => (resolved === `\0${id}` ? `export default ${JSON.stringify(tangPoemsCorpus())};` : null),
  };
}

export default defineConfig({
  base: './',
  plugins: [withoutTiktokenVocabularies(), tangPoems()],
  server: { headers: isolation },
  preview: { headers: isolation },
  // The worker is bundled separately and takes only the plugins listed here.
  worker: { format: 'es', plugins: () => [withoutTiktokenVocabularies()] },
  build: { target: 'es2022', chunkSizeWarningLimit: 2048 },
});
