/**
 * Zone names without ICU (./zones.ts): the built-in list is ICU's, spelled as ICU spells it, so
 * period keys are what they were with Intl; zones come from the installed source, else Intl.
 */
import { FixedOffsetZone, IANAZone, type Zone } from 'luxon';
import { afterEach, describe, expect, it } from 'vitest';
import { canonicalZoneNames, ZONE_NAMES_TZ_VERSION } from './zoneNames';
import { canonicalTimeZone, isListedTimeZone, isValidTimeZone, setZoneSource, UTC_ALIASES, zoneFor } from './zones';

const intlName = (name: string): string => new Intl.DateTimeFormat('en-US', { timeZone: name }).resolvedOptions().timeZone;

afterEach(() => setZoneSource(() => undefined));

describe('the list of zone names', () => {
  it("is this runtime's ICU list (run `npm run zone-names` after a Node upgrade)", () => {
    expect(ZONE_NAMES_TZ_VERSION).toBe(process.versions.tz);
    expect(canonicalZoneNames()).toEqual([...new Set([...Intl.supportedValuesOf('timeZone'), 'UTC'])].sort());
  });

  it('spells every name, in any case, as Intl does', () => {
    for (const name of canonicalZoneNames()) {
      expect(intlName(name)).toBe(name);
      expect(intlName(name.toLowerCase())).toBe(name);
      expect(canonicalTimeZone(name.toLowerCase())).toBe(name);
      expect(canonicalTimeZone(name.toUpperCase())).toBe(name);
    }
  });

  it("takes UTC's other names as UTC, as Intl does", () => {
    for (const alias of UTC_ALIASES) {
      expect(intlName(alias), alias).toBe('UTC');
      expect(canonicalTimeZone(alias)).toBe('UTC');
      expect(isListedTimeZone(alias)).toBe(true);
    }
  });
});

describe('names off the list', () => {
  it('asks Intl: aliases are known and spelled canonically, nonsense is refused', () => {
    expect(isListedTimeZone('US/Eastern')).toBe(false);
    expect(isValidTimeZone('US/Eastern')).toBe(true);
    expect(canonicalTimeZone('US/Eastern')).toBe(intlName('US/Eastern'));
    expect(canonicalTimeZone('Asia/Kolkata')).toBe(intlName('Asia/Kolkata'));
    for (const bad of ['', 'UTC+3', 'GMT+25', 'Mars/Olympus', 'Europe/../Berlin']) {
      expect(isValidTimeZone(bad), bad).toBe(false);
      expect(() => zoneFor(bad)).toThrow(RangeError);
    }
    expect(() => canonicalTimeZone('Mars/Olympus')).toThrow(/Unknown time zone "Mars\/Olympus"/);
  });
});

describe('zoneFor', () => {
  it("is luxon's UTC for UTC by any name, and luxon's Intl zone without a source", () => {
    expect(zoneFor('Etc/UTC')).toBe(FixedOffsetZone.utcInstance);
    expect(zoneFor('utc')).toBe(FixedOffsetZone.utcInstance);
    const berlin = zoneFor('europe/berlin');
    expect(berlin).toBeInstanceOf(IANAZone);
    expect(berlin.name).toBe('Europe/Berlin');
  });

  it("takes the installed source's zone by canonical name, and Intl's where the source has none", () => {
    const asked: string[] = [];
    const fixed = FixedOffsetZone.instance(90);
    setZoneSource((name): Zone | undefined => {
      asked.push(name);
      return name === 'Europe/Berlin' ? fixed : undefined;
    });
    expect(zoneFor('EUROPE/BERLIN')).toBe(fixed);
    expect(zoneFor('Asia/Tokyo')).toBeInstanceOf(IANAZone);
    expect(zoneFor('US/Eastern').name).toBe('America/New_York');
    expect(asked).toEqual(['Europe/Berlin', 'Asia/Tokyo', 'America/New_York']);
    // Remembered: the source is asked once per name.
    zoneFor('EUROPE/BERLIN');
    expect(asked).toHaveLength(3);
  });
});
