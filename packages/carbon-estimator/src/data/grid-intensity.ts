/**
 * Location-based, generation-side grid carbon intensity by country, gCO2e/kWh.
 * Two annual datasets per country (carbon-reference.md §3.5, gathered 2026):
 *  - Ember, as shipped by co2.js (`thegreenwebfoundation/co2.js: data/output/average-intensities.json`,
 *    v0.19.0, 2025-08 refresh); data CC BY 4.0 at source (marked CC BY-SA 4.0 by co2.js);
 *  - Our World in Data (Ember + Energy Institute), as shipped by CodeCarbon
 *    (`mlco2/codecarbon: codecarbon/data/private_infra/global_energy_mix.json`, 2024-07 refresh), CC BY 4.0.
 * A few countries also carry the figure a published footprint used. The central value is the
 * newest Ember figure; the interval spans every observation (datasets, years, papers).
 */
export interface IntensityObservation {
  readonly gramsPerKWh: number;
  readonly year: number;
  readonly source: string;
}

/**
 * A country's grid carbon intensity: ISO code, name, aliases and observations from Ember and Our World in Data.
 */
export interface CountryIntensity {
  /** ISO 3166-1 alpha-2, upper-case; `WORLD` for the world average. */
  readonly code: string;
  readonly name: string;
  readonly aliases: readonly string[];
  readonly observations: readonly IntensityObservation[];
}

export const EMBER_SOURCE = 'Ember via co2.js v0.19.0 average-intensities.json (2025-08 refresh)';
export const OWID_SOURCE = 'Our World in Data via CodeCarbon global_energy_mix.json (2024-07 refresh)';

type Row = readonly [code: string, name: string, ember: number, emberYear: number, owid: number | null, owidYear: number | null, aliases?: readonly string[]];

// Code, name, Ember, year, OWID, year (carbon-reference.md §3.5 table).
const ROWS: readonly Row[] = [
  ['WORLD', 'World', 473, 2024, null, null, ['world', 'global']],
  ['US', 'United States', 384, 2024, 369, 2023, ['usa', 'united-states']],
  ['CA', 'Canada', 185, 2024, 170, 2023],
  ['MX', 'Mexico', 483, 2024, 507, 2023],
  ['BR', 'Brazil', 106, 2024, 98, 2023],
  ['CL', 'Chile', 266, 2024, 291, 2023],
  ['AR', 'Argentina', 345, 2024, 354, 2023],
  ['GB', 'United Kingdom', 216, 2024, 238, 2023, ['uk', 'united-kingdom']],
  ['FR', 'France', 44, 2024, 56, 2023],
  ['DE', 'Germany', 342, 2024, 381, 2023],
  ['NL', 'Netherlands', 253, 2024, 268, 2023],
  ['BE', 'Belgium', 118, 2024, 138, 2023],
  ['IE', 'Ireland', 280, 2024, 291, 2023],
  ['ES', 'Spain', 146, 2024, 174, 2023],
  ['PT', 'Portugal', 112, 2024, 166, 2023],
  ['IT', 'Italy', 288, 2024, 331, 2023],
  ['CH', 'Switzerland', 37, 2024, 35, 2023],
  ['AT', 'Austria', 103, 2024, 111, 2023],
  ['ZA', 'South Africa', 714, 2024, 708, 2023],
  ['SA', 'Saudi Arabia', 692, 2024, 707, 2022],
  ['KZ', 'Kazakhstan', 802, 2024, 821, 2023],
  ['PL', 'Poland', 615, 2024, 662, 2023],
  ['CZ', 'Czechia', 414, 2024, 450, 2023],
  ['DK', 'Denmark', 143, 2024, 152, 2023],
  ['NO', 'Norway', 31, 2024, 30, 2023],
  ['SE', 'Sweden', 36, 2024, 41, 2023],
  ['FI', 'Finland', 72, 2024, 79, 2023],
  ['IS', 'Iceland', 28, 2023, 28, 2022],
  ['RU', 'Russia', 446, 2024, 441, 2023],
  ['TR', 'Türkiye', 470, 2024, 465, 2023, ['turkey']],
  ['CN', 'China', 558, 2024, 582, 2023],
  ['IN', 'India', 709, 2024, 713, 2023],
  ['JP', 'Japan', 484, 2024, 485, 2023],
  ['KR', 'South Korea', 416, 2024, 431, 2023],
  ['TW', 'Taiwan', 635, 2024, 642, 2023],
  ['SG', 'Singapore', 499, 2024, 471, 2023],
  ['ID', 'Indonesia', 682, 2023, 676, 2022],
  ['VN', 'Vietnam', 486, 2024, 475, 2023],
  ['AU', 'Australia', 554, 2024, 549, 2023],
  ['NZ', 'New Zealand', 120, 2024, 113, 2023],
  ['AE', 'United Arab Emirates', 468, 2024, 561, 2022, ['uae']],
  ['IL', 'Israel', 567, 2023, 583, 2022],
];

// Figures that published footprints used for a whole country (carbon-reference.md §1, §3.5).
const PAPER_OBSERVATIONS: Readonly<Record<string, readonly IntensityObservation[]>> = {
  US: [
    { gramsPerKWh: 429, year: 2020, source: 'Patterson et al. 2021 (US average used for GPT-3)' },
    { gramsPerKWh: 433, year: 2019, source: 'Strubell et al. 2019 (0.954 lb/kWh)' },
    { gramsPerKWh: 385, year: 2023, source: 'Touvron et al. 2023 (Llama 2, implied US average)' },
  ],
  FR: [{ gramsPerKWh: 57, year: 2022, source: 'Luccioni et al. 2022 (Jean Zay, France)' }],
  WORLD: [
    { gramsPerKWh: 475, year: 2019, source: 'IEA 2019 (CodeCarbon and Green Algorithms default)' },
    { gramsPerKWh: 481, year: 2022, source: 'carbontracker constants (world average)' },
  ],
};

/** Grid carbon intensity (gCO2e/kWh) of every country and the world average, with year and source. */
export const COUNTRY_INTENSITIES: readonly CountryIntensity[] = ROWS.map(([code, name, ember, emberYear, owid, owidYear, aliases]) => ({
  code,
  name,
  aliases: aliases ?? [],
  observations: [
    { gramsPerKWh: ember, year: emberYear, source: EMBER_SOURCE },
    ...(owid !== null && owidYear !== null ? [{ gramsPerKWh: owid, year: owidYear, source: OWID_SOURCE }] : []),
    ...(PAPER_OBSERVATIONS[code] ?? []),
  ],
}));

/** Ember 2024 aggregates (carbon-reference.md §3.5), for context in reports. */
export const REGIONAL_AGGREGATES: Readonly<Record<string, number>> = {
  EU: 213,
  Europe: 285,
  OECD: 338,
  Asia: 572,
  Africa: 545,
  'North America': 358,
  G20: 468,
};
