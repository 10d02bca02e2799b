import { describe, expect, it } from 'vitest';
import { COUNTRY_INTENSITIES } from './data/grid-intensity';
import { listLocations, resolveRegion } from './region';

describe('resolveRegion', () => {
  it('has at least 40 countries, each with a year and a source', () => {
    const countries = COUNTRY_INTENSITIES.filter((c) => c.code !== 'WORLD');
    expect(countries.length).toBeGreaterThanOrEqual(40);
    for (const c of COUNTRY_INTENSITIES) {
      expect(c.observations.length).toBeGreaterThan(0);
      for (const o of c.observations) {
        expect(o.year).toBeGreaterThanOrEqual(2019);
        expect(o.source.length).toBeGreaterThan(10);
      }
    }
  });

  it('resolves ISO codes case-insensitively with an interval over all observations', () => {
    const fr = resolveRegion('fr');
    expect(fr.id).toBe('FR');
    expect(fr.intensity).toEqual({ value: 44, low: 44, high: 57 });
    expect(resolveRegion('US').intensity).toEqual({ value: 384, low: 369, high: 433 });
    expect(resolveRegion('uk').id).toBe('GB');
  });

  it('resolves cloud regions, spanning the host country too, with the provider PUE', () => {
    const paris = resolveRegion('gcp:europe-west9');
    expect(paris.intensity).toEqual({ value: 34, low: 34, high: 57 });
    expect(paris.defaultPue.value).toBe(1.1);
    expect(resolveRegion('AWS:us-east-1').provider).toBe('aws');
    expect(resolveRegion('azure:westeurope').country).toBe('NL');
  });

  it('suggests close matches for unknown regions', () => {
    expect(() => resolveRegion('gcp:europe-west10')).toThrow(/did you mean 'gcp:europe-west1'/);
    expect(() => resolveRegion('Frnace')).toThrow(/did you mean 'France'/);
    expect(() => resolveRegion('XX')).toThrow(/expected an ISO country code/);
  });

  it('lists every location with a positive intensity', () => {
    const all = listLocations();
    expect(all.length).toBeGreaterThan(60);
    expect(all.every((l) => l.intensity.low > 0 && l.intensity.low <= l.intensity.value && l.intensity.value <= l.intensity.high)).toBe(true);
  });
});
