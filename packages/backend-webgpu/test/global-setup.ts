import { useSoftwareVulkan } from './vulkan-environment';

/**
 * Runs in vitest's main process before any test worker is forked, so workers inherit the Vulkan
 * driver settings (the dynamic loader reads LD_LIBRARY_PATH only when a process starts).
 */
export default function setup(): void {
  console.log(`backend-webgpu tests: ${useSoftwareVulkan()}`);
}
