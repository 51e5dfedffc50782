/**
 * The system's time-zone database (TZif files under /usr/share/zoneinfo, or $TZDIR) as the source of
 * main/core/zones.ts, so that a process does not start ICU for time zones (main/core/tzif.ts says
 * why). Where the database is missing (Windows) or a file cannot be read, luxon's Intl zones answer.
 *
 * The system's database is the one the system clock follows: a period starts at the local
 * midnight the person's own clock shows. It can be older or newer than the tz version inside
 * Node's ICU (`process.versions.tz`); the two differ only for zones whose rules changed in between.
 */
import { readFileSync, readlinkSync } from 'node:fs';
import { join } from 'node:path';
import { IANAZone, Settings, SystemZone, type Zone } from 'luxon';
import { parsePosixRule, parseTzif, TzifZone, type TzifRules } from '../core/tzif';
import { canonicalTimeZone, isListedTimeZone, isValidTimeZone, setZoneSource, zoneFor } from '../core/zones';

/** Where the system keeps its tz database. */
export function zoneinfoDir(env: Readonly<Record<string, string | undefined>> = process.env): string {
  return env.TZDIR !== undefined && env.TZDIR !== '' ? env.TZDIR : '/usr/share/zoneinfo';
}

/** A zone name as a relative path: letters, digits, `_ + -` in `/`-separated parts (no `..`, nothing absolute). */
const ZONE_PATH = /^[A-Za-z0-9_+-]+(?:\/[A-Za-z0-9_+-]+)*$/;

function readRules(file: string): TzifRules | null {
  try {
    return parseTzif(readFileSync(file));
  } catch {
    return null;
  }
}

/** A zone of the database in `dir` by name, or undefined when it has no readable TZif file for it. */
export function tzifZone(name: string, dir: string): Zone | undefined {
  if (!ZONE_PATH.test(name)) return undefined;
  const rules = readRules(join(dir, name));
  return rules === null ? undefined : new TzifZone(name, rules, longNameByIntl(name));
}

/** Long names ("Central European Standard Time") only Intl has; asked for nowhere in Burnrate today. */
const longNameByIntl =
  (name: string) =>
  (ts: number, locale: string | undefined): string | null =>
    IANAZone.create(name).offsetName(ts, { format: 'long', locale: locale ?? 'en-US' });

/**
 * Makes main/core/zones.ts answer from the system's database, and luxon format in en-US without
 * asking Intl for the system's locale (Burnrate's own texts are English). Call once at the start of
 * a process (the CLI, the tray app's main process).
 */
export function installSystemZones(dir: string = zoneinfoDir()): void {
  Settings.defaultLocale = 'en-US';
  setZoneSource((name) => tzifZone(name, dir));
}

/** $TZ without the leading ":" glibc allows, or undefined when unset. */
function tzVariable(env: Readonly<Record<string, string | undefined>>): string | undefined {
  const tz = env.TZ;
  return tz === undefined ? undefined : tz.startsWith(':') ? tz.slice(1) : tz;
}

/** The zone name /etc/localtime links to ("Europe/Berlin"), if it is such a link. */
function localtimeLinkName(localtime: string): string | undefined {
  try {
    const target = readlinkSync(localtime);
    const at = target.lastIndexOf('zoneinfo/');
    return at < 0 ? undefined : target.slice(at + 'zoneinfo/'.length);
  } catch {
    return undefined;
  }
}

/** Where to look for the system's zone (tests point them elsewhere). */
export interface SystemZoneOptions {
  readonly env?: Readonly<Record<string, string | undefined>>;
  readonly localtime?: string;
}

/**
 * The system's IANA time zone name, canonical: $TZ when it names a zone, else the zone
 * /etc/localtime links to, else Intl's answer, else UTC.
 * @example systemTimeZoneName({ env: { TZ: 'Europe/Berlin' } }) //=> 'Europe/Berlin'
 */
export function systemTimeZoneName(options: SystemZoneOptions = {}): string {
  const env = options.env ?? process.env;
  const tz = tzVariable(env);
  if (tz === '') return 'UTC';
  const named = tz ?? localtimeLinkName(options.localtime ?? '/etc/localtime');
  if (named !== undefined && isValidTimeZone(named)) return canonicalTimeZone(named);
  const zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  return zone && isValidTimeZone(zone) ? canonicalTimeZone(zone) : 'UTC';
}

/**
 * The system's zone for showing local times: $TZ (a zone name, a TZif file path or a POSIX rule
 * such as "EST5EDT,M3.2.0,M11.1.0"), else /etc/localtime; luxon's system zone (Intl) when neither reads.
 * @example localZone({ env: { TZ: 'UTC' } }).name //=> 'UTC'
 */
export function localZone(options: SystemZoneOptions = {}): Zone {
  // The process's own zone is read once (each local time the CLI prints asks for it).
  if (options.env === undefined && options.localtime === undefined) return (processZone ??= readLocalZone({}));
  return readLocalZone(options);
}

/** The process's zone, once {@link localZone} has read it. */
let processZone: Zone | undefined;

function readLocalZone(options: SystemZoneOptions): Zone {
  const env = options.env ?? process.env;
  const tz = tzVariable(env);
  if (tz === '') return zoneFor('UTC');
  if (tz !== undefined) {
    if (tz.startsWith('/')) {
      const rules = readRules(tz);
      if (rules !== null) return new TzifZone(tz, rules, () => null);
    } else if (isListedTimeZone(tz)) {
      return zoneFor(tz);
    } else {
      const rule = parsePosixRule(tz);
      if (rule !== null) return new TzifZone(tz, { transitions: [], typeAt: [], types: [rule.std], footer: rule }, () => null);
      if (isValidTimeZone(tz)) return zoneFor(tz);
    }
    return SystemZone.instance;
  }
  const localtime = options.localtime ?? '/etc/localtime';
  const linked = localtimeLinkName(localtime);
  const name = linked !== undefined && isListedTimeZone(linked) ? canonicalTimeZone(linked) : 'localtime';
  if (name === 'UTC') return zoneFor('UTC');
  const rules = readRules(localtime);
  if (rules === null) return SystemZone.instance;
  return new TzifZone(name, rules, longNameByIntl(name));
}
