/**
 * Durations and ETAs as people read them: `42s`, `1m05s`, `2h03m`, `3d04h`. Each form rounds the
 * whole value to its smallest unit first, so a carry never shows as `1m60s`, `1h60m` or `1d24h`:
 * 59.6 s is `1m00s`, 3599.6 s is `1h00m`, 86 399 s is `1d00h`. Not finite or negative: `-`.
 */
export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return '-';
  const pad = (n: number) => String(n).padStart(2, '0');
  const s = Math.round(seconds);
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${pad(s % 60)}s`;
  const m = Math.round(seconds / 60);
  if (m < 24 * 60) return `${Math.floor(m / 60)}h${pad(m % 60)}m`;
  const h = Math.round(seconds / 3600);
  return `${Math.floor(h / 24)}d${pad(h % 24)}h`;
}
