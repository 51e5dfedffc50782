/**
 * Notifications: one switch per alert rule, quiet hours, and pause for an hour or until tomorrow.
 */
import { useState } from 'react';
import type { NotificationPause, NotificationRule, SettingsChange, SettingsView } from '../../../../preload/api';
import { NOTIFICATION_RULES } from '../../../../preload/api';
import { formatTime } from '../../format';
import type { SettingsTransport } from '../../spendApi';

/** Props of {@link NotificationsSection}. */
export interface NotificationsSectionProps {
  readonly transport: SettingsTransport;
  readonly view: SettingsView;
  readonly apply: (change: SettingsChange) => SettingsChange;
  readonly run: <T>(call: () => Promise<T>) => Promise<T | undefined>;
  /** "Now", for telling whether a pause is still running. */
  readonly nowMs: number;
}

/** What each rule does, in words. */
export const RULE_TEXT: Readonly<Record<NotificationRule, { label: string; help: string }>> = {
  threshold: { label: 'Budget thresholds', help: 'Spend reached one of the percentages of a budget.' },
  forecast: { label: 'Forecast', help: 'The projection says a budget will be exceeded (workspaces with forecast alerts on).' },
  spike: { label: 'Spikes', help: 'An hour cost far more than usual.' },
  idle: { label: 'Idle GPUs', help: 'A dedicated deployment costs money but served no requests.' },
  connection: { label: 'Connection trouble', help: 'A provider refused the key or kept failing.' },
};

/** The notification preferences. */
export function NotificationsSection({ transport, view, apply, run, nowMs }: NotificationsSectionProps) {
  const { notifications } = view.preferences;
  const [start, setStart] = useState(notifications.quietHours.start);
  const [end, setEnd] = useState(notifications.quietHours.end);
  const [error, setError] = useState<string | null>(null);

  const save = async (call: () => Promise<SettingsChange>) => {
    const change = await run(call);
    if (!change) return;
    apply(change);
    setError(change.ok ? null : change.message);
  };

  const setRule = (rule: NotificationRule, on: boolean) => void save(() => transport.savePreferences({ notifications: { rules: { [rule]: on } } }));
  const setQuiet = (enabled: boolean, from = start, to = end) => void save(() => transport.savePreferences({ notifications: { quietHours: { enabled, start: from, end: to } } }));
  const pause = (how: NotificationPause) => void save(() => transport.pauseNotifications(how));
  const pausedUntil = notifications.pausedUntil && Date.parse(notifications.pausedUntil) > nowMs ? notifications.pausedUntil : null;

  return (
    <div className="settings-section" data-testid="notifications-section">
      <fieldset className="settings-group">
        <legend className="settings-group__title">Notify me about</legend>
        {NOTIFICATION_RULES.map((rule) => (
          <label key={rule} className="switch">
            <input type="checkbox" role="switch" checked={notifications.rules[rule]} onChange={(event) => setRule(rule, event.target.checked)} />
            <span className="switch__text">
              <span className="switch__label">{RULE_TEXT[rule].label}</span>
              <span className="switch__help">{RULE_TEXT[rule].help}</span>
            </span>
          </label>
        ))}
      </fieldset>
      <fieldset className="settings-group">
        <legend className="settings-group__title">Quiet hours</legend>
        <label className="switch">
          <input type="checkbox" role="switch" checked={notifications.quietHours.enabled} onChange={(event) => setQuiet(event.target.checked)} />
          <span className="switch__text">
            <span className="switch__label">Hold notifications back at night</span>
            <span className="switch__help">They are shown when quiet hours end.</span>
          </span>
        </label>
        <div className="field-row">
          <label className="field">
            <span className="field__label">From</span>
            <input className="input" type="time" value={start} onChange={(event) => setStart(event.target.value)} onBlur={() => setQuiet(notifications.quietHours.enabled, start, end)} />
          </label>
          <label className="field">
            <span className="field__label">To</span>
            <input className="input" type="time" value={end} onChange={(event) => setEnd(event.target.value)} onBlur={() => setQuiet(notifications.quietHours.enabled, start, end)} />
          </label>
        </div>
      </fieldset>
      <fieldset className="settings-group">
        <legend className="settings-group__title">Pause</legend>
        <p className="settings-note" role="status" data-testid="pause-state">
          {pausedUntil ? `Paused until ${formatTime(pausedUntil, new Date(nowMs))}.` : 'Notifications are on.'}
        </p>
        <div className="settings-actions settings-actions--start">
          <button type="button" className="button" onClick={() => pause('hour')}>
            Pause for 1 hour
          </button>
          <button type="button" className="button" onClick={() => pause('tomorrow')}>
            Pause until tomorrow
          </button>
          {pausedUntil ? (
            <button type="button" className="button" onClick={() => pause('off')}>
              Resume
            </button>
          ) : null}
        </div>
      </fieldset>
      {error ? (
        <p className="settings-note settings-note--error" role="alert">
          {error}
        </p>
      ) : null}
    </div>
  );
}
