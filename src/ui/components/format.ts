/**
 * Byte sizes in decimal units (1 MB = 1,000,000 bytes), the engine's formatter: the same numbers
 * as the model hub, the browser's own storage settings and the quota messages.
 */
export { formatBytes } from '../../engine/models/format';

export function formatSeconds(seconds: number): string {
  const m = Math.floor(seconds / 60);
  const s = seconds - m * 60;
  return m > 0 ? `${m}:${s.toFixed(1).padStart(4, '0')}` : `${s.toFixed(1)} s`;
}
