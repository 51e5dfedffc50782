import { describe, expect, it } from 'vitest';
import type { NotificationPreferences } from '../../preload/api';
import { inQuietHours, minuteOfDay, notificationVerdict } from './notificationGate';

const NOW = Date.UTC(2026, 10, 26, 12, 0);
const base: NotificationPreferences = {
  rules: { threshold: true, forecast: true, spike: true, idle: true, connection: true },
  quietHours: { enabled: false, start: '22:00', end: '07:00' },
  pausedUntil: null,
};

describe('notificationVerdict', () => {
  it('shows when nothing holds it back', () => {
    expect(notificationVerdict(base, 'threshold', NOW, 12 * 60)).toEqual({ action: 'show' });
  });

  it('drops a notification of a rule that is switched off', () => {
    const prefs = { ...base, rules: { ...base.rules, spike: false } };
    expect(notificationVerdict(prefs, 'spike', NOW, 12 * 60)).toEqual({ action: 'drop', reason: 'rule-off' });
    expect(notificationVerdict(prefs, 'threshold', NOW, 12 * 60)).toEqual({ action: 'show' });
  });

  it('holds while paused, and shows once the pause has ended', () => {
    const prefs = { ...base, pausedUntil: new Date(NOW + 60_000).toISOString() };
    expect(notificationVerdict(prefs, 'threshold', NOW, 12 * 60)).toEqual({ action: 'hold', reason: 'paused' });
    expect(notificationVerdict(prefs, 'threshold', NOW + 60_000, 12 * 60)).toEqual({ action: 'show' });
  });

  it('holds in quiet hours', () => {
    const prefs = { ...base, quietHours: { enabled: true, start: '22:00', end: '07:00' } };
    expect(notificationVerdict(prefs, 'connection', NOW, 23 * 60)).toEqual({ action: 'hold', reason: 'quiet-hours' });
    expect(notificationVerdict(prefs, 'connection', NOW, 7 * 60)).toEqual({ action: 'show' });
  });
});

describe('inQuietHours', () => {
  it.each([
    ['22:00', '07:00', 21 * 60 + 59, false],
    ['22:00', '07:00', 22 * 60, true],
    ['22:00', '07:00', 0, true],
    ['22:00', '07:00', 6 * 60 + 59, true],
    ['22:00', '07:00', 7 * 60, false],
    ['09:00', '17:30', 12 * 60, true],
    ['09:00', '17:30', 17 * 60 + 30, false],
    ['09:00', '09:00', 9 * 60, false],
    ['9:00', '17:00', 12 * 60, false],
  ])('%s–%s at minute %i: %s', (start, end, minute, quiet) => {
    expect(inQuietHours({ enabled: true, start, end }, minute)).toBe(quiet);
  });

  it('is off when disabled', () => {
    expect(inQuietHours({ enabled: false, start: '00:00', end: '23:59' }, 600)).toBe(false);
  });

  it('parses HH:MM only', () => {
    expect([minuteOfDay('00:00'), minuteOfDay('23:59'), minuteOfDay('24:00'), minuteOfDay('7:00')]).toEqual([0, 1439, undefined, undefined]);
  });
});
