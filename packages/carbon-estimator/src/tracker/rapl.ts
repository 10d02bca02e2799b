/**
 * Linux RAPL through the powercap sysfs interface (`<root>/class/powercap/intel-rapl:N`), package
 * domains only, as CodeCarbon does (carbon-reference.md §2.1). Node-only. The sysfs root is an
 * option so tests can point it at a fake tree.
 */
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';

/** Whether Linux RAPL energy counters are present and readable. */
export type RaplStatus = 'present' | 'absent' | 'unreadable';

/** One RAPL energy domain in sysfs (package, dram, …): name, path and counter range. */
export interface RaplDomain {
  readonly name: string;
  readonly path: string;
  readonly maxEnergyRangeUj: number;
}

/** What probing RAPL found: status, the readable domains and the reason when none. */
export interface RaplProbe {
  readonly status: RaplStatus;
  readonly domains: readonly RaplDomain[];
  /** Why RAPL is absent or unreadable, for the report. */
  readonly reason?: string;
}

const PACKAGE_DOMAIN = /^intel-rapl:\d+$/;

async function readNumber(path: string): Promise<number> {
  const text = (await readFile(path, 'utf8')).trim();
  const value = Number(text);
  if (!/^\d+$/.test(text) || !Number.isFinite(value)) throw new Error(`not a counter: '${text.slice(0, 40)}'`);
  return value;
}

/** Finds the package domains and checks that each energy counter can be read now. */
export async function probeRapl(sysfsRoot = '/sys'): Promise<RaplProbe> {
  const base = join(sysfsRoot, 'class', 'powercap');
  let entries: string[];
  try {
    entries = (await readdir(base)).filter((name) => PACKAGE_DOMAIN.test(name)).sort();
  } catch (error) {
    return { status: 'absent', domains: [], reason: `${base}: ${(error as NodeJS.ErrnoException).code ?? String(error)}` };
  }
  if (entries.length === 0) return { status: 'absent', domains: [], reason: `no intel-rapl package domain in ${base}` };
  const domains: RaplDomain[] = [];
  for (const entry of entries) {
    const path = join(base, entry);
    try {
      const name = (await readFile(join(path, 'name'), 'utf8').catch(() => entry)).trim();
      await readNumber(join(path, 'energy_uj'));
      const maxEnergyRangeUj = await readNumber(join(path, 'max_energy_range_uj')).catch(() => 2 ** 32);
      domains.push({ name, path, maxEnergyRangeUj });
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      return {
        status: 'unreadable',
        domains: [],
        reason: `${join(path, 'energy_uj')}: ${code ?? (error as Error).message}${code === 'EACCES' ? ' (needs read permission; see CodeCarbon issue #244)' : ''}`,
      };
    }
  }
  return { status: 'present', domains };
}

/** Cumulative package energy in joules across domains, unwrapping counter overflow between reads. */
export class RaplCounter {
  private readonly last = new Map<string, number>();
  private totalUj = 0;

  constructor(private readonly domains: readonly RaplDomain[]) {}

  /** Joules used since the previous call, summed over the domains (handles counter wrap-around). */
  async readJoules(): Promise<number> {
    for (const domain of this.domains) {
      const now = await readNumber(join(domain.path, 'energy_uj'));
      const previous = this.last.get(domain.path);
      if (previous !== undefined) {
        // The counter wraps at max_energy_range_uj; a smaller value means one wrap (CodeCarbon #309).
        this.totalUj += now >= previous ? now - previous : domain.maxEnergyRangeUj - previous + now;
      }
      this.last.set(domain.path, now);
    }
    return this.totalUj / 1e6;
  }
}
