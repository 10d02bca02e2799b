import { defineConfig } from 'tsup';
import { packageBuild } from '../../tsup.shared';

// The declarations name WebGPU's global types (GPUDevice, GPU): point consumers at them.
export default defineConfig(packageBuild({ dts: { banner: '/// <reference types="@webgpu/types" />' } }));
