/**
 * Power usage effectiveness defaults (carbon-reference.md §3.3, gathered 2026).
 * Unknown data centre: central Uptime Institute 2024 global average 1.56 (Green Algorithms default);
 * the range runs from Google's fleet (1.10) to Uptime's 2019 survey (1.67).
 * Cloud providers: Google fleet 1.10-1.12, AWS 1.2, Azure 1.12-1.125 (Green Algorithms data).
 */
import type { Range } from '../interval';

export interface PueDefault extends Range {
  readonly source: string;
}

/** PUE assumed when the data centre is unknown: the industry survey average, as a range with sources. */
export const UNKNOWN_DATACENTRE_PUE: PueDefault = {
  value: 1.56,
  low: 1.1,
  high: 1.67,
  source: 'Uptime Institute survey 2024 (1.56), 2019 (1.67); Google fleet 1.10 (via Green Algorithms, carbontracker)',
};

/** Default PUE of each cloud provider's data centres, as a range with source. */
export const PROVIDER_PUE: Readonly<Record<'gcp' | 'aws' | 'azure', PueDefault>> = {
  gcp: { value: 1.1, low: 1.1, high: 1.12, source: 'Google fleet PUE 1.10-1.12 (Green Algorithms data v3.0, 2024)' },
  aws: { value: 1.2, low: 1.2, high: 1.2, source: 'AWS 1.2 (Green Algorithms data v3.0, 2024)' },
  azure: { value: 1.125, low: 1.12, high: 1.125, source: 'Azure 1.12-1.125 (Green Algorithms data v3.0, 2024)' },
};

/** What live tracking assumes unless told: CodeCarbon's default (no facility overhead). */
export const TRACKER_DEFAULT_PUE = { value: 1.0, source: 'CodeCarbon default PUE 1.0 (docs/explanation/methodology.md, v3.3.0)' } as const;
