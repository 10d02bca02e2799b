// Filled by its issue; see README.md.
export const packageName = '@wattformer/tokenizer';
