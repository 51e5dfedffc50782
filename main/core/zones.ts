/**
 * Time zones by name, for luxon, without starting ICU where it can be helped.
 *
 * luxon answers a named zone's offsets through Intl, and the first Intl call of a process starts
 * ICU: about 14 MB of resident memory (ICU's data and code, mapped from the Node binary), 22 MB with
 * the collator and the zone list, kept until the process ends. So:
 * - names are checked and spelled canonically from {@link canonicalZoneNames} (ICU's own list, written
 *   at build time: the same spelling ICU gives, so period keys do not change);
 * - offsets come from a {@link ZoneSource} when one is installed: main/services/systemZones.ts reads
 *   the system's tz database (TZif files) and builds ./tzif.ts zones. Otherwise, and for any name the
 *   source does not have, luxon's IANAZone (Intl) answers as before.
 * Only names off the list (aliases such as "US/Eastern", or "Asia/Kolkata", which ICU spells
 * "Asia/Calcutta") still ask Intl, once per name.
 */
import { FixedOffsetZone, IANAZone, type Zone } from 'luxon';
import { canonicalZoneNames } from './zoneNames';

/** A zone's rules by canonical name, or undefined to leave it to Intl. */
export type ZoneSource = (canonicalName: string) => Zone | undefined;

let source: ZoneSource = () => undefined;

/** Zones handed out, by the name asked for. */
const zones = new Map<string, Zone>();

/** Answers of {@link canonicalTimeZone}, by name ("" for an unknown name). */
const canonicalNames = new Map<string, string>();

/** Names that are UTC by another name; ICU answers "UTC" for each (main/core/zones.test.ts checks). */
export const UTC_ALIASES: readonly string[] = ['Etc/UTC', 'Etc/UCT', 'Etc/Universal', 'Etc/Zulu', 'UCT', 'Universal', 'Zulu', 'GMT', 'Etc/GMT', 'Etc/GMT0', 'Etc/GMT+0', 'Etc/GMT-0', 'GMT0', 'GMT+0', 'GMT-0', 'Etc/Greenwich', 'Greenwich'];

let byLowerCase: Map<string, string> | undefined;
/** Canonical name by its lower-case spelling (ICU matches names without regard to case). */
function listed(): Map<string, string> {
  if (byLowerCase === undefined) {
    byLowerCase = new Map(canonicalZoneNames().map((name) => [name.toLowerCase(), name]));
    for (const alias of UTC_ALIASES) byLowerCase.set(alias.toLowerCase(), 'UTC');
  }
  return byLowerCase;
}

/**
 * Installs where zones' rules come from (main/services/systemZones.ts at the start of a process);
 * zones handed out before are forgotten.
 */
export function setZoneSource(next: ZoneSource): void {
  source = next;
  zones.clear();
}

/**
 * ICU's canonical spelling of a time zone name ("europe/berlin" → "Europe/Berlin", "Etc/UTC" → "UTC").
 * @throws RangeError for a name the runtime does not know.
 * @example canonicalTimeZone('utc') //=> 'UTC'
 */
export function canonicalTimeZone(timeZone: string): string {
  const name = canonicalOrEmpty(timeZone);
  if (name === '') throw new RangeError(`Unknown time zone "${String(timeZone).slice(0, 60)}"`);
  return name;
}

function canonicalOrEmpty(timeZone: string): string {
  if (typeof timeZone !== 'string' || timeZone.length === 0) return '';
  let name = canonicalNames.get(timeZone);
  if (name === undefined) {
    name = listed().get(timeZone.toLowerCase()) ?? intlCanonical(timeZone);
    if (canonicalNames.size >= 1000) canonicalNames.clear();
    canonicalNames.set(timeZone, name);
  }
  return name;
}

/** Intl's answer for a name off the list ("" when it does not know it): this starts ICU. */
function intlCanonical(timeZone: string): string {
  try {
    return new Intl.DateTimeFormat('en-US', { timeZone }).resolvedOptions().timeZone;
  } catch {
    return '';
  }
}

/**
 * True when `name` is on the list of canonical names (or a UTC alias), any case: known without Intl.
 * @example isListedTimeZone('europe/berlin') //=> true
 */
export function isListedTimeZone(name: string): boolean {
  return typeof name === 'string' && listed().has(name.toLowerCase());
}

/**
 * True when `name` is an IANA time zone this runtime knows ("UTC", "America/New_York").
 * Fixed offsets such as "UTC+3" are refused: they ignore daylight saving.
 * @example isValidTimeZone('Europe/Berlin') //=> true
 */
export function isValidTimeZone(name: string): boolean {
  if (typeof name !== 'string' || name.length === 0) return false;
  if (isListedTimeZone(name)) return true;
  // Off the list: luxon's check (Intl), as before the list (it takes aliases, and offsets such as "+03:00").
  return IANAZone.isValidZone(name) && canonicalOrEmpty(name) !== '';
}

/**
 * The luxon zone of a name: UTC as luxon's own, else the installed source's, else luxon's IANAZone.
 * @throws RangeError for a name the runtime does not know.
 * @example zoneFor('Europe/Berlin').offset(Date.UTC(2026, 0, 1)) //=> 60
 */
export function zoneFor(timeZone: string): Zone {
  let zone = zones.get(timeZone);
  if (zone === undefined) {
    if (!isValidTimeZone(timeZone)) throw new RangeError(`Unknown time zone "${String(timeZone).slice(0, 60)}"`);
    const canonical = canonicalTimeZone(timeZone);
    zone = canonical === 'UTC' ? FixedOffsetZone.utcInstance : (source(canonical) ?? IANAZone.create(canonical));
    if (zones.size >= 1000) zones.clear();
    zones.set(timeZone, zone);
  }
  return zone;
}
