/**
 * TZif zones (main/core/tzif.ts) against three oracles: the system's own `zdump` reading the same files
 * (every transition 2000–2050 of every zone (past 2037 a fat file's table has ended and its footer rule answers), to the second, offset and abbreviation), luxon's Intl
 * zones (local midnights through luxon, and en-US short names), and hand-worked POSIX rules.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { DateTime, IANAZone } from 'luxon';
import { describe, expect, it } from 'vitest';
import { parsePosixRule, parseTzif, ruleTypeAt, shortName, tzifTypeAt, TzifZone, type TzifRules } from '../../main/core/tzif';
import { canonicalZoneNames } from '../../main/core/zoneNames';

const ZONEINFO = '/usr/share/zoneinfo';
const rulesOf = (name: string): TzifRules => {
  const rules = parseTzif(readFileSync(join(ZONEINFO, name)));
  if (rules === null) throw new Error(`no rules for ${name}`);
  return rules;
};
/** The zones of ICU's list that the system's database has. */
const zonesOnDisk = canonicalZoneNames().filter((name) => existsSync(join(ZONEINFO, name)));
const at = (iso: string): number => Date.parse(iso) / 1000;

describe('POSIX TZ rules (TZif footers)', () => {
  const cases: [rule: string, instant: string, offsetS: number, abbr: string][] = [
    ['EST5EDT,M3.2.0,M11.1.0', '2026-03-08T06:59:59Z', -18_000, 'EST'],
    ['EST5EDT,M3.2.0,M11.1.0', '2026-03-08T07:00:00Z', -14_400, 'EDT'],
    ['EST5EDT,M3.2.0,M11.1.0', '2026-11-01T05:59:59Z', -14_400, 'EDT'],
    ['EST5EDT,M3.2.0,M11.1.0', '2026-11-01T06:00:00Z', -18_000, 'EST'],
    ['CET-1CEST,M3.5.0,M10.5.0/3', '2026-03-29T00:59:59Z', 3600, 'CET'],
    ['CET-1CEST,M3.5.0,M10.5.0/3', '2026-03-29T01:00:00Z', 7200, 'CEST'],
    ['CET-1CEST,M3.5.0,M10.5.0/3', '2026-10-25T00:59:59Z', 7200, 'CEST'],
    ['CET-1CEST,M3.5.0,M10.5.0/3', '2026-10-25T01:00:00Z', 3600, 'CET'],
    // Southern hemisphere: daylight time spans the new year.
    ['AEST-10AEDT,M10.1.0,M4.1.0/3', '2026-01-15T00:00:00Z', 39_600, 'AEDT'],
    ['AEST-10AEDT,M10.1.0,M4.1.0/3', '2026-04-04T15:59:59Z', 39_600, 'AEDT'],
    ['AEST-10AEDT,M10.1.0,M4.1.0/3', '2026-04-04T16:00:00Z', 36_000, 'AEST'],
    ['AEST-10AEDT,M10.1.0,M4.1.0/3', '2026-10-03T15:59:59Z', 36_000, 'AEST'],
    ['AEST-10AEDT,M10.1.0,M4.1.0/3', '2026-10-03T16:00:00Z', 39_600, 'AEDT'],
    // Greenland: quoted names, and a change at −1:00 local time (the day before).
    ['<-02>2<-01>,M3.5.0/-1,M10.5.0/0', '2026-03-29T00:59:59Z', -7200, '-02'],
    ['<-02>2<-01>,M3.5.0/-1,M10.5.0/0', '2026-03-29T01:00:00Z', -3600, '-01'],
    ['<-02>2<-01>,M3.5.0/-1,M10.5.0/0', '2026-10-25T00:59:59Z', -3600, '-01'],
    ['<-02>2<-01>,M3.5.0/-1,M10.5.0/0', '2026-10-25T01:00:00Z', -7200, '-02'],
    // Israel: the Friday before the last Sunday of March, as the 4th Thursday at 26:00.
    ['IST-2IDT,M3.4.4/26,M10.5.0', '2026-03-26T23:59:59Z', 7200, 'IST'],
    ['IST-2IDT,M3.4.4/26,M10.5.0', '2026-03-27T00:00:00Z', 10_800, 'IDT'],
    // Julian days without February 29 (J60 is March 1st) and zero-based days with it (59 is February 29th in 2028).
    ['AAA-1BBB,J60/0,J300/0', '2028-02-29T22:59:59Z', 3600, 'AAA'],
    ['AAA-1BBB,J60/0,J300/0', '2028-02-29T23:00:00Z', 7200, 'BBB'],
    ['AAA-1BBB,59/0,300/0', '2028-02-28T22:59:59Z', 3600, 'AAA'],
    ['AAA-1BBB,59/0,300/0', '2028-02-28T23:00:00Z', 7200, 'BBB'],
    // No daylight saving; minutes in the offset.
    ['<+0530>-5:30', '2026-07-01T00:00:00Z', 19_800, '+0530'],
    ['HST10', '2026-07-01T00:00:00Z', -36_000, 'HST'],
  ];
  it.each(cases)('%s at %s: %i s, %s', (text, instant, offsetS, abbr) => {
    const rule = parsePosixRule(text);
    expect(rule).not.toBeNull();
    expect(ruleTypeAt(rule!, at(instant))).toMatchObject({ offsetS, abbr });
  });

  it.each(['', 'E5', 'EST', 'EST5EDT', 'EST5EDT,M13.1.0,M11.1.0', 'EST5EDT,M3.2.0', 'EST5EDT,M3.2.0,M11.1.0,x', '<AB>5', 'EST25', 'EST5EDT,J0,J300', 'EST5EDT,366,300', 'EST5EDT,M3.2.0/168,M11.1.0'])(
    'refuses %j',
    (text) => {
      expect(parsePosixRule(text)).toBeNull();
    },
  );
});

