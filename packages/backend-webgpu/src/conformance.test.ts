import { describeConformance, describeGradientChecks } from '@wattformer/backend-conformance/vitest';
import { afterAll } from 'vitest';
import { disposeSoftwareBackends, softwareWebGpuBackend } from '../test/software-backend';

afterAll(disposeSoftwareBackends);

// Every op, forward and gradient, against the cpu oracle with the suite's named tolerances, and
// the refusal checks: index refusals pass because uploaded i32 tensors keep a host copy
// (index-checks.ts).
describeConformance('webgpu', softwareWebGpuBackend, { timeoutMs: 170_000 });

// Autograd through the WGSL kernels against central finite differences.
describeGradientChecks('webgpu', softwareWebGpuBackend, { timeoutMs: 170_000 });
