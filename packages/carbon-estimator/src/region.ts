import { closeMatches } from './close-matches';
import { CLOUD_REGIONS, type CloudProvider } from './data/cloud-regions';
import { COUNTRY_INTENSITIES, type CountryIntensity, type IntensityObservation } from './data/grid-intensity';
import { PROVIDER_PUE, UNKNOWN_DATACENTRE_PUE, type PueDefault } from './data/pue';
import { CarbonEstimatorError, describeValue } from './errors';
import { fromObservations, type Range } from './interval';

/**
 * A place resolved for the estimate: canonical id, name, kind (country or cloud region), country and grid intensity range.
 */
export interface ResolvedLocation {
  /** Canonical id: `FR`, `WORLD`, `gcp:europe-west1`. */
  readonly id: string;
  readonly name: string;
  readonly kind: 'country' | 'cloud';
  readonly country: string;
  readonly provider?: CloudProvider;
  /** gCO2e/kWh; central = newest figure for the place, ends = every observation. */
  readonly intensity: Range;
  readonly observations: readonly IntensityObservation[];
  /** PUE to assume when the caller gives none. */
  readonly defaultPue: PueDefault;
}

function countryLocation(country: CountryIntensity): ResolvedLocation {
  const central = country.observations[0]?.gramsPerKWh ?? 0;
  return {
    id: country.code,
    name: country.name,
    kind: 'country',
    country: country.code,
    intensity: fromObservations(
      central,
      country.observations.map((o) => o.gramsPerKWh),
    ),
    observations: country.observations,
    defaultPue: UNKNOWN_DATACENTRE_PUE,
  };
}

function findCountry(key: string): CountryIntensity | undefined {
  const upper = key.toUpperCase();
  const lower = key.toLowerCase();
  return COUNTRY_INTENSITIES.find((c) => c.code === upper || c.name.toLowerCase() === lower || c.aliases.includes(lower));
}

/** All location ids: ISO country codes, `WORLD`, and `<provider>:<region>`. */
export function listRegionIds(): string[] {
  return [...COUNTRY_INTENSITIES.map((c) => c.code), ...CLOUD_REGIONS.map((r) => r.id)];
}

/** Every place the estimator knows (countries, `WORLD`, cloud regions), resolved. */
export function listLocations(): ResolvedLocation[] {
  return listRegionIds().map((id) => resolveRegion(id));
}

/**
 * Resolves an ISO country code (`FR`, `us`), a country name, `WORLD`, or a cloud region
 * (`gcp:europe-west1`, `aws:us-east-1`, `azure:westeurope`), case-insensitively.
 */
export function resolveRegion(input: string, op = 'resolveRegion'): ResolvedLocation {
  const key = typeof input === 'string' ? input.trim() : '';
  if (key.includes(':')) {
    const lower = key.toLowerCase();
    const cloud = CLOUD_REGIONS.find((r) => r.id === lower);
    if (cloud) {
      const host = findCountry(cloud.country);
      const hostValues = host ? host.observations.map((o) => o.gramsPerKWh) : [];
      const central = cloud.observations[0]?.gramsPerKWh ?? 0;
      return {
        id: cloud.id,
        name: `${cloud.provider.toUpperCase()} ${cloud.region} (${cloud.place})`,
        kind: 'cloud',
        country: cloud.country,
        provider: cloud.provider,
        intensity: fromObservations(central, [...cloud.observations.map((o) => o.gramsPerKWh), ...hostValues]),
        observations: [...cloud.observations, ...(host?.observations ?? [])],
        defaultPue: PROVIDER_PUE[cloud.provider],
      };
    }
  } else {
    const country = findCountry(key);
    if (country) return countryLocation(country);
  }
  const candidates = [...listRegionIds(), ...COUNTRY_INTENSITIES.map((c) => c.name)];
  const suggestions = closeMatches(key, candidates);
  throw new CarbonEstimatorError('E_UNKNOWN_CHOICE', {
    op,
    expected: "an ISO country code (e.g. 'FR', 'US'), 'WORLD', or a cloud region like 'gcp:europe-west1'",
    got: describeValue(input),
    help: `${suggestions.length > 0 ? `did you mean ${suggestions.map((s) => `'${s}'`).join(', ')}? ` : ''}run \`wattformer-carbon regions\` to list all ${candidates.length - COUNTRY_INTENSITIES.length}, or pass gCO2e/kWh directly with --intensity`,
  });
}
