import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { env } from './env';
import { compileWasm, defaultWasmUrl, resolveWasmUrl } from './wasm-source';
import { initKernels, initWasm } from './wasm-module';

// The loading rules behind env.wasm.wasmPaths and initWasm({ url }), in Node, against a local
// server (the bundler workspace checks the same in Chromium).
const bytes = readFileSync(fileURLToPath(defaultWasmUrl()));
let server: Server;
let base: string;

beforeAll(async () => {
  server = createServer((request, response) => {
    const path = new URL(request.url ?? '/', 'http://x').pathname;
    if (path === '/assets/kernels_bg.wasm' || path === '/cdn/custom.wasm') {
      response.writeHead(200, { 'content-type': 'application/wasm' }).end(bytes);
    } else if (path === '/spa/kernels_bg.wasm') {
      response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end('<!doctype html><p>app</p>');
    } else if (path === '/octet/kernels_bg.wasm') {
      response.writeHead(200, { 'content-type': 'application/octet-stream' }).end('not wasm at all');
    } else {
      response.writeHead(404).end();
    }
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const address = server.address();
  if (!address || typeof address === 'string') throw new Error('no port');
  base = `http://127.0.0.1:${address.port}`;
});

afterAll(async () => {
  await new Promise((done) => server.close(done));
});

afterEach(() => {
  delete env.wasm.wasmPaths;
});

describe('env.wasm.wasmPaths', () => {
  it('defaults to the .wasm beside the package', () => {
    expect(resolveWasmUrl()).toEqual({ url: defaultWasmUrl(), setting: 'the default URL beside the package' });
  });

  it('takes a folder (kernels_bg.wasm appended, with or without the slash) or the file itself', () => {
    env.wasm.wasmPaths = `${base}/assets/`;
    expect(resolveWasmUrl().url.href).toBe(`${base}/assets/kernels_bg.wasm`);
    env.wasm.wasmPaths = new URL(`${base}/assets`);
    expect(resolveWasmUrl().url.href).toBe(`${base}/assets/kernels_bg.wasm`);
    env.wasm.wasmPaths = `${base}/cdn/custom.wasm`;
    expect(resolveWasmUrl()).toEqual({ url: new URL(`${base}/cdn/custom.wasm`), setting: 'env.wasm.wasmPaths' });
  });

  it('is one object for the ESM and CJS builds (a Symbol.for global)', () => {
    expect((globalThis as Record<symbol, unknown>)[Symbol.for('wattformer.backend-wasm.env')]).toBe(env);
  });

  it('loads from the folder it names', async () => {
    env.wasm.wasmPaths = `${base}/assets/`;
    expect(await compileWasm(undefined)).toBeInstanceOf(WebAssembly.Module);
  });

  it('refuses a relative setting where there is no page to resolve it against', () => {
    env.wasm.wasmPaths = 'assets/';
    expect(() => resolveWasmUrl()).toThrow(
      /^backend-wasm: init: expected env\.wasm\.wasmPaths to be a URL \(absolute, or relative to the page\), got "assets\/"\nhelp: .*env\.wasm\.wasmPaths/,
    );
  });
});

describe('initWasm({ url })', () => {
  it('loads the kernels from the URL given (and later calls share the instance)', async () => {
    await expect(initWasm({ url: `${base}/cdn/custom.wasm` })).resolves.toBeUndefined();
    const { memory } = await initKernels();
    expect(memory).toBeInstanceOf(WebAssembly.Memory);
  });
});

describe('a misplaced .wasm names the setting that chose it', () => {
  it('HTTP 404 from env.wasm.wasmPaths', async () => {
    env.wasm.wasmPaths = `${base}/missing/`;
    await expect(compileWasm(undefined)).rejects.toThrow(
      new RegExp(
        `^backend-wasm: init: expected the kernels \\.wasm at ${base}/missing/kernels_bg\\.wasm \\(env\\.wasm\\.wasmPaths\\), got HTTP 404\\nhelp: .*env\\.wasm\\.wasmPaths = '/assets/'.*initWasm\\(\\{ url \\}\\)`,
      ),
    );
  });

  it('HTTP 404 from initWasm({ url })', async () => {
    await expect(compileWasm(`${base}/nope.wasm`)).rejects.toThrow(/\(initWasm\(\{ url \}\)\), got HTTP 404\nhelp: /);
  });

  it('a page served in its place (text/html)', async () => {
    env.wasm.wasmPaths = `${base}/spa/`;
    await expect(compileWasm(undefined)).rejects.toThrow(/served as application\/wasm, got content-type text\/html\nhelp: .*env\.wasm\.wasmPaths/);
  });

  it('bytes that are not WebAssembly', async () => {
    env.wasm.wasmPaths = `${base}/octet/`;
    await expect(compileWasm(undefined)).rejects.toThrow(
      /expected a WebAssembly binary \(starting 00 61 73 6d\) from .*\/octet\/kernels_bg\.wasm \(env\.wasm\.wasmPaths\), got 15 bytes starting 6e 6f 74 20\nhelp: /,
    );
    await expect(compileWasm(new Uint8Array([1, 2]))).rejects.toThrow(/got 2 bytes starting 01 02/);
  });

  it('a server that cannot be reached', async () => {
    await expect(compileWasm('http://127.0.0.1:1/kernels_bg.wasm')).rejects.toThrow(
      /at http:\/\/127\.0\.0\.1:1\/kernels_bg\.wasm \(initWasm\(\{ url \}\)\), got a failed fetch/,
    );
  });
});
