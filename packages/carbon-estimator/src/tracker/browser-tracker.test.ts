import { describe, expect, it } from 'vitest';
import { BrowserTracker } from './browser-tracker';

describe('BrowserTracker', () => {
  it('multiplies measured compute time by the device power model and labels it modelled', async () => {
    let ms = 0;
    const tracker = new BrowserTracker({ region: 'SE', cpu: { tdpWatts: 28, threads: 8 }, deviceMemoryGb: 8, now: () => ms });
    tracker.start();
    await tracker.measure(() => {
      ms += 2000;
    });
    ms += 5000; // idle: not counted as compute
    tracker.begin();
    ms += 1000;
    tracker.end();
    const { record, report } = tracker.stop();
    expect(record.duration).toBe(8);
    expect(record.cpu_energy).toBeCloseTo((3 * 28) / 8 / 3.6e6, 15);
    expect(record.ram_energy).toBeCloseTo((3 * 10) / 3.6e6, 15);
    expect(record.cpu_energy_basis).toBe('modelled');
    expect(report.figures.co2eKg.basis).toBe('modelled');
    expect(report.notes.join(' ')).toMatch(/modelled/);
    expect(record.country_iso_code).toBe('SWE');
  });

  it('refuses stop before start', () => {
    expect(() => new BrowserTracker().stop()).toThrow(/expected a running tracker/);
  });
});

describe('BrowserTracker.current', () => {
  it('counts an open compute span up to now and keeps running', () => {
    let now = 0;
    const tracker = new BrowserTracker({ now: () => now, region: 'FR', deviceMemoryGb: 8 });
    tracker.start();
    tracker.begin();
    now = 2000;
    const soFar = tracker.current();
    expect(soFar.record.duration).toBe(2);
    now = 4000;
    tracker.end();
    const done = tracker.stop();
    expect(Number(done.record.energy_consumed)).toBeCloseTo(2 * Number(soFar.record.energy_consumed), 12);
    expect(() => tracker.current()).toThrow(/expected a running tracker/);
  });
});
