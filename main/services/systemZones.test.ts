/**
 * The system's tz database as the zones' source (./systemZones.ts): the system zone's name and
 * rules from $TZ or /etc/localtime (links made in a temporary folder), and zone files read safely.
 */
import { mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { IANAZone, Settings, SystemZone } from 'luxon';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { TzifZone } from '../core/tzif';
import { setZoneSource, zoneFor } from '../core/zones';
import { installSystemZones, localZone, systemTimeZoneName, tzifZone, zoneinfoDir } from './systemZones';

const ZONEINFO = '/usr/share/zoneinfo';
const dir = mkdtempSync(join(tmpdir(), 'burnrate-zones-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const defaultLocale = Settings.defaultLocale;
afterEach(() => {
  setZoneSource(() => undefined);
  Settings.defaultLocale = defaultLocale;
});

let links = 0;
/** A fake /etc/localtime: a link to `target`. */
function localtimeLinkedTo(target: string): string {
  const link = join(dir, `localtime-${(links += 1)}`);
  symlinkSync(target, link);
  return link;
}
const JULY = Date.UTC(2026, 6, 1);
const JANUARY = Date.UTC(2026, 0, 1);

describe('systemTimeZoneName', () => {
  it('is $TZ when it names a zone, spelled canonically', () => {
    expect(systemTimeZoneName({ env: { TZ: 'Europe/Berlin' } })).toBe('Europe/Berlin');
    expect(systemTimeZoneName({ env: { TZ: ':america/new_york' } })).toBe('America/New_York');
    expect(systemTimeZoneName({ env: { TZ: '' } })).toBe('UTC');
    expect(systemTimeZoneName({ env: { TZ: 'Etc/UTC' } })).toBe('UTC');
  });

  it('is the zone /etc/localtime links to when $TZ is unset', () => {
    expect(systemTimeZoneName({ env: {}, localtime: localtimeLinkedTo(join(ZONEINFO, 'Asia/Tokyo')) })).toBe('Asia/Tokyo');
    expect(systemTimeZoneName({ env: {}, localtime: localtimeLinkedTo('../usr/share/zoneinfo/Etc/UTC') })).toBe('UTC');
  });

  it("is Intl's answer when neither names a zone", () => {
    const intl = Intl.DateTimeFormat().resolvedOptions().timeZone;
    expect(systemTimeZoneName({ env: {}, localtime: join(dir, 'no-such-file') })).toBe(intl);
  });
});

describe('localZone', () => {
  it('reads $TZ as a zone name, a TZif file or a POSIX rule', () => {
    installSystemZones(ZONEINFO);
    const named = localZone({ env: { TZ: 'America/New_York' } });
    expect(named).toBeInstanceOf(TzifZone);
    expect(named.offset(JULY)).toBe(-240);
    const file = localZone({ env: { TZ: join(ZONEINFO, 'Asia/Tokyo') } });
    expect(file.offset(JULY)).toBe(540);
    const rule = localZone({ env: { TZ: 'AEST-10AEDT,M10.1.0,M4.1.0/3' } });
    expect([rule.offset(JANUARY), rule.offset(JULY)]).toEqual([660, 600]);
    expect(rule.offsetName(JANUARY, { format: 'short' })).toBe('GMT+11');
    expect(localZone({ env: { TZ: '' } }).offset(JULY)).toBe(0);
    expect(localZone({ env: { TZ: 'not a zone or rule' } })).toBe(SystemZone.instance);
  });

  it('reads /etc/localtime when $TZ is unset, named after its link', () => {
    const zone = localZone({ env: {}, localtime: localtimeLinkedTo(join(ZONEINFO, 'Europe/Berlin')) });
    expect(zone).toBeInstanceOf(TzifZone);
    expect(zone.name).toBe('Europe/Berlin');
    expect([zone.offset(JANUARY), zone.offset(JULY)]).toEqual([60, 120]);
    expect(localZone({ env: {}, localtime: join(dir, 'no-such-file') })).toBe(SystemZone.instance);
  });
});

describe('zone files', () => {
  it('reads a zone by name from the database folder, and nothing outside it', () => {
    expect(tzifZone('Europe/Berlin', ZONEINFO)?.offset(JULY)).toBe(120);
    expect(tzifZone('Europe/Berlin', join(dir, 'nowhere'))).toBeUndefined();
    for (const name of ['../zoneinfo/Europe/Berlin', '/etc/passwd', 'Europe/./Berlin', '', 'zone.tab']) expect(tzifZone(name, ZONEINFO), name).toBeUndefined();
    expect(zoneinfoDir({ TZDIR: '/opt/tz' })).toBe('/opt/tz');
    expect(zoneinfoDir({})).toBe(ZONEINFO);
  });

  it("installSystemZones makes zoneFor answer from the database (Intl where it has no file), and luxon write en-US", () => {
    installSystemZones(ZONEINFO);
    expect(Settings.defaultLocale).toBe('en-US');
    expect(zoneFor('Europe/Berlin')).toBeInstanceOf(TzifZone);
    installSystemZones(join(dir, 'empty'));
    expect(zoneFor('Europe/Berlin')).toBeInstanceOf(IANAZone);
  });
});
