/** Numbers for people: three significant figures, thousands separators, no exponent below 1e15. */
export function formatNumber(value: number): string {
  if (!Number.isFinite(value)) return '–';
  if (value === 0) return '0';
  const magnitude = Math.abs(value);
  if (magnitude >= 1e15 || magnitude < 1e-4) return value.toExponential(2);
  if (magnitude >= 1000) return Math.round(value).toLocaleString('en-US');
  return Number(value.toPrecision(3)).toString();
}

export function formatRange(low: number, high: number): string {
  return `${formatNumber(low)}–${formatNumber(high)}`;
}
