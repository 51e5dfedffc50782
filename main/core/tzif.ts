/**
 * Time-zone rules from a TZif file (RFC 8536, the compiled tz database under /usr/share/zoneinfo),
 * as a luxon zone. Pure: the bytes come from the caller (main/services/systemZones.ts reads them).
 *
 * Why: luxon answers a zone's offset through Intl, and the first Intl.DateTimeFormat of a process
 * starts ICU, which maps about 10 MB of ICU's data and code into memory (18 MB with the collator
 * and the zone list) and keeps them for the life of the process: a tenth of `burnrate watch`'s
 * memory target. The system's tz database answers the same question from a few KB per zone.
 *
 * Read: version 2 and later (the 64-bit block), transitions, local time types and the footer's
 * POSIX TZ rule for instants after the last transition. Refused (null, the caller keeps luxon's
 * Intl zone): version 1 files, leap-second ("right/") files, and anything malformed.
 */
import { FixedOffsetZone, Zone, type ZoneOffsetFormat, type ZoneOffsetOptions } from 'luxon';

/** One local time type of a zone. */
export interface LocalTimeType {
  /** Offset from UTC, seconds east. */
  readonly offsetS: number;
  readonly isDst: boolean;
  /** Its abbreviation ("EST", "CEST", "+03"). */
  readonly abbr: string;
}

/** A POSIX TZ rule (a TZif footer): standard time, and daylight time between two dates a year. */
export interface PosixRule {
  readonly std: LocalTimeType;
  /** Absent: no daylight saving time. */
  readonly dst?: { readonly type: LocalTimeType; readonly start: RuleDate; readonly end: RuleDate };
}

/** When a daylight-saving change happens in a year, in local time. */
export type RuleDate =
  | { readonly kind: 'month'; readonly month: number; readonly week: number; readonly weekday: number; readonly timeS: number }
  /** Julian day 1–365, February 29 never counted. */
  | { readonly kind: 'julian'; readonly day: number; readonly timeS: number }
  /** Zero-based day of the year 0–365, February 29 counted. */
  | { readonly kind: 'day'; readonly day: number; readonly timeS: number };

/** A zone's rules: its transitions and the rule that follows them. */
export interface TzifRules {
  /** Transition instants, epoch seconds, ascending. */
  readonly transitions: readonly number[];
  /** The local time type (index into `types`) from each transition on. */
  readonly typeAt: readonly number[];
  readonly types: readonly LocalTimeType[];
  /** The footer's rule, for instants after the last transition (or all, without transitions). */
  readonly footer: PosixRule | null;
}

const HEADER_BYTES = 44;

/**
 * The rules of a TZif file of version 2 or later, or null for anything else.
 * @example parseTzif(readFileSync('/usr/share/zoneinfo/Europe/Berlin'))?.footer?.std.abbr //=> 'CET'
 */
export function parseTzif(bytes: Uint8Array): TzifRules | null {
  try {
    return readTzif(bytes);
  } catch {
    return null;
  }
}

