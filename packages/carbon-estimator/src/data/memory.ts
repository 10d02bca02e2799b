/**
 * Memory power per GB of memory *available* (not used), as in Green Algorithms (Lannelongue,
 * Grealey, Inouye 2021, Advanced Science; `GreenAlgorithms/green-algorithms-tool`
 * data/<version>/referenceValues.csv: 0.3725 W/GB). CodeCarbon v3 models DIMMs instead (5 W per DIMM).
 */
export const MEMORY_WATTS_PER_GB = {
  value: 0.3725,
  source: 'Green Algorithms (Lannelongue et al. 2021) referenceValues.csv: 0.3725 W per GB available',
} as const;
