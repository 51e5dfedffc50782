/** The digit-by-digit fast path of isoInstantToMs against Date.parse (the exact path), to the ms. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isoInstantToMs, isoInstantToMsExact } from './timestamps';

const pad = (n: number, width: number) => String(n).padStart(width, '0');
/** Canonical shapes with fields in and out of range (month 0–13, day 0–32, hour 0–25, leap days…). */
const canonical = fc
  .tuple(
    fc.integer({ min: 0, max: 9999 }),
    fc.integer({ min: 0, max: 13 }),
    fc.integer({ min: 0, max: 32 }),
    fc.integer({ min: 0, max: 25 }),
    fc.integer({ min: 0, max: 61 }),
    fc.integer({ min: 0, max: 61 }),
    fc.option(fc.integer({ min: 0, max: 999 })),
    fc.constantFrom('Z', 'z', '+00:00', '-05:30', '+0100', ''),
  )
  .map(([y, mo, d, h, mi, s, ms, zone]) => `${pad(y, 4)}-${pad(mo, 2)}-${pad(d, 2)}T${pad(h, 2)}:${pad(mi, 2)}:${pad(s, 2)}${ms === null ? '' : `.${pad(ms, 3)}`}${zone}`);
/** Real instants, written as the providers write them. */
const instants = fc.integer({ min: Date.UTC(1000, 0, 1), max: Date.UTC(9999, 11, 31) }).chain((ms) =>
  fc.constantFrom(new Date(ms).toISOString(), new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z')),
);
/** Near-misses: one character of a canonical text replaced by any character. */
const mutated = fc
  .tuple(instants, fc.nat(), fc.string({ minLength: 1, maxLength: 1 }))
  .map(([text, at, c]) => `${text.slice(0, at % text.length)}${c}${text.slice((at % text.length) + 1)}`);

describe('isoInstantToMs fast path == Date.parse', () => {
  it('agrees to the ms on canonical, real, mutated and arbitrary texts', () => {
    fc.assert(
      fc.property(fc.oneof(canonical, instants, mutated, fc.string({ maxLength: 30 })), (text) => {
        expect(isoInstantToMs(text)).toBe(isoInstantToMsExact(text));
      }),
      { numRuns: 30_000 },
    );
  });

  it('reads the instants the providers send', () => {
    expect(isoInstantToMs('2026-03-01T10:00:00Z')).toBe(Date.UTC(2026, 2, 1, 10));
    expect(isoInstantToMs('2024-02-29T23:59:59.999Z')).toBe(Date.UTC(2024, 1, 29, 23, 59, 59, 999));
    expect(isoInstantToMs('2026-03-01T10:00:00+01:00')).toBe(Date.UTC(2026, 2, 1, 9));
    expect(isoInstantToMs('2026-03-01T10:00:00')).toBeNaN();
  });
});
