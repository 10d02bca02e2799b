// The runtime-neutral entry: projection, data, reports, CSV. Trackers: `/node` or `/browser`.
export * from './universal';
