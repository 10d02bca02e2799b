import { version } from '../package.json';

/** Written to CodeCarbon's `codecarbon_version` column so a row names the tool that made it. */
export const TOOL_VERSION = `@wattformer/carbon-estimator ${version}`;
