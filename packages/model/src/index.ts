export { countGptParameters, gptPresets } from './gpt-config';
export type { GptConfig, ParameterCount } from './gpt-config';
export { gptLogits, gptLoss, initGptParameters } from './gpt';
export type { GptParameters } from './gpt';
