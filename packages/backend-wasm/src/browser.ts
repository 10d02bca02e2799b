// Browser entry (`exports` condition `browser`): no Node built-in is imported from here.
export * from './public';
