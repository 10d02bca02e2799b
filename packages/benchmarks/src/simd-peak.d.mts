export type PeakFlavour = 'simd128' | 'relaxed';
export interface PeakRun {
  readonly chains: number;
  readonly run: (iterations: number) => number;
  readonly flopsPerIteration: number;
}
export function peakModuleBytes(flavour: PeakFlavour, chains: number): Uint8Array<ArrayBuffer>;
export function peakSupported(flavour: PeakFlavour): boolean;
export function createPeakProbe(flavour: PeakFlavour): PeakRun[];
export function measurePeak(probe: readonly PeakRun[], ms?: number): { wall: number; cpu: number };
