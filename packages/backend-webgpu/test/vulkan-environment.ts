import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname } from 'node:path';

const CHROMIUM_ICD = '/usr/lib/chromium/vk_swiftshader_icd.json';

/** SwiftShader's Vulkan ICD as Debian's chromium ships it, or null where it is not installed. */
export function findSwiftShaderIcd(): string | null {
  if (existsSync(CHROMIUM_ICD)) return CHROMIUM_ICD;
  try {
    const files = execFileSync('dpkg', ['-L', 'chromium-common'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
    return files.split('\n').find((line) => line.endsWith('/vk_swiftshader_icd.json')) ?? null;
  } catch {
    return null;
  }
}

/**
 * Points Dawn's Vulkan loader at SwiftShader (a CPU Vulkan driver) unless the caller already
 * chose a driver with VK_ICD_FILENAMES. Runs in vitest's main process, before test workers are
 * forked, because the dynamic loader reads LD_LIBRARY_PATH only when a process starts; CI runs
 * `turbo run test`, which passes no such variables through. Returns a line for the test log.
 */
export function useSoftwareVulkan(env: NodeJS.ProcessEnv = process.env): string {
  const describe = (line: string): string => {
    env.WATTFORMER_WEBGPU_DRIVER = line;
    return line;
  };
  if (env.VK_ICD_FILENAMES) return describe(`Vulkan driver from VK_ICD_FILENAMES=${env.VK_ICD_FILENAMES}`);
  const icd = findSwiftShaderIcd();
  if (icd === null) return describe('no Vulkan driver: SwiftShader not found (apt-get install chromium) and VK_ICD_FILENAMES unset');
  const directory = dirname(icd);
  env.VK_ICD_FILENAMES = icd;
  // Chromium's directory also holds the libvulkan.so.1 loader that Dawn dlopens.
  env.LD_LIBRARY_PATH = env.LD_LIBRARY_PATH ? `${directory}:${env.LD_LIBRARY_PATH}` : directory;
  return describe(`Vulkan driver: SwiftShader from ${icd}`);
}