describe('TZif files', () => {
  it('the system database has the zones of the list (the other tests read them)', () => {
    expect(zonesOnDisk.length).toBeGreaterThan(300);
  });

  it("every transition 2000–2050 of every zone (past 2037 a fat file's table has ended and its footer rule answers), to the second, as the system's zdump reads the same files", () => {
    const out = execFileSync('zdump', ['-v', '-c', '2000,2050', ...zonesOnDisk], { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
    const line = /^(\S+)\s+\w{3} (\w{3})\s+(\d+) (\d\d):(\d\d):(\d\d) (\d+) UT = .* (\S+) isdst=([01]) gmtoff=(-?\d+)$/;
    const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
    const rules = new Map<string, TzifRules>();
    const wrong: string[] = [];
    let checked = 0;
    for (const text of out.split('\n')) {
      const m = line.exec(text);
      if (!m) continue;
      const [, zone, month, day, hh, mm, ss, year, abbr, isDst, gmtoff] = m;
      const instantS = Date.UTC(Number(year), months.indexOf(month!), Number(day), Number(hh), Number(mm), Number(ss)) / 1000;
      let zoneRules = rules.get(zone!);
      if (zoneRules === undefined) rules.set(zone!, (zoneRules = rulesOf(zone!)));
      const type = tzifTypeAt(zoneRules, instantS);
      checked += 1;
      if (type.offsetS !== Number(gmtoff) || type.abbr !== abbr || type.isDst !== (isDst === '1')) {
        wrong.push(`${text} → ${JSON.stringify(type)}`);
      }
    }
    expect(wrong.slice(0, 5)).toEqual([]);
    // Two lines per transition (the second before and the second of), for hundreds of zones.
    expect(checked).toBeGreaterThan(15_000);
  });

  it('refuses version 1 data, leap-second files, other files and damaged ones; never throws', () => {
    const berlin = readFileSync(join(ZONEINFO, 'Europe/Berlin'));
    expect(parseTzif(berlin)).not.toBeNull();
    // The version-1 block alone (its header counts give its length).
    const count = (i: number): number => berlin.readUInt32BE(20 + i * 4);
    const v1Length = 44 + count(3) * 5 + count(4) * 6 + count(5) + count(2) * 8 + count(1) + count(0);
    expect(parseTzif(berlin.subarray(0, v1Length))).toBeNull();
    const v1Only = Buffer.from(berlin.subarray(0, v1Length));
    v1Only[4] = 0;
    expect(parseTzif(v1Only)).toBeNull();
    expect(parseTzif(berlin.subarray(0, berlin.length - 3))).toBeNull();
    expect(parseTzif(Buffer.from('not a zone file at all, nowhere near 44 bytes long……'))).toBeNull();
    if (existsSync(join(ZONEINFO, 'right/UTC'))) expect(parseTzif(readFileSync(join(ZONEINFO, 'right/UTC')))).toBeNull();
    fc.assert(
      fc.property(fc.integer({ min: 0, max: berlin.length - 1 }), fc.integer({ min: 0, max: 255 }), fc.integer({ min: 0, max: berlin.length }), (index, byte, length) => {
        const damaged = Buffer.from(berlin);
        damaged[index] = byte;
        const rules = parseTzif(damaged.subarray(0, length));
        if (rules !== null) expect(Number.isFinite(tzifTypeAt(rules, at('2026-07-01T00:00:00Z')).offsetS)).toBe(true);
      }),
      { numRuns: 2000 },
    );
    fc.assert(fc.property(fc.uint8Array({ maxLength: 400 }), (bytes) => void parseTzif(bytes)));
  });
});

describe('TzifZone in luxon', () => {
  const zone = (name: string): TzifZone => new TzifZone(name, rulesOf(name), () => null);

  it.each(['America/New_York', 'Europe/Berlin', 'Australia/Sydney', 'America/Santiago', 'Asia/Calcutta', 'Pacific/Chatham', 'America/St_Johns'])(
    "%s: every local midnight of 2026 and the instants around them match luxon's Intl zone",
    (name) => {
      const ours = zone(name);
      const intl = IANAZone.create(name);
      for (let day = DateTime.fromObject({ year: 2026, month: 1, day: 1 }, { zone: intl }); day.year === 2026; day = day.plus({ days: 1 })) {
        const expected = day.startOf('day');
        const mine = DateTime.fromObject({ year: day.year, month: day.month, day: day.day }, { zone: ours });
        expect(mine.toMillis(), `${name} ${expected.toISODate()}`).toBe(expected.toMillis());
        expect(ours.offset(expected.toMillis() - 1)).toBe(intl.offset(expected.toMillis() - 1));
      }
      expect(ours.equals(IANAZone.create(name))).toBe(true);
      expect(ours.formatOffset(Date.UTC(2026, 6, 1), 'techie')).toBe(intl.formatOffset(Date.UTC(2026, 6, 1), 'techie'));
    },
  );

  it("short names are Intl's en-US ones for every zone, every month of 2024–2027", () => {
    let compared = 0;
    const wrong: string[] = [];
    for (const name of zonesOnDisk) {
      const ours = zone(name);
      const intl = IANAZone.create(name);
      for (let k = 0; k < 48; k += 1) {
        const ts = Date.UTC(2024 + Math.floor(k / 12), k % 12, 15, 12);
        // Where the system's tz version and ICU's disagree on the offset, the names cannot agree.
        if (ours.offset(ts) !== intl.offset(ts)) continue;
        compared += 1;
        const mine = ours.offsetName(ts, { format: 'short', locale: 'en-US' });
        const theirs = intl.offsetName(ts, { format: 'short', locale: 'en-US' });
        if (mine !== theirs) wrong.push(`${name} ${new Date(ts).toISOString()}: ${mine} vs ${theirs}`);
      }
    }
    expect(wrong.slice(0, 10)).toEqual([]);
    expect(compared).toBeGreaterThan(zonesOnDisk.length * 40);
  });

  it('names by offset what ICU does not abbreviate', () => {
    expect(shortName('Europe/Berlin', { offsetS: 3600, isDst: false, abbr: 'CET' })).toBe('GMT+1');
    expect(shortName('Asia/Calcutta', { offsetS: 19_800, isDst: false, abbr: 'IST' })).toBe('GMT+5:30');
    expect(shortName('Asia/Shanghai', { offsetS: 28_800, isDst: false, abbr: 'CST' })).toBe('GMT+8');
    expect(shortName('America/Chicago', { offsetS: -21_600, isDst: false, abbr: 'CST' })).toBe('CST');
    expect(shortName('Europe/Lisbon', { offsetS: 0, isDst: false, abbr: 'WET' })).toBe('GMT+0');
  });
});
