/**
 * renderer/src/format.ts in en-US writes money, counts and percentages without making any
 * Intl.NumberFormat (the first Intl formatter of a fresh Chromium page costs 30–70 ms of ICU
 * set-up before the served dashboard's spend is on screen), and still as documented; in any
 * other locale, and for what ./enUsNumber leaves (NaN, infinities), Intl writes them.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';

type Format = typeof import('../../renderer/src/format');

const RealNumberFormat = Intl.NumberFormat;
let made = 0;

/** format.ts loaded afresh for `language`, with Intl.NumberFormat counting (or refusing) constructions. */
async function loadFormat(language: string, refuse: boolean): Promise<Format> {
  vi.resetModules();
  vi.stubGlobal('navigator', { language });
  made = 0;
  const Counting = function (this: unknown, ...args: ConstructorParameters<typeof Intl.NumberFormat>) {
    made += 1;
    if (refuse) throw new Error(`Intl.NumberFormat made in ${language}`);
    return new RealNumberFormat(...args);
  } as unknown as typeof Intl.NumberFormat;
  Intl.NumberFormat = Counting;
  return import('../../renderer/src/format');
}

afterEach(() => {
  Intl.NumberFormat = RealNumberFormat;
  vi.unstubAllGlobals();
});

describe('format.ts number formats', () => {
  it('makes no Intl.NumberFormat in en-US and writes the documented examples', async () => {
    const format = await loadFormat('en-US', true);
    expect(format.formatUsd(1247.83)).toBe('$1,247.83');
    expect(format.formatUsd(-1247.83)).toBe('-$1,247.83');
    expect(format.formatUsd(1.005)).toBe('$1.01');
    expect(format.formatUsd(0.001)).toBe('<$0.01');
    expect(format.formatUsd(-0.001)).toBe('>-$0.01');
    expect(format.formatUsd(null)).toBe('—');
    expect(format.formatUsdWhole(20000)).toBe('$20,000');
    expect(format.formatUsdCompact(17117.03)).toBe('$17.1K');
    expect(format.formatUsdCompact(17000)).toBe('$17K');
    expect(format.formatUsdCompact(999_950)).toBe('$1M');
    expect(format.formatUsdCompact(812.4)).toBe('$812.40');
    expect(format.formatUsdPerHour(23.142923)).toBe('$23.14/h');
    expect(format.formatNumber(48210)).toBe('48,210');
    expect(format.formatNumber(0.1 + 0.2)).toBe('0.3');
    expect(format.formatCredits(1710.340545)).toBe('1,710.34 credits');
    expect(format.formatPercent(60.38)).toBe('60.4%');
    expect(format.formatPercent(118.12)).toBe('118%');
    expect(format.formatPercent(-0.01)).toBe('-0.0%');
    expect(made).toBe(0);
  });

  it('writes in en-US what Intl writes, for every function', async () => {
    const format = await loadFormat('en-US', false);
    const usd = new RealNumberFormat('en-US', { style: 'currency', currency: 'USD' });
    const compact = new RealNumberFormat('en-US', { style: 'currency', currency: 'USD', notation: 'compact', maximumFractionDigits: 1 });
    for (const value of [0, -0, 0.005, 1.005, 999.995, 12_345.675, 999_950, 123_456_789.5, -4.2e13]) {
      expect(format.formatUsd(value)).toBe(usd.format(value));
      expect(format.formatUsdCompact(value)).toBe(Math.abs(value) < 1000 ? usd.format(value) : compact.format(value));
      expect(format.formatNumber(value)).toBe(value.toLocaleString('en-US'));
    }
    expect(made).toBe(0);
  });

  it('leaves NaN and infinities to Intl, made at the first need', async () => {
    const format = await loadFormat('en-US', false);
    expect(format.formatNumber(1234.5)).toBe('1,234.5');
    expect(made).toBe(0);
    expect(format.formatNumber(Number.NaN)).toBe('NaN');
    expect(format.formatNumber(Number.POSITIVE_INFINITY)).toBe('∞');
    expect(made).toBe(1);
  });

  it('writes other locales with Intl', async () => {
    const format = await loadFormat('de-DE', false);
    expect(format.formatNumber(48210)).toBe(new RealNumberFormat(undefined).format(48210));
    expect(format.formatUsd(1247.83)).toBe(new RealNumberFormat(undefined, { style: 'currency', currency: 'USD' }).format(1247.83));
    expect(made).toBe(2);
  });
});
