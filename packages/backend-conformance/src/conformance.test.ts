import { createCpuBackend } from '@wattformer/core';
import { describeConformance, describeGradientChecks, describeLeakCheck } from './vitest';
import { createFusedReferenceBackend } from './fused-reference/fused-reference-backend';

// cpu against itself: trivially equal, but it proves every case runs end to end on the oracle.
describeConformance('cpu', () => createCpuBackend());

// The fused half of the Backend interface: every optional kernel, in plain TypeScript, against
// the default bodies core builds from primitives. Not trivially equal: different algorithms.
describeConformance('cpu-fused-reference', () => createFusedReferenceBackend());

// The real proof of the gradients on cpu: autograd against central finite differences.
describeGradientChecks('cpu', () => createCpuBackend());
describeGradientChecks('cpu-fused-reference', () => createFusedReferenceBackend());

// The leak test (moved here from core so every backend runs the same one).
describeLeakCheck('cpu', () => createCpuBackend());
