// Per-resource series that stay in the spend database until something reads them.
import { isPacked } from '../core/compactSeries';
import type { ResourceBucket, ResourceUsage } from '../core/report';

/**
 * `resource` with a `series` read on first use: an enumerable getter that replaces itself with the
 * value (so spreading, JSON and structured clone see a plain array, read once). Reading it after
 * the database is closed throws.
 */
export function lazySeries(resource: Omit<ResourceUsage, 'series'>, load: () => ResourceBucket[]): ResourceUsage {
  const lazy = { ...resource } as ResourceUsage;
  Object.defineProperty(lazy, 'series', {
    enumerable: true,
    configurable: true,
    get(this: ResourceUsage) {
      const series = load();
      Object.defineProperty(this, 'series', { value: series, enumerable: true, writable: false, configurable: false });
      return series;
    },
  });
  return lazy;
}

/** The resource holds its series in memory, as objects or packed (a series read on first use is a getter: asking must not read it). */
export function seriesInMemory(resource: ResourceUsage): boolean {
  return isPacked(resource) || Object.getOwnPropertyDescriptor(resource, 'series')?.value !== undefined;
}