function readTzif(bytes: Uint8Array): TzifRules | null {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const header = (at: number): { version: number; isut: number; isstd: number; leap: number; time: number; type: number; chars: number } | null => {
    if (at + HEADER_BYTES > bytes.length) return null;
    if (bytes[at] !== 0x54 || bytes[at + 1] !== 0x5a || bytes[at + 2] !== 0x69 || bytes[at + 3] !== 0x66) return null; // "TZif"
    const count = (i: number): number => view.getUint32(at + 20 + i * 4);
    return { version: bytes[at + 4]!, isut: count(0), isstd: count(1), leap: count(2), time: count(3), type: count(4), chars: count(5) };
  };
  const v1 = header(0);
  // Version 1 files hold 32-bit data only (no rule for the years after 2037): the caller keeps Intl.
  if (v1 === null || v1.version === 0) return null;
  const v1Bytes = v1.time * 5 + v1.type * 6 + v1.chars + v1.leap * 8 + v1.isstd + v1.isut;
  const at = HEADER_BYTES + v1Bytes;
  const h = header(at);
  if (h === null || h.leap !== 0 || h.type === 0) return null;
  let p = at + HEADER_BYTES;
  const end = p + h.time * 9 + h.type * 6 + h.chars + h.isstd + h.isut;
  if (end > bytes.length) return null;
  const transitions: number[] = [];
  for (let i = 0; i < h.time; i += 1, p += 8) transitions.push(Number(view.getBigInt64(p)));
  const typeAt: number[] = [];
  for (let i = 0; i < h.time; i += 1, p += 1) {
    if (bytes[p]! >= h.type) return null;
    typeAt.push(bytes[p]!);
  }
  const raw: { offsetS: number; isDst: boolean; abbrAt: number }[] = [];
  for (let i = 0; i < h.type; i += 1, p += 6) raw.push({ offsetS: view.getInt32(p), isDst: bytes[p + 4] === 1, abbrAt: bytes[p + 5]! });
  const chars = bytes.subarray(p, p + h.chars);
  const abbrAt = (index: number): string => {
    let stop = index;
    while (stop < chars.length && chars[stop] !== 0) stop += 1;
    return String.fromCharCode(...chars.subarray(index, stop));
  };
  const types = raw.map((t) => ({ offsetS: t.offsetS, isDst: t.isDst, abbr: abbrAt(t.abbrAt) }));
  for (let i = 1; i < transitions.length; i += 1) if (!(transitions[i]! > transitions[i - 1]!)) return null;
  // The footer: "\n<POSIX TZ string>\n" (empty: no rule after the last transition).
  const footerStart = end;
  if (bytes[footerStart] !== 0x0a) return null;
  const footerEnd = bytes.indexOf(0x0a, footerStart + 1);
  if (footerEnd < 0) return null;
  const tz = String.fromCharCode(...bytes.subarray(footerStart + 1, footerEnd));
  const footer = tz === '' ? null : parsePosixRule(tz);
  if (tz !== '' && footer === null) return null;
  if (footer === null && transitions.length === 0 && types.length !== 1) return null;
  return { transitions, typeAt, types, footer };
}

/**
 * A POSIX TZ string as TZif footers write it (RFC 8536 §3.3: hours of a rule's time may be −167 to 167), or null.
 * @example parsePosixRule('EST5EDT,M3.2.0,M11.1.0')?.dst?.type.offsetS //=> -14400
 */
export function parsePosixRule(text: string): PosixRule | null {
  let i = 0;
  const name = (): string | null => {
    if (text[i] === '<') {
      const close = text.indexOf('>', i);
      if (close < 0) return null;
      const quoted = text.slice(i + 1, close);
      i = close + 1;
      return /^[A-Za-z0-9+-]{3,}$/.test(quoted) ? quoted : null;
    }
    const match = /^[A-Za-z]{3,}/.exec(text.slice(i));
    if (!match) return null;
    i += match[0].length;
    return match[0];
  };
  /** `[+-]hh[:mm[:ss]]` in seconds; hours up to `maxHours`. */
  const duration = (maxHours: number): number | null => {
    const match = /^([+-]?)(\d{1,3})(?::(\d{2}))?(?::(\d{2}))?/.exec(text.slice(i));
    if (!match) return null;
    const hours = Number(match[2]);
    const minutes = Number(match[3] ?? 0);
    const seconds = Number(match[4] ?? 0);
    if (hours > maxHours || minutes > 59 || seconds > 59) return null;
    i += match[0].length;
    return (match[1] === '-' ? -1 : 1) * (hours * 3600 + minutes * 60 + seconds);
  };
  const date = (): RuleDate | null => {
    let at: (timeS: number) => RuleDate;
    const rest = text.slice(i);
    const month = /^M(\d{1,2})\.(\d)\.(\d)/.exec(rest);
    const julian = /^J(\d{1,3})/.exec(rest);
    const day = /^(\d{1,3})/.exec(rest);
    if (month) {
      const [m, w, d] = [Number(month[1]), Number(month[2]), Number(month[3])];
      if (m < 1 || m > 12 || w < 1 || w > 5 || d > 6) return null;
      at = (timeS) => ({ kind: 'month', month: m, week: w, weekday: d, timeS });
      i += month[0].length;
    } else if (julian) {
      const n = Number(julian[1]);
      if (n < 1 || n > 365) return null;
      at = (timeS) => ({ kind: 'julian', day: n, timeS });
      i += julian[0].length;
    } else if (day) {
      const n = Number(day[1]);
      if (n > 365) return null;
      at = (timeS) => ({ kind: 'day', day: n, timeS });
      i += day[0].length;
    } else {
      return null;
    }
    let timeS = 2 * 3600;
    if (text[i] === '/') {
      i += 1;
      const t = duration(167);
      if (t === null) return null;
      timeS = t;
    }
    return at(timeS);
  };
  const stdName = name();
  if (stdName === null) return null;
  const stdWest = duration(24);
  if (stdWest === null) return null;
  const std: LocalTimeType = { offsetS: -stdWest, isDst: false, abbr: stdName };
  if (i === text.length) return { std };
  const dstName = name();
  if (dstName === null) return null;
  let dstOffsetS = std.offsetS + 3600;
  if (text[i] !== ',') {
    const dstWest = duration(24);
    if (dstWest === null) return null;
    dstOffsetS = -dstWest;
  }
  // Without dates POSIX leaves the rule to the implementation; TZif footers always give them.
  if (text[i] !== ',') return null;
  i += 1;
  const start = date();
  if (start === null || text[i] !== ',') return null;
  i += 1;
  const end = date();
  if (end === null || i !== text.length) return null;
  return { std, dst: { type: { offsetS: dstOffsetS, isDst: true, abbr: dstName }, start, end } };
}

