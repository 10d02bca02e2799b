// Browser entry: everything runtime-neutral plus the modelled browser tracker. No Node imports.
export * from './universal';
export { BrowserTracker, type BrowserTrackerOptions } from './tracker/browser-tracker';
