import { afterEach, describe, expect, it } from 'vitest';
import { createCpuBackend } from './cpu/cpu-backend';
import { getBackendName, listBackends, memory, registerBackend, setBackend, tensor } from './index';

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
      () => new Promise((resolve) => {
        finish = () => resolve({ ...createCpuBackend(), name: 'slow' });
      }),
    );
    const pending = setBackend('slow');
    expect(() => tensor([1])).toThrow(/^core: tensor: expected backend 'slow' to be ready, got an initialisation still in progress\nhelp: await setBackend\('slow'\)/);
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
