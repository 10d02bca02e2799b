import { afterEach, describe, expect, it, vi } from 'vitest';
import { createCpuBackend } from './cpu/cpu-backend';
import { AUTO_PRIORITY, getBackend, getBackendName, listBackends, memory, registerBackend, setBackend, tensor, WattformerError } from './index';

afterEach(async () => {
  await setBackend('cpu');
});

describe('backend registry', () => {
  it('starts on cpu without setup', () => {
    expect(getBackendName()).toBe('cpu');
    expect(listBackends()).toContain('cpu');
  });

  it('lists the valid names for an unknown backend', async () => {
    registerBackend('test-listed', () => createCpuBackend());
    await expect(setBackend('tpu')).rejects.toThrow(/^core: setBackend: expected backend to be one of 'cpu', .*'test-listed'.*, got 'tpu'$/);
  });

  it('refuses ops while a backend is initialising, then works once awaited', async () => {
    let finish: () => void = () => undefined;
    registerBackend(
      'slow',
      () =>
        new Promise((resolve) => {
          finish = () => resolve({ ...createCpuBackend(), name: 'slow' });
        }),
    );
    const pending = setBackend('slow');
    expect(() => tensor([1])).toThrow(
      /^core: tensor: expected backend 'slow' to be ready, got an initialisation still in progress\nhelp: await setBackend\('slow'\)/,
    );
    finish();
    await pending;
    expect(getBackendName()).toBe('slow');
    expect(tensor([1]).backend.name).toBe('slow');
  });

  it('keeps the previous backend when a factory fails', async () => {
    registerBackend('broken', () => Promise.reject(new Error('no device')));
    await expect(setBackend('broken')).rejects.toThrow('no device');
    expect(getBackendName()).toBe('cpu');
    expect(tensor([2]).itemSync()).toBe(2);
  });

  it('refuses to mix tensors of two backends, before allocating', async () => {
    const onCpu = tensor([1, 2]);
    registerBackend('other', () => ({ ...createCpuBackend(), name: 'other' }));
    await setBackend('other');
    const onOther = tensor([1, 2]);
    const before = memory();
    expect(() => onCpu.add(onOther)).toThrow(/^core: add: expected tensors on the active backend 'other', got a f32 \[2\] tensor on 'cpu'/);
    expect(memory().liveTensors).toBe(before.liveTensors);
  });
});

// Registered names persist for the file, so these run in order: nothing, then wasm, then webgpu.
describe("setBackend('auto')", () => {
  const logged: string[] = [];
  const log = (line: string) => logged.push(line);
  afterEach(() => {
    logged.length = 0;
  });

  it('tries webgpu, then wasm, then cpu', () => {
    expect(AUTO_PRIORITY).toEqual(['webgpu', 'wasm', 'cpu']);
  });

  it('falls back to cpu when no other backend package was imported, and says why in one line', async () => {
    expect(listBackends()).not.toContain('webgpu');
    const backend = await setBackend('auto', { log });
    expect(backend.name).toBe('cpu');
    expect(getBackendName()).toBe('cpu');
    expect(logged).toEqual([
      "core: setBackend('auto'): using 'cpu' (fell back: webgpu: not registered (import '@wattformer/backend-webgpu'); wasm: not registered (import '@wattformer/backend-wasm'))",
    ]);
  });

  it('picks wasm over cpu, and wasm when the webgpu factory finds no adapter', async () => {
    registerBackend('wasm', () => ({ ...createCpuBackend(), name: 'wasm' }));
    registerBackend('webgpu', () => {
      throw new WattformerError('E_UNSUPPORTED', {
        packageName: 'backend-webgpu',
        op: 'init',
        expected: 'a WebGPU adapter',
        got: 'requestAdapter() returned null',
        help: "use setBackend('wasm')",
      });
    });
    const backend = await setBackend('auto', { log });
    expect(backend.name).toBe('wasm');
    expect(getBackendName()).toBe('wasm');
    expect(getBackend()).toBe(backend);
    expect(tensor([1, 2]).backend).toBe(backend);
    // The failure's first line only: the help line would break the one-line log.
    expect(logged).toEqual([
      "core: setBackend('auto'): using 'wasm' (fell back: webgpu: backend-webgpu: init: expected a WebGPU adapter, got requestAdapter() returned null)",
    ]);
  });

  it('picks webgpu when its factory succeeds, and reports the real name', async () => {
    let created = 0;
    registerBackend('webgpu', async () => {
      created += 1;
      return { ...createCpuBackend(), name: 'webgpu' };
    });
    const backend = await setBackend('auto', { log });
    expect(backend.name).toBe('webgpu');
    expect(getBackendName()).toBe('webgpu');
    expect(logged).toEqual(["core: setBackend('auto'): using 'webgpu' (the first choice)"]);
    // Instances are made once: a second 'auto' reuses it.
    expect(await setBackend('auto', { log })).toBe(backend);
    expect(created).toBe(1);
  });

  it('logs with console.info by default', async () => {
    const info = vi.spyOn(console, 'info').mockImplementation(() => undefined);
    try {
      await setBackend('auto');
      expect(info).toHaveBeenCalledTimes(1);
      expect(info.mock.calls[0]![0]).toMatch(/^core: setBackend\('auto'\): using 'webgpu'/);
    } finally {
      info.mockRestore();
    }
  });

  it("reserves the name 'auto' and lists it among the choices", async () => {
    expect(() => registerBackend('auto', () => createCpuBackend())).toThrow(
      /^core: registerBackend: expected a non-empty backend name other than 'auto', got "auto"\nhelp: /,
    );
    await expect(setBackend('gpu')).rejects.toThrow(/^core: setBackend: expected backend to be one of 'cpu', .*'webgpu', 'auto', got 'gpu'$/);
  });
});
