import { describe, expect, it } from 'vitest';
import { readRateLimit } from './rateLimit';
import { isoDate, isoInstant } from './timestamps';

describe('isoInstant', () => {
  it.each([
    [Date.UTC(2026, 2, 1), '2026-03-01T00:00:00Z'],
    [Date.UTC(2026, 2, 1, 13, 5, 9), '2026-03-01T13:05:09Z'],
    [Date.UTC(2026, 2, 1, 0, 0, 0, 250), '2026-03-01T00:00:00.250Z'],
  ])('formats %i as %s', (ms, expected) => {
    expect(isoInstant(ms)).toBe(expected);
  });

  it('gives the UTC date of an instant', () => {
    expect(isoDate(Date.UTC(2026, 2, 1, 23, 59, 59, 999))).toBe('2026-03-01');
  });
});

describe('readRateLimit', () => {
  const headers = { 'x-ratelimit-limit': '1000', 'x-ratelimit-remaining': ' 998 ', 'x-ratelimit-reset': '1773100800' };

  it('reads limit and remaining, and the reset only when the provider documents it in Unix seconds', () => {
    expect(readRateLimit(headers)).toEqual({ limit: 1000, remaining: 998 });
    expect(readRateLimit(headers, { resetInUnixSeconds: true })).toEqual({ limit: 1000, remaining: 998, resetAtMs: 1_773_100_800_000 });
  });

  it.each([[{}], [{ 'x-ratelimit-limit': 'lots' }], [{ 'x-ratelimit-remaining': '-1' }], [{ 'x-ratelimit-limit': '1.5' }], [{ 'x-ratelimit-limit': '99999999999999999999' }]])(
    'ignores missing or malformed headers %j',
    (input) => {
      expect(readRateLimit(input, { resetInUnixSeconds: true })).toBeUndefined();
    },
  );
});
