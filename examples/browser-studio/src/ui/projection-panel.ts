/**
 * The projection panel: `estimateTraining` for a full-size run (parameters, tokens, GPU, count,
 * region) with its low–high interval, next to what this tab's run costs per token.
 */
import { estimateTraining, listHardware, listLocations, toEstimateJson } from '@wattformer/carbon-estimator/browser';
import { formatNumber, formatRange } from './format';

const GPUS = ['h100-sxm', 'h200', 'a100-80gb', 'a100-40gb', 'v100-sxm2', 'mi300x', 'tpu-v5p'];

export interface ProjectionElements {
  readonly model: HTMLSelectElement;
  readonly tokens: HTMLSelectElement;
  readonly hardware: HTMLSelectElement;
  readonly devices: HTMLInputElement;
  readonly region: HTMLSelectElement;
  readonly output: HTMLElement;
  readonly compare: HTMLElement;
}

/** Fills a region select with every country and cloud region the estimator knows. */
export function fillRegions(select: HTMLSelectElement, selected: string): void {
  for (const location of listLocations()) {
    select.append(
      new Option(`${location.name} (${location.id}) · ${Math.round(location.intensity.value)} g/kWh`, location.id, false, location.id === selected),
    );
  }
}

export class ProjectionPanel {
  private gramsPerToken = 0;
  private live: { gramsPerToken: number; parameters: number } | undefined;

  constructor(private readonly el: ProjectionElements) {
    const known = new Map(listHardware().map((spec) => [spec.id, spec]));
    for (const id of GPUS) {
      const spec = known.get(id);
      if (spec) el.hardware.append(new Option(spec.name, id, false, id === 'h100-sxm'));
    }
    fillRegions(el.region, 'US');
    for (const input of [el.model, el.tokens, el.hardware, el.devices, el.region]) input.addEventListener('change', () => this.render());
    this.render();
  }

  /** This tab's measured cost so far, to compare per token with the projection. */
  setLive(co2eGrams: number, tokens: number, parameters: number): void {
    this.live = tokens > 0 ? { gramsPerToken: co2eGrams / tokens, parameters } : undefined;
    this.renderCompare();
  }

  private render(): void {
    const { el } = this;
    const params = Number(el.model.value);
    const tokens = Number(el.tokens.value);
    const devices = Math.max(1, Math.round(Number(el.devices.value) || 1));
    try {
      const json = toEstimateJson(estimateTraining({ params, tokens, hardware: el.hardware.value, devices, region: el.region.value }));
      this.gramsPerToken = (json.co2eKg * 1000) / tokens;
      const rows: [string, string, string][] = [
        ['Energy (MWh)', formatNumber(json.energyKWh / 1000), formatRange(json.energyKWhLow / 1000, json.energyKWhHigh / 1000)],
        ['CO2e (t)', formatNumber(json.co2eKg / 1000), formatRange(json.co2eKgLow / 1000, json.co2eKgHigh / 1000)],
        ['With embodied (t)', formatNumber(json.totalCo2eKg / 1000), formatRange(json.totalCo2eKgLow / 1000, json.totalCo2eKgHigh / 1000)],
        ['GPU-hours', formatNumber(json.deviceHours ?? 0), formatRange(json.deviceHoursLow ?? 0, json.deviceHoursHigh ?? 0)],
        ['Wall clock (days)', formatNumber((json.wallClockHours ?? 0) / 24), `${devices} × ${el.hardware.selectedOptions[0]?.text ?? ''}`],
        ['Grid (g/kWh)', formatNumber(json.intensityGramsPerKWh), `PUE ${json.pue}`],
      ];
      el.output.replaceChildren(...rows.map(([name, value, range]) => stat(name, value, range)));
      el.output.dataset.co2eKg = String(json.co2eKg);
      el.output.dataset.co2eKgLow = String(json.co2eKgLow);
      el.output.dataset.co2eKgHigh = String(json.co2eKgHigh);
    } catch (error) {
      el.output.replaceChildren(stat('Error', '–', (error as Error).message));
    }
    this.renderCompare();
  }

  private renderCompare(): void {
    const projected = `The projection: ${formatNumber(this.gramsPerToken * 1000)} mg CO2e per training token.`;
    const live = this.live;
    this.el.compare.textContent =
      live === undefined
        ? `${projected} Start a run to compare with this tab.`
        : `${projected} This tab: ${formatNumber(live.gramsPerToken * 1000)} mg per token for a ${formatNumber(live.parameters)}-parameter model (modelled).`;
  }
}

function stat(name: string, value: string, detail: string): HTMLElement {
  const box = document.createElement('div');
  const dt = document.createElement('dt');
  dt.textContent = name;
  const dd = document.createElement('dd');
  dd.textContent = value;
  const small = document.createElement('small');
  small.textContent = detail;
  dd.append(small);
  box.append(dt, dd);
  return box;
}
