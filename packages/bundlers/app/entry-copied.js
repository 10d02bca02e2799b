// esbuild, Rollup: the build copies @wattformer/backend-wasm/kernels.wasm next to the page, and
// the app says where it is before the backend loads.
import { render } from './main.js';

render(document.getElementById('result'), './');