const DAY_S = 86_400;

/** Local midnight (as if UTC, epoch seconds) of a rule date's day in `year`, plus its time. */
function ruleLocalSeconds(date: RuleDate, year: number): number {
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  const yearStart = Date.UTC(year, 0, 1) / 1000;
  switch (date.kind) {
    case 'julian':
      return yearStart + (date.day - 1 + (leap && date.day >= 60 ? 1 : 0)) * DAY_S + date.timeS;
    case 'day':
      return yearStart + date.day * DAY_S + date.timeS;
    case 'month': {
      const first = Date.UTC(year, date.month - 1, 1) / 1000;
      const firstWeekday = new Date(first * 1000).getUTCDay();
      let day = 1 + ((date.weekday - firstWeekday + 7) % 7) + (date.week - 1) * 7;
      const length = new Date(Date.UTC(year, date.month, 0)).getUTCDate();
      while (day > length) day -= 7;
      return first + (day - 1) * DAY_S + date.timeS;
    }
  }
}

/**
 * The local time type a POSIX rule gives at an instant (epoch seconds).
 * @example ruleTypeAt(parsePosixRule('EST5EDT,M3.2.0,M11.1.0')!, Date.UTC(2026, 6, 1) / 1000).abbr //=> 'EDT'
 */
export function ruleTypeAt(rule: PosixRule, instantS: number): LocalTimeType {
  const dst = rule.dst;
  if (dst === undefined) return rule.std;
  const year = new Date(instantS * 1000).getUTCFullYear();
  // Daylight time starts at a local standard time and ends at a local daylight time.
  const startS = ruleLocalSeconds(dst.start, year) - rule.std.offsetS;
  const endS = ruleLocalSeconds(dst.end, year) - dst.type.offsetS;
  const inDst = startS < endS ? instantS >= startS && instantS < endS : !(instantS >= endS && instantS < startS);
  return inDst ? dst.type : rule.std;
}

/**
 * The local time type of `rules` at an instant (epoch seconds).
 * @example tzifTypeAt(berlinRules, Date.UTC(2026, 0, 1) / 1000).offsetS //=> 3600
 */
export function tzifTypeAt(rules: TzifRules, instantS: number): LocalTimeType {
  const { transitions, typeAt, types, footer } = rules;
  const n = transitions.length;
  if (n === 0) return footer === null ? types[0]! : ruleTypeAt(footer, instantS);
  if (instantS < transitions[0]!) return types[0]!;
  if (instantS >= transitions[n - 1]! && footer !== null) return ruleTypeAt(footer, instantS);
  let lo = 0;
  let hi = n - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (transitions[mid]! <= instantS) lo = mid;
    else hi = mid - 1;
  }
  return types[typeAt[lo]!]!;
}

