/**
 * Cloud regions, location-based gCO2e/kWh (carbon-reference.md §3.6, gathered 2026).
 * GCP: Google's published grid intensity as shipped by CodeCarbon (`codecarbon/data/cloud/impact.csv`,
 * updated 2024-07). AWS/Azure: `mlco2/impact: data/impact.csv` (eGRID 2016 and 2017-2019 papers;
 * stale, labelled so). The interval of a region also spans its host country's figures, since the
 * region draws from that grid and the region figure is from another year.
 */
import type { IntensityObservation } from './grid-intensity';

/** The cloud providers with region data: Google Cloud, AWS and Azure. */
export type CloudProvider = 'gcp' | 'aws' | 'azure';

/** One cloud region: provider, region name, place, country and its grid intensity observation. */
export interface CloudRegion {
  /** `<provider>:<region>`, e.g. `gcp:europe-west1`. */
  readonly id: string;
  readonly provider: CloudProvider;
  readonly region: string;
  readonly place: string;
  /** ISO alpha-2 of the host country. */
  readonly country: string;
  readonly observations: readonly IntensityObservation[];
}

const GCP_SOURCE = 'Google location-based grid intensity via CodeCarbon cloud/impact.csv (2024-07)';
const MLCO2_SOURCE = 'mlco2/impact data/impact.csv (eGRID 2016, 2017-2019 papers; stale)';

type Row = readonly [provider: CloudProvider, region: string, place: string, country: string, grams: number];

const ROWS: readonly Row[] = [
  ['gcp', 'us-central1', 'Iowa', 'US', 430],
  ['gcp', 'us-east1', 'South Carolina', 'US', 560],
  ['gcp', 'us-east4', 'Northern Virginia', 'US', 322],
  ['gcp', 'us-west1', 'Oregon', 'US', 94],
  ['gcp', 'us-west2', 'Los Angeles', 'US', 198],
  ['gcp', 'northamerica-northeast1', 'Montreal', 'CA', 2],
  ['gcp', 'europe-west1', 'Belgium', 'BE', 122],
  ['gcp', 'europe-west2', 'London', 'GB', 136],
  ['gcp', 'europe-west3', 'Frankfurt', 'DE', 345],
  ['gcp', 'europe-west4', 'Netherlands', 'NL', 236],
  ['gcp', 'europe-west9', 'Paris', 'FR', 34],
  ['gcp', 'europe-north1', 'Finland', 'FI', 46],
  ['gcp', 'asia-east1', 'Taiwan', 'TW', 451],
  ['gcp', 'asia-northeast1', 'Tokyo', 'JP', 459],
  ['gcp', 'asia-south1', 'Mumbai', 'IN', 648],
  ['gcp', 'asia-southeast1', 'Singapore', 'SG', 369],
  ['gcp', 'australia-southeast1', 'Sydney', 'AU', 501],
  ['gcp', 'southamerica-east1', 'Sao Paulo', 'BR', 56],
  ['aws', 'us-east-1', 'Northern Virginia', 'US', 367.8],
  ['aws', 'us-west-2', 'Oregon', 'US', 297.6],
  ['aws', 'eu-west-1', 'Ireland', 'IE', 617],
  ['aws', 'eu-central-1', 'Frankfurt', 'DE', 615],
  ['aws', 'eu-west-3', 'Paris', 'FR', 105],
  ['aws', 'eu-north-1', 'Stockholm', 'SE', 47],
  ['aws', 'ca-central-1', 'Montreal', 'CA', 20],
  ['aws', 'ap-south-1', 'Mumbai', 'IN', 920],
  ['aws', 'ap-northeast-1', 'Tokyo', 'JP', 516],
  ['azure', 'eastus', 'Virginia', 'US', 367.8],
  ['azure', 'westeurope', 'Netherlands', 'NL', 569],
  ['azure', 'northeurope', 'Ireland', 'IE', 617],
];

// Region-specific figures from published footprints (carbon-reference.md §1, §3.6).
const EXTRA: Readonly<Record<string, readonly IntensityObservation[]>> = {
  'gcp:asia-east1': [{ gramsPerKWh: 545, year: 2019, source: 'Patterson et al. 2021 Table 4 (Google Taiwan, Sep 2019; T5)' }],
  'gcp:us-central1': [{ gramsPerKWh: 478, year: 2020, source: 'Patterson et al. 2021 §2.4 (Iowa gross, Dec 2020)' }],
  'aws:us-west-2': [{ gramsPerKWh: 154.95, year: 2023, source: 'StarCoder paper (Li et al. 2023)' }],
};

/** Cloud regions with their grid carbon intensity (gCO2e/kWh) and source. */
export const CLOUD_REGIONS: readonly CloudRegion[] = ROWS.map(([provider, region, place, country, grams]) => {
  const id = `${provider}:${region}`;
  const year = provider === 'gcp' ? 2024 : 2019;
  return {
    id,
    provider,
    region,
    place,
    country,
    observations: [{ gramsPerKWh: grams, year, source: provider === 'gcp' ? GCP_SOURCE : MLCO2_SOURCE }, ...(EXTRA[id] ?? [])],
  };
});
