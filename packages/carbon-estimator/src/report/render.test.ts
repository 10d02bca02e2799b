import { describe, expect, it } from 'vitest';
import { estimateTraining } from '../projection';
import { renderHtml } from './html';
import { renderMarkdown } from './markdown';
import { renderBarChartSvg } from './svg-chart';

const report = estimateTraining({ params: 175e9, tokens: 300e9, hardware: 'v100', devices: 10_000, region: 'US', title: 'GPT-3 <projection>' });

describe('report rendering', () => {
  it('renders Markdown with every figure, method, scope, sources and an inline chart', () => {
    const md = renderMarkdown(report);
    expect(md).toMatch(/^# GPT-3 <projection>/);
    expect(md).toContain('| CO2e, operational (kg) |');
    expect(md).toContain('energy x intensity');
    expect(md).toContain('operational, facility (PUE applied)');
    expect(md).toContain('<svg');
    expect(md).toMatch(/km driven by an average passenger car\. Source: US EPA/);
    expect(md).toMatch(/Strubell/);
    expect(md).toMatch(/grid intensity \(gCO2e\/kWh\) \| 384 \| 369 \| 433/);
  });

  it('renders escaped, script-free HTML with the chart', () => {
    const html = renderHtml(report);
    expect(html).toContain('<title>GPT-3 &lt;projection&gt;</title>');
    expect(html).toContain('<svg');
    expect(html).not.toContain('<script');
    expect(html).toContain('Assumptions');
  });

  it('draws one bar and whisker per component, scaled to the largest high end', () => {
    const svg = renderBarChartSvg([
      { label: 'a', value: { value: 5, low: 2, high: 10 }, measured: true },
      { label: 'b', value: { value: 1, low: 1, high: 1 }, measured: false },
    ]);
    expect(svg.match(/<rect x="190"/g)?.length).toBe(2);
    // Bar a spans half the plot (5 of 10), bar b a tenth.
    expect(svg).toContain('width="180.00"');
    expect(svg).toContain('width="36.00"');
    expect(svg).toContain('fill="url(#modelled)"');
  });
});
