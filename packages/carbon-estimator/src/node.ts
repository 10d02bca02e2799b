// Node entry: everything runtime-neutral plus the live tracker (RAPL, nvidia-smi) and CSV files.
export * from './universal';
export { BrowserTracker, type BrowserTrackerOptions } from './tracker/browser-tracker';
export { NodeTracker, appendEmissionsCsv, type NodeTrackerOptions, type TrackerSummary } from './tracker/node-tracker';
export { probeRapl, RaplCounter, type RaplDomain, type RaplProbe, type RaplStatus } from './tracker/rapl';
export { NVIDIA_SMI_ARGS, parseNvidiaSmi, queryNvidiaSmi, type CommandRunner, type GpuQuery, type GpuSample } from './tracker/nvidia-smi';
export { execFileRunner } from './tracker/node-command-runner';
