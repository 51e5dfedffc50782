import { describe, expect, it } from 'vitest';
import {
  REQUEST_BUDGET_PER_DAY,
  REQUESTS_PER_DAY,
  DEFAULT_REFRESH_INTERVAL_MS,
  FAST_REFRESH_INTERVAL_MS,
  capDelayMs,
  MAX_BACKOFF_MS,
  MAX_DELAY_MS,
  nextRefresh,
  type RefreshInput,
  SLOW_REFRESH_INTERVAL_MS,
} from './refreshPolicy';

const MINUTE_MS = 60_000;

function input(overrides: Partial<RefreshInput> = {}): RefreshInput {
  return {
    minRefreshMs: 0,
    nearThreshold: false,
    popoverOpen: false,
    onBattery: false,
    systemIdle: false,
    consecutiveFailures: 0,
    random: 0,
    ...overrides,
  };
}

describe('nextRefresh', () => {
  it('exports the documented intervals', () => {
    expect([FAST_REFRESH_INTERVAL_MS, DEFAULT_REFRESH_INTERVAL_MS, SLOW_REFRESH_INTERVAL_MS, MAX_BACKOFF_MS]).toEqual([
      1 * MINUTE_MS,
      5 * MINUTE_MS,
      30 * MINUTE_MS,
      30 * MINUTE_MS,
    ]);
  });

  // Every combination of the four mode inputs: popover wins, then idle/locked, then near-threshold, then battery.
  it.each<[boolean, boolean, boolean, boolean, number, string]>([
    // popoverOpen, systemIdle, nearThreshold, onBattery → minutes, reason
    [false, false, false, false, 5, 'default interval: 5 min'],
    [false, false, false, true, 30, 'on battery: 30 min'],
    [false, false, true, false, 1, 'near a budget threshold: 1 min'],
    [false, false, true, true, 1, 'near a budget threshold: 1 min'],
    [false, true, false, false, 30, 'system idle or locked: 30 min'],
    [false, true, false, true, 30, 'system idle or locked: 30 min'],
    [false, true, true, false, 30, 'system idle or locked: 30 min'],
    [false, true, true, true, 30, 'system idle or locked: 30 min'],
    [true, false, false, false, 1, 'popover open: 1 min'],
    [true, false, false, true, 1, 'popover open: 1 min'],
    [true, false, true, false, 1, 'popover open: 1 min'],
    [true, false, true, true, 1, 'popover open: 1 min'],
    [true, true, false, false, 1, 'popover open: 1 min'],
    [true, true, false, true, 1, 'popover open: 1 min'],
    [true, true, true, false, 1, 'popover open: 1 min'],
    [true, true, true, true, 1, 'popover open: 1 min'],
  ])('popover %s, idle %s, near %s, battery %s → every %i min', (popoverOpen, systemIdle, nearThreshold, onBattery, minutes, reason) => {
    expect(nextRefresh(input({ popoverOpen, systemIdle, nearThreshold, onBattery }))).toEqual({ delayMs: minutes * MINUTE_MS, reason });
  });

  it.each<[string, number | undefined, Partial<RefreshInput>, number]>([
    ['a configured interval replaces the default', 10 * MINUTE_MS, {}, 10 * MINUTE_MS],
    ['a non-positive interval falls back to the default', 0, {}, 5 * MINUTE_MS],
    ['fast mode never slows a faster configured interval', 30_000, { popoverOpen: true }, 30_000],
    ['fast mode speeds up a slower configured interval', 10 * MINUTE_MS, { nearThreshold: true }, 1 * MINUTE_MS],
    ['slow mode never speeds up a slower configured interval', 60 * MINUTE_MS, { onBattery: true }, 60 * MINUTE_MS],
    ['slow mode slows a faster configured interval', 2 * MINUTE_MS, { systemIdle: true }, 30 * MINUTE_MS],
  ])('%s', (_name, baseIntervalMs, overrides, expected) => {
    expect(nextRefresh(input({ baseIntervalMs, ...overrides })).delayMs).toBe(expected);
  });

  describe('after failures', () => {
    // Equal jitter: ceiling = min(30 min, interval × 2^failures), delay in [ceiling / 2, ceiling).
    it.each<[string, Partial<RefreshInput>, number]>([
      ['1 failure, no jitter: half of twice the interval', { consecutiveFailures: 1, random: 0 }, 5 * MINUTE_MS],
      ['1 failure, half jitter', { consecutiveFailures: 1, random: 0.5 }, 7.5 * MINUTE_MS],
      ['2 failures, no jitter', { consecutiveFailures: 2, random: 0 }, 10 * MINUTE_MS],
      ['2 failures, half jitter', { consecutiveFailures: 2, random: 0.5 }, 15 * MINUTE_MS],
      ['3 failures reach the 30 min cap', { consecutiveFailures: 3, random: 0 }, 15 * MINUTE_MS],
      ['10 failures stay at the cap', { consecutiveFailures: 10, random: 0.5 }, 22.5 * MINUTE_MS],
      ['a huge failure count stays at the cap', { consecutiveFailures: 100_000, random: 0.5 }, 22.5 * MINUTE_MS],
      ['fast mode backs off from 1 min', { popoverOpen: true, consecutiveFailures: 1, random: 0 }, 1 * MINUTE_MS],
      ['fast mode doubles per failure', { popoverOpen: true, consecutiveFailures: 3, random: 0 }, 4 * MINUTE_MS],
      ['slow mode never retries sooner than its interval', { onBattery: true, consecutiveFailures: 1, random: 0 }, 30 * MINUTE_MS],
      ['a negative failure count counts as none', { consecutiveFailures: -3, random: 0.9 }, 5 * MINUTE_MS],
      ['a random value just below 1 stays below the ceiling', { consecutiveFailures: 1, random: 0.999_999 }, 10 * MINUTE_MS - 1],
      ['a random value above 1 counts as 1: the ceiling', { consecutiveFailures: 1, random: 5 }, 10 * MINUTE_MS],
      ['a negative random value counts as 0', { consecutiveFailures: 1, random: -1 }, 5 * MINUTE_MS],
      ['a NaN random value counts as 0', { consecutiveFailures: 1, random: Number.NaN }, 5 * MINUTE_MS],
    ])('%s', (_name, overrides, expected) => {
      expect(nextRefresh(input(overrides)).delayMs).toBe(expected);
    });

    it('keeps every jittered delay between half the ceiling and the ceiling, never below the interval', () => {
      const randoms = [0, 0.001, 0.1, 0.25, 0.5, 0.75, 0.9, 0.999_999];
      for (const mode of [{}, { popoverOpen: true }, { onBattery: true }, { baseIntervalMs: 2 * MINUTE_MS }]) {
        const intervalMs = nextRefresh(input(mode)).delayMs;
        for (let failures = 1; failures <= 12; failures += 1) {
          const ceilingMs = Math.min(Math.max(MAX_BACKOFF_MS, intervalMs), intervalMs * 2 ** failures);
          let previous = 0;
          for (const random of randoms) {
            const { delayMs } = nextRefresh(input({ ...mode, consecutiveFailures: failures, random }));
            expect(delayMs).toBeGreaterThanOrEqual(Math.max(intervalMs, ceilingMs / 2));
            expect(delayMs).toBeLessThanOrEqual(ceilingMs);
            expect(delayMs).toBeGreaterThanOrEqual(previous);
            expect(Number.isInteger(delayMs)).toBe(true);
            previous = delayMs;
          }
        }
      }
    });

    it('spreads retries of many connections instead of retrying in lockstep', () => {
      const delays = new Set([0.1, 0.3, 0.5, 0.7, 0.9].map((random) => nextRefresh(input({ consecutiveFailures: 2, random })).delayMs));
      expect(delays.size).toBe(5);
    });

    it('says why it waits', () => {
      expect(nextRefresh(input({ consecutiveFailures: 2, random: 0.3 })).reason).toBe('default interval: 5 min; backoff after 2 failures: 13 min');
    });
  });

  describe('floors', () => {
    it.each<[string, Partial<RefreshInput>, number, RegExp]>([
      ['waits at least as long as Retry-After asks', { consecutiveFailures: 1, random: 0, retryAfterMs: 20 * MINUTE_MS }, 20 * MINUTE_MS, /Retry-After: 20 min$/],
      ['keeps a backoff longer than Retry-After', { consecutiveFailures: 2, random: 0, retryAfterMs: 30_000 }, 10 * MINUTE_MS, /backoff after 2 failures: 10 min$/],
      ['honours Retry-After without a failure count', { popoverOpen: true, retryAfterMs: 90_500 }, 90_500, /Retry-After: 1 min 31 s$/],
      ['rounds a fractional Retry-After up', { retryAfterMs: 400_000.2 }, 400_001, /Retry-After/],
      ['never refreshes faster than the adapter allows', { popoverOpen: true, minRefreshMs: 10 * MINUTE_MS }, 10 * MINUTE_MS, /provider minimum: 10 min$/],
      ['applies the adapter floor after Retry-After', { retryAfterMs: 7 * MINUTE_MS, minRefreshMs: 12 * MINUTE_MS }, 12 * MINUTE_MS, /Retry-After: 7 min; provider minimum: 12 min$/],
      ['applies Retry-After above the adapter floor', { retryAfterMs: 40 * MINUTE_MS, minRefreshMs: 12 * MINUTE_MS }, 40 * MINUTE_MS, /Retry-After: 40 min$/],
      ['ignores a floor below the interval', { minRefreshMs: 30_000 }, 5 * MINUTE_MS, /^default interval: 5 min$/],
      ['ignores a non-finite Retry-After', { retryAfterMs: Number.NaN }, 5 * MINUTE_MS, /^default interval: 5 min$/],
    ])('%s', (_name, overrides, expected, reason) => {
      const decision = nextRefresh(input(overrides));
      expect(decision.delayMs).toBe(expected);
      expect(decision.reason).toMatch(reason);
    });
  });
});

