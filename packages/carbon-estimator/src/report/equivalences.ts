import { EQUIVALENCE_FACTORS, type EquivalenceFactor } from '../data/equivalences';
import { scale, type Range } from '../interval';
import type { Equivalence } from './schema';

/** Car km and flights for a CO2e range; pass your own factors to override the defaults. */
export function equivalencesFor(co2eKg: Range, factors: readonly EquivalenceFactor[] = EQUIVALENCE_FACTORS): Equivalence[] {
  return factors.map((factor) => ({
    label: factor.label,
    amount: scale(co2eKg, 1 / factor.kgPerUnit),
    unit: factor.unit,
    source: factor.source,
  }));
}