/** An offset in luxon's formats ("+05:30", "+5:30", "+0530"), written by luxon's fixed-offset zone. */
function formatOffset(offsetMinutes: number, format: ZoneOffsetFormat): string {
  return FixedOffsetZone.instance(offsetMinutes).formatOffset(0, format);
}

/**
 * The abbreviations ICU's en-US data writes as they are (North American zones and GMT), with the
 * offset (minutes) each stands for there. Every other zone ICU names by its offset ("GMT+1").
 */
const EN_US_ABBREVIATIONS: Readonly<Record<string, number>> = {
  UTC: 0,
  GMT: 0,
  EST: -300,
  EDT: -240,
  CST: -360,
  CDT: -300,
  MST: -420,
  MDT: -360,
  PST: -480,
  PDT: -420,
  AKST: -540,
  AKDT: -480,
  HST: -600,
  HDT: -540,
  AST: -240,
  ADT: -180,
};

/**
 * Where ICU's en-US names differ from that rule today (its names follow each zone's current
 * "metazone"): by zone, the abbreviations it writes otherwise, "" meaning by offset. Mexico's
 * Pacific coast and Yukon are named by offset, the Aleutians are "Hawaii-Aleutian" time, Troll is GMT.
 */
const EN_US_EXCEPTIONS: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  'America/Adak': { HST: 'HAST', HDT: 'HADT' },
  'America/Dawson': { MST: '' },
  'America/Hermosillo': { MST: '' },
  'America/Mazatlan': { MST: '', MDT: '' },
  'America/Whitehorse': { MST: '' },
  'Antarctica/Troll': { '+00': 'GMT' },
};

/**
 * A zone's short name at an instant as Intl's en-US writes it: the tz abbreviation where ICU uses
 * the same one ("EST", "PDT"), else the offset from GMT ("GMT+1", "GMT+5:30", "GMT-3", "GMT+0").
 * test/unit/tzif.test.ts holds this to Intl for every zone from 2024 on; earlier dates may differ in name (not in offset).
 * @example shortName('Europe/Berlin', { offsetS: 3600, isDst: false, abbr: 'CET' }) //=> 'GMT+1'
 */
export function shortName(zoneName: string, type: LocalTimeType): string {
  const minutes = type.offsetS / 60;
  const exception = EN_US_EXCEPTIONS[zoneName]?.[type.abbr];
  if (exception !== undefined && exception !== '') return exception;
  if (exception === undefined && EN_US_ABBREVIATIONS[type.abbr] === minutes) return type.abbr;
  return minutes === 0 ? 'GMT+0' : `GMT${formatOffset(minutes, 'narrow')}`;
}

/**
 * A luxon zone answered from TZif rules instead of Intl: the same offsets as luxon's IANAZone of
 * the same name, and short names as Intl's en-US writes them ({@link shortName}). Long names
 * ("Central European Standard Time") come from `longName`, which the caller backs with Intl.
 */
export class TzifZone extends Zone {
  /** @param longName the long name at an instant (Intl's, loaded only when asked for). */
  constructor(
    private readonly zoneName: string,
    private readonly rules: TzifRules,
    private readonly longName: (ts: number, locale: string | undefined) => string | null,
  ) {
    super();
  }

  override get type(): string {
    return 'iana';
  }

  override get name(): string {
    return this.zoneName;
  }

  override get isUniversal(): boolean {
    return false;
  }

  override get isValid(): boolean {
    return true;
  }

  override offsetName(ts: number, options: ZoneOffsetOptions): string | null {
    return options.format === 'long' ? this.longName(ts, options.locale) : shortName(this.zoneName, this.typeAt(ts));
  }

  override formatOffset(ts: number, format: ZoneOffsetFormat): string {
    return formatOffset(this.offset(ts), format);
  }

  override offset(ts: number): number {
    return this.typeAt(ts).offsetS / 60;
  }

  override equals(other: Zone): boolean {
    return other.type === 'iana' && other.name === this.zoneName;
  }

  /** The type at `ts` (epoch ms). */
  private typeAt(ts: number): LocalTimeType {
    return tzifTypeAt(this.rules, Math.floor(ts / 1000));
  }
}