describe('nextRefresh with rate-limit headers', () => {
  const base = { minRefreshMs: 0, nearThreshold: false, popoverOpen: false, onBattery: false, systemIdle: false, consecutiveFailures: 0, random: 0 };
  const NOW = 1_800_000_000_000;

  it('spreads the reads left evenly until the window resets, keeping a reserve', () => {
    // 12 reads left in the next hour, 2 kept back: one every 6 minutes instead of every 5.
    const decision = nextRefresh({ ...base, rateLimit: { remaining: 12, resetAtMs: NOW + 3_600_000, nowMs: NOW } });
    expect(decision.delayMs).toBe(360_000);
    expect(decision.reason).toContain('rate limit (12 reads left)');
  });

  it('waits for the reset when no read is left to spare', () => {
    expect(nextRefresh({ ...base, rateLimit: { remaining: 2, resetAtMs: NOW + 1_800_000, nowMs: NOW } }).delayMs).toBe(1_800_000);
  });

  it('changes nothing with plenty of reads, a reset in the past or no reset time', () => {
    expect(nextRefresh({ ...base, rateLimit: { remaining: 998, resetAtMs: NOW + 3_600_000, nowMs: NOW } }).delayMs).toBe(300_000);
    expect(nextRefresh({ ...base, rateLimit: { remaining: 0, resetAtMs: NOW - 1, nowMs: NOW } }).delayMs).toBe(300_000);
    expect(nextRefresh({ ...base, rateLimit: { remaining: 0, nowMs: NOW } }).delayMs).toBe(300_000);
  });
});

