/**
 * The live loss chart: uPlot on a canvas, train loss every step and validation loss at each
 * evaluation (points joined across the steps between). Redraws at most once per frame.
 */
import uPlot from 'uplot';
import uPlotCss from 'uplot/dist/uPlot.min.css?inline';
import { injectCss } from './inject-css';

export class LossChart {
  private readonly steps: number[] = [];
  private readonly train: number[] = [];
  private readonly validation: (number | null)[] = [];
  private readonly plot: uPlot;
  private pending = false;

  constructor(private readonly container: HTMLElement) {
    injectCss(uPlotCss);
    this.plot = new uPlot(
      {
        width: this.width(),
        height: 240,
        scales: { x: { time: false } },
        axes: [
          { label: 'step', size: 36 },
          { label: 'loss (nats/char)', size: 52 },
        ],
        series: [
          { label: 'step' },
          { label: 'train', stroke: '#2f6fdd', width: 1.5 },
          { label: 'validation', stroke: '#d9822b', width: 2, spanGaps: true, points: { show: true, size: 5 } },
        ],
        legend: { live: false },
      },
      [[], [], []],
      container,
    );
    new ResizeObserver(() => this.plot.setSize({ width: this.width(), height: 240 })).observe(container);
  }

  private width(): number {
    return Math.max(240, this.container.clientWidth);
  }

  /** Empties the chart (a new model). */
  clear(): void {
    this.steps.length = 0;
    this.train.length = 0;
    this.validation.length = 0;
    this.schedule();
  }

  add(step: number, loss: number, validationLoss?: number): void {
    this.steps.push(step);
    this.train.push(loss);
    this.validation.push(validationLoss ?? null);
    this.container.dataset.points = String(this.steps.length);
    this.schedule();
  }

  private schedule(): void {
    if (this.pending) return;
    this.pending = true;
    requestAnimationFrame(() => {
      this.pending = false;
      this.plot.setData([this.steps, this.train, this.validation]);
    });
  }
}
