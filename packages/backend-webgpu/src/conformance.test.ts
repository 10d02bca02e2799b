import { describeConformance } from '@wattformer/backend-conformance/vitest';
import { afterAll } from 'vitest';
import { disposeSoftwareBackends, softwareWebGpuBackend } from '../test/software-backend';

afterAll(disposeSoftwareBackends);

describeConformance('webgpu', softwareWebGpuBackend, { timeoutMs: 170_000 });
