/**
 * Everyday equivalents for a CO2e figure. These two figures are not in carbon-reference.md;
 * each is quoted as printed in its source, with its date.
 */
export interface EquivalenceFactor {
  readonly id: 'car-km' | 'flight-ny-sf';
  readonly label: string;
  /** kg CO2e per unit. */
  readonly kgPerUnit: number;
  readonly unit: string;
  readonly source: string;
}

/** Everyday equivalents of a mass of CO2e (car km, flights, …), each with its factor and source. */
export const EQUIVALENCE_FACTORS: readonly EquivalenceFactor[] = [
  {
    id: 'car-km',
    label: 'km driven by an average passenger car',
    // 400 g CO2 per mile = 248.5 g per km (tailpipe CO2 only).
    kgPerUnit: 0.4 / 1.609344,
    unit: 'km',
    source: 'US EPA, "Greenhouse Gas Emissions from a Typical Passenger Vehicle" (EPA-420-F-23-014, June 2023): about 400 g CO2 per mile',
  },
  {
    id: 'flight-ny-sf',
    label: 'round-trip flights New York - San Francisco, one passenger',
    // 1,984 lb CO2e = 900 kg.
    kgPerUnit: 1984 * 0.45359237,
    unit: 'flights',
    source: 'Strubell, Ganesh, McCallum 2019, "Energy and Policy Considerations for Deep Learning in NLP", Table 1: 1,984 lbs CO2e',
  },
];
