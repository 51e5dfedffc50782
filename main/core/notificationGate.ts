/**
 * Whether an alert notification may be shown now, from the person's notification preferences:
 * a rule switched off drops it (the decision stays recorded, nothing is shown later), a pause or
 * quiet hours hold it back (it stays in the outbox and is shown at the first delivery attempt
 * after the pause or the quiet hours end, if it is still younger than a day). Pure: time and the
 * local time of day are parameters.
 */
import type { NotificationPreferences, NotificationRule } from '../../preload/api';

/** What to do with one notification now. */
export type NotificationVerdict =
  | { readonly action: 'show' }
  | { readonly action: 'hold'; readonly reason: 'paused' | 'quiet-hours' }
  | { readonly action: 'drop'; readonly reason: 'rule-off' };

/** Minutes since local midnight of an `HH:MM` time; undefined when malformed. */
export function minuteOfDay(time: string): number | undefined {
  const match = /^([01]\d|2[0-3]):([0-5]\d)$/.exec(time);
  if (!match) return undefined;
  return Number(match[1]) * 60 + Number(match[2]);
}

/**
 * True when `localMinute` (minutes since local midnight) lies in the quiet hours; a start after
 * the end spans midnight. Equal start and end mean no quiet hours.
 * @example inQuietHours({ enabled: true, start: '22:00', end: '07:00' }, 23 * 60) //=> true
 */
export function inQuietHours(quietHours: NotificationPreferences['quietHours'], localMinute: number): boolean {
  if (!quietHours.enabled) return false;
  const start = minuteOfDay(quietHours.start);
  const end = minuteOfDay(quietHours.end);
  if (start === undefined || end === undefined || start === end) return false;
  return start < end ? localMinute >= start && localMinute < end : localMinute >= start || localMinute < end;
}

/**
 * The verdict for a notification of `rule` at `nowMs`, `localMinute` being the local time of day.
 * @example notificationVerdict(prefs, 'threshold', nowMs, 9 * 60) //=> { action: 'show' }
 */
export function notificationVerdict(preferences: NotificationPreferences, rule: NotificationRule, nowMs: number, localMinute: number): NotificationVerdict {
  if (!preferences.rules[rule]) return { action: 'drop', reason: 'rule-off' };
  const pausedUntilMs = preferences.pausedUntil === null ? Number.NaN : Date.parse(preferences.pausedUntil);
  if (pausedUntilMs > nowMs) return { action: 'hold', reason: 'paused' };
  if (inQuietHours(preferences.quietHours, localMinute)) return { action: 'hold', reason: 'quiet-hours' };
  return { action: 'show' };
}
