import { describeAttentionChecks } from '../test/attention-checks';

// The tiled attention kernels on the default test adapter (SwiftShader, see test/vulkan-environment.ts).
describeAttentionChecks(process.env.VK_ICD_FILENAMES ? `VK_ICD_FILENAMES=${process.env.VK_ICD_FILENAMES}` : 'the default adapter', { large: true });
