/// <reference types="@webgpu/types" />

/** How a kernel binds one buffer: inputs read-only, outputs (and in-place state) read-write. */
export type Access = 'read' | 'write';

/**
 * Compute pipelines cached by WGSL source + entry point, with explicit bind group layouts
 * (binding i = the i-th buffer, in order), so a shader may declare bindings an entry point does
 * not use and one buffer may be bound to two read-only slots.
 */
export class PipelineCache {
  readonly #modules = new Map<string, GPUShaderModule>();
  readonly #pipelines = new Map<string, GPUComputePipeline>();
  readonly #layouts = new Map<string, GPUBindGroupLayout>();

  constructor(private readonly device: GPUDevice) {}

  get(code: string, entryPoint: string, access: readonly Access[]): { pipeline: GPUComputePipeline; layout: GPUBindGroupLayout } {
    const signature = access.join(',');
    const layout = this.#layout(signature, access);
    const key = `${entryPoint}\u0000${signature}\u0000${code}`;
    let pipeline = this.#pipelines.get(key);
    if (!pipeline) {
      let module = this.#modules.get(code);
      if (!module) {
        module = this.device.createShaderModule({ code });
        this.#modules.set(code, module);
      }
      pipeline = this.device.createComputePipeline({
        layout: this.device.createPipelineLayout({ bindGroupLayouts: [layout] }),
        compute: { module, entryPoint },
      });
      this.#pipelines.set(key, pipeline);
    }
    return { pipeline, layout };
  }

  #layout(signature: string, access: readonly Access[]): GPUBindGroupLayout {
    let layout = this.#layouts.get(signature);
    if (!layout) {
      layout = this.device.createBindGroupLayout({
        entries: access.map((a, binding) => ({
          binding,
          visibility: 0x4, // GPUShaderStage.COMPUTE
          buffer: { type: a === 'read' ? 'read-only-storage' : 'storage' },
        })),
      });
      this.#layouts.set(signature, layout);
    }
    return layout;
  }

  get size(): number {
    return this.#pipelines.size;
  }
}
