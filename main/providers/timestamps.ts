/**
 * Instants as the provider APIs want them in query strings. Shared by the adapters so every
 * provider formats time the same way.
 */

/**
 * ISO-8601 UTC with `Z`, milliseconds only when non-zero (Baseten, Civis, Limitry, Simplismart).
 * @example isoInstant(Date.UTC(2026, 2, 1)) //=> '2026-03-01T00:00:00Z'
 * @example isoInstant(Date.UTC(2026, 2, 1, 0, 0, 0, 250)) //=> '2026-03-01T00:00:00.250Z'
 */
export function isoInstant(ms: number): string {
  return new Date(ms).toISOString().replace(/\.000Z$/, 'Z');
}

/**
 * The UTC calendar date of an instant (TensorOne's `startDate`/`endDate`).
 * @example isoDate(Date.UTC(2026, 2, 1, 23, 59)) //=> '2026-03-01'
 */
export function isoDate(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}
