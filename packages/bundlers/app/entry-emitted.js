// Vite, webpack 5: the bundler sees `new URL('../wasm/kernels_bg.wasm', import.meta.url)` in
// @wattformer/backend-wasm and emits the .wasm itself; nothing to set.
import { render } from './main.js';

render(document.getElementById('result'));