describe('the delay cap (a Retry-After of years must not overflow a timer)', () => {
  it.each<[string, Partial<RefreshInput>]>([
    ['a Retry-After of 2,147,484 s (past the 32-bit timer limit)', { consecutiveFailures: 1, retryAfterMs: 2_147_484_000 }],
    ['a Retry-After of 10 years', { consecutiveFailures: 1, retryAfterMs: 10 * 365 * 86_400_000 }],
    ['a configured interval of a year', { baseIntervalMs: 365 * 86_400_000 }],
    ['an adapter minimum of 30 days', { minRefreshMs: 30 * 86_400_000 }],
    ['50 failures with a slow base interval', { baseIntervalMs: 20 * 86_400_000, consecutiveFailures: 50, random: 1 }],
  ])('never schedules more than 24 h ahead for %s', (_name, overrides) => {
    const decision = nextRefresh(input(overrides));
    expect(decision.delayMs).toBe(MAX_DELAY_MS);
    expect(decision.delayMs).toBe(24 * 60 * MINUTE_MS);
    expect(decision.reason).toMatch(/capped at 1440 min$/);
  });

  it.each<[number, number]>([
    [Number.NaN, 0],
    [-5, 0],
    [0, 0],
    [1.2, 2],
    [MAX_DELAY_MS, MAX_DELAY_MS],
    [2 ** 31, MAX_DELAY_MS],
    [Number.POSITIVE_INFINITY, MAX_DELAY_MS],
  ])('capDelayMs(%d) is %d', (ms, expected) => {
    expect(capDelayMs(ms)).toBe(expected);
  });
});

describe('request budget', () => {
  const base = { minRefreshMs: 0, nearThreshold: false, popoverOpen: false, onBattery: false, systemIdle: false, consecutiveFailures: 0, random: 0 };
  it('slows a connection of several requests a refresh to its share of the daily budget', () => {
    // 3 requests a refresh: 264 a day → 88 refreshes → one every 16 min 22 s.
    expect(nextRefresh({ ...base, requestsPerRefresh: 3 }).delayMs).toBe(Math.ceil((3 * 86_400_000) / REQUESTS_PER_DAY));
    expect(nextRefresh({ ...base, requestsPerRefresh: 3 }).reason).toMatch(/request budget/);
  });
  it('leaves one request a refresh at the default interval, and the fast modes fast', () => {
    expect(nextRefresh({ ...base, requestsPerRefresh: 1 }).delayMs).toBe(300_000);
    expect(nextRefresh({ ...base, requestsPerRefresh: 3, popoverOpen: true }).delayMs).toBe(60_000);
    expect(nextRefresh({ ...base, requestsPerRefresh: 3, nearThreshold: true }).delayMs).toBe(60_000);
  });
  it('keeps a day of default refreshes within 300 requests', () => {
    for (const requests of [1, 2, 3, 6]) {
      const delayMs = nextRefresh({ ...base, requestsPerRefresh: requests }).delayMs;
      const perDay = Math.ceil(86_400_000 / delayMs) * requests;
      // Plus the daily whole-period fetch (twice the requests) and, for several requests a
      // refresh, 24 hourly secondary calls.
      expect(perDay + 2 * requests + (requests > 1 ? 24 : 0)).toBeLessThanOrEqual(REQUEST_BUDGET_PER_DAY);
    }
  });
});
