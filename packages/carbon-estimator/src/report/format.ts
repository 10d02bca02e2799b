/** Number formatting shared by the renderers: 3 significant figures, SI-style suffixes for big counts. */
export function formatNumber(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  const abs = Math.abs(value);
  if (abs !== 0 && (abs >= 1e10 || abs < 1e-3)) return value.toExponential(2);
  if (abs >= 1e4) return Math.round(value).toLocaleString('en-US');
  return Number(value.toPrecision(3)).toLocaleString('en-US', { maximumFractionDigits: 6 });
}

/** kg CO2e as kg or t, whichever reads better. */
export function formatMass(kg: number): string {
  return Math.abs(kg) >= 1000 ? `${formatNumber(kg / 1000)} t` : `${formatNumber(kg)} kg`;
}

export function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

/** Counts as people write them: 7B, 2T, 350M, 1.5k. */
export function formatCount(value: number): string {
  const abs = Math.abs(value);
  for (const [size, suffix] of [
    [1e12, 'T'],
    [1e9, 'B'],
    [1e6, 'M'],
    [1e3, 'k'],
  ] as const) {
    if (abs >= size && abs < size * 1e3) return `${Number((value / size).toPrecision(3))}${suffix}`;
  }
  return formatNumber(value);
}
