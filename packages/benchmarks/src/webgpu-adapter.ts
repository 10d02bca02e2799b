/// <reference types="@webgpu/types" />
/**
 * The WebGPU side of the webgpu bench: one Dawn instance (npm `webgpu`) for wattformer and TF.js,
 * the Vulkan driver it runs on, and whether that adapter is software (whose speed means nothing).
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname } from 'node:path';
import { create, globals } from 'webgpu';

const SWIFTSHADER_ICD = '/usr/lib/chromium/vk_swiftshader_icd.json';
/** Vendors and architectures of CPU implementations of WebGPU/Vulkan. */
const SOFTWARE = /swiftshader|llvmpipe|lavapipe|softpipe|warp|microsoft basic render/i;

export interface AdapterDescription {
  readonly vendor: string;
  readonly architecture: string;
  readonly device: string;
  readonly description: string;
  readonly isFallbackAdapter: boolean;
  /** True for SwiftShader, lavapipe and other CPU adapters: their timings say nothing about GPUs. */
  readonly software: boolean;
  readonly features: readonly string[];
  readonly driver: string;
}

/** The CPU Vulkan drivers the bench can run on without a GPU. */
export type SoftwareDriver = 'swiftshader' | 'lavapipe';

/** Mesa lavapipe as `scripts/fetch-lavapipe.sh` (backend-webgpu) leaves it, relative to the repository root. */
const LAVAPIPE_ICD = new URL('../../../.tmp/lavapipe/lvp_icd.json', import.meta.url).pathname;

/**
 * Without `--hardware` and without VK_ICD_FILENAMES, re-runs this process with a CPU Vulkan
 * driver: SwiftShader from Debian's chromium, or Mesa lavapipe (`--driver lavapipe`), whose
 * loader also comes from chromium's directory (the dynamic loader reads LD_LIBRARY_PATH only at
 * start), so `npm run bench` works on machines without a GPU. Returns only in the process that
 * should run the bench.
 */
export function ensureVulkanDriver(hardware: boolean, driver: SoftwareDriver = 'swiftshader'): void {
  if (hardware || process.env.VK_ICD_FILENAMES || process.env.WATTFORMER_BENCH_CHILD) return;
  if (!existsSync(SWIFTSHADER_ICD)) {
    console.error(
      `webgpu bench: expected SwiftShader at ${SWIFTSHADER_ICD} or VK_ICD_FILENAMES set, got neither\nhelp: apt-get install chromium, or run scripts/gpu/bench-webgpu.sh on a GPU machine`,
    );
    process.exit(2);
  }
  if (driver === 'lavapipe' && !existsSync(LAVAPIPE_ICD)) {
    console.error(`webgpu bench: expected lavapipe at ${LAVAPIPE_ICD}, got nothing\nhelp: run packages/backend-webgpu/scripts/fetch-lavapipe.sh`);
    process.exit(2);
  }
  const directory = dirname(SWIFTSHADER_ICD);
  const env = {
    ...process.env,
    WATTFORMER_BENCH_CHILD: '1',
    VK_ICD_FILENAMES: driver === 'lavapipe' ? LAVAPIPE_ICD : SWIFTSHADER_ICD,
    LD_LIBRARY_PATH: process.env.LD_LIBRARY_PATH ? `${directory}:${process.env.LD_LIBRARY_PATH}` : directory,
  };
  const child = spawnSync(process.execPath, [...process.execArgv, ...process.argv.slice(1)], { env, stdio: 'inherit' });
  process.exit(child.status ?? 1);
}

/** Dawn for this process, its globals installed and exposed as `navigator.gpu` (TF.js looks there). */
export function installDawn(): GPU {
  Object.assign(globalThis, globals);
  const gpu = create([]);
  Object.defineProperty(globalThis, 'navigator', { value: { gpu, userAgent: `Node.js ${process.version}` }, configurable: true });
  return gpu;
}

export async function describeAdapter(gpu: GPU): Promise<AdapterDescription | null> {
  const adapter = await gpu.requestAdapter({ powerPreference: 'high-performance' });
  if (!adapter) return null;
  const info = (adapter as GPUAdapter & { info: { vendor: string; architecture: string; device: string; description: string; isFallbackAdapter?: boolean } })
    .info;
  const isFallbackAdapter = info.isFallbackAdapter === true;
  const text = `${info.vendor} ${info.architecture} ${info.device} ${info.description}`;
  return {
    vendor: info.vendor,
    architecture: info.architecture,
    device: info.device,
    description: info.description,
    isFallbackAdapter,
    software: isFallbackAdapter || SOFTWARE.test(text),
    features: [...adapter.features].sort(),
    driver: process.env.VK_ICD_FILENAMES ? `VK_ICD_FILENAMES=${process.env.VK_ICD_FILENAMES}` : 'system Vulkan loader',
  };
}
