export { countGptParameters, gptPresets } from './gpt-config';
export type { GptConfig, ParameterCount } from './gpt-config';
