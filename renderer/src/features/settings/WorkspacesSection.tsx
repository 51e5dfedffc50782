/**
 * Workspaces: add, rename, remove and reorder (move up / move down buttons: keyboard and screen
 * reader friendly, no drag and drop needed), time zone, budget and forecast alerts.
 */
import { useId, useMemo, useState, type FormEvent } from 'react';
import type { FieldProblem, PeriodKind, SettingsChange, SettingsView, WorkspaceInput, WorkspaceView } from '../../../../preload/api';
import type { SettingsTransport } from '../../spendApi';
import { Field, problemFor } from './Field';

/** Props of the workspace section. */
export interface WorkspacesSectionProps {
  readonly transport: SettingsTransport;
  readonly view: SettingsView;
  readonly apply: (change: SettingsChange) => SettingsChange;
  readonly run: <T>(call: () => Promise<T>) => Promise<T | undefined>;
}

/** The list of workspaces and the form of the one being edited. */
export function WorkspacesSection({ transport, view, apply, run }: WorkspacesSectionProps) {
  const [editing, setEditing] = useState<WorkspaceView | 'new' | null>(null);
  const [confirmRemove, setConfirmRemove] = useState<string | null>(null);

  const move = async (index: number, step: -1 | 1) => {
    const ids = view.workspaces.map((w) => w.id);
    const [moved] = ids.splice(index, 1);
    if (moved === undefined) return;
    ids.splice(index + step, 0, moved);
    const change = await run(() => transport.reorderWorkspaces(ids));
    if (change) apply(change);
  };

  const remove = async (workspaceId: string) => {
    const change = await run(() => transport.removeWorkspace(workspaceId));
    if (change) apply(change);
    setConfirmRemove(null);
  };

  if (editing) {
    return (
      <WorkspaceForm
        transport={transport}
        view={view}
        existing={editing === 'new' ? undefined : editing}
        onDone={(change) => {
          if (change) apply(change);
          setEditing(null);
        }}
        run={run}
      />
    );
  }

  return (
    <div className="settings-section" data-testid="workspaces-section">
      {view.workspaces.length === 0 ? <p className="settings-empty">No workspaces yet. A workspace groups connections under one budget.</p> : null}
      <ul className="settings-list" aria-label="Workspaces">
        {view.workspaces.map((w, index) => (
          <li key={w.id} className="settings-list__item" data-testid={`workspace-row-${w.id}`}>
            <div className="settings-list__main">
              <span className="settings-list__name">{w.name}</span>
              <span className="settings-list__meta">{describeWorkspace(w, view.systemTimeZone)}</span>
            </div>
            {confirmRemove === w.id ? (
              <div className="settings-list__confirm" role="group" aria-label={`Remove ${w.name}?`}>
                <span>Remove {w.name} and its {w.connections.length} connection{w.connections.length === 1 ? '' : 's'}?</span>
                <button type="button" className="button button--danger button--compact" onClick={() => void remove(w.id)}>
                  Remove
                </button>
                <button type="button" className="button button--compact" onClick={() => setConfirmRemove(null)} autoFocus>
                  Keep
                </button>
              </div>
            ) : (
              <div className="settings-list__actions">
                <button type="button" className="text-button" aria-label={`Move ${w.name} up`} disabled={index === 0} onClick={() => void move(index, -1)}>
                  ↑
                </button>
                <button type="button" className="text-button" aria-label={`Move ${w.name} down`} disabled={index === view.workspaces.length - 1} onClick={() => void move(index, 1)}>
                  ↓
                </button>
                <button type="button" className="text-button" aria-label={`Edit ${w.name}`} onClick={() => setEditing(w)}>
                  Edit
                </button>
                <button type="button" className="text-button text-button--danger" aria-label={`Remove ${w.name}`} onClick={() => setConfirmRemove(w.id)}>
                  Remove
                </button>
              </div>
            )}
          </li>
        ))}
      </ul>
      <div className="settings-actions settings-actions--start">
        <button type="button" className="button" onClick={() => setEditing('new')}>
          Add workspace
        </button>
      </div>
    </div>
  );
}

function describeWorkspace(w: WorkspaceView, systemTimeZone: string): string {
  const budget = w.budget ? `$${w.budget.amountUsd.toLocaleString('en-US')} per ${w.budget.period}` : 'No budget';
  const connections = `${w.connections.length} connection${w.connections.length === 1 ? '' : 's'}`;
  return `${budget} · ${connections} · ${w.timeZone ?? `${systemTimeZone} (system)`}`;
}

/** Time zones the browser knows, for the suggestion list. */
function timeZones(): readonly string[] {
  const intl = Intl as typeof Intl & { supportedValuesOf?: (key: string) => string[] };
  return intl.supportedValuesOf ? intl.supportedValuesOf('timeZone') : ['UTC'];
}

/** Parses "50, 75, 90" into whole percentages; null when something is not a number. */
export function parseThresholds(text: string): number[] | null {
  const parts = text
    .split(/[,\s]+/)
    .map((part) => part.replace(/%$/, ''))
    .filter(Boolean);
  const numbers = parts.map(Number);
  return numbers.every((n) => Number.isFinite(n)) ? numbers : null;
}

function WorkspaceForm({
  transport,
  view,
  existing,
  onDone,
  run,
}: {
  transport: SettingsTransport;
  view: SettingsView;
  existing: WorkspaceView | undefined;
  onDone: (change: SettingsChange | null) => void;
  run: <T>(call: () => Promise<T>) => Promise<T | undefined>;
}) {
  const formId = useId();
  const zones = useMemo(timeZones, []);
  const [name, setName] = useState(existing?.name ?? '');
  const [timeZone, setTimeZone] = useState(existing?.timeZone ?? '');
  const [hasBudget, setHasBudget] = useState(existing ? existing.budget !== null : true);
  const [amount, setAmount] = useState(existing?.budget ? String(existing.budget.amountUsd) : '');
  const [period, setPeriod] = useState<PeriodKind>(existing?.budget?.period ?? existing?.period ?? 'month');
  const [cycleStartDay, setCycleStartDay] = useState(existing?.budget?.cycleStartDay ? String(existing.budget.cycleStartDay) : '');
  const [thresholds, setThresholds] = useState((existing?.budget?.thresholdsPercent ?? [50, 75, 90, 100]).join(', '));
  const [forecastAlerts, setForecastAlerts] = useState(existing?.forecastAlerts ?? false);
  const [problems, setProblems] = useState<readonly FieldProblem[]>([]);
  const [saving, setSaving] = useState(false);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const local: FieldProblem[] = [];
    const amountUsd = Number(amount.replace(/[$,\s]/g, ''));
    const parsedThresholds = parseThresholds(thresholds);
    if (hasBudget && (!amount.trim() || !Number.isFinite(amountUsd))) local.push({ field: 'budget.amountUsd', message: 'Type the budget in US dollars, e.g. 2000.' });
    if (hasBudget && !parsedThresholds) local.push({ field: 'budget.thresholdsPercent', message: 'Type percentages separated by commas, e.g. 50, 75, 90, 100.' });
    if (hasBudget && cycleStartDay.trim() && !Number.isInteger(Number(cycleStartDay))) local.push({ field: 'budget.cycleStartDay', message: 'Type a whole day number.' });
    if (local.length > 0) {
      setProblems(local);
      return;
    }
    const input: WorkspaceInput = {
      id: existing?.id ?? null,
      name,
      timeZone: timeZone.trim() ? timeZone.trim() : null,
      budget: hasBudget
        ? { amountUsd, period, cycleStartDay: cycleStartDay.trim() ? Number(cycleStartDay) : null, thresholdsPercent: parsedThresholds ?? [] }
        : null,
      period,
      forecastAlerts,
    };
    setSaving(true);
    const change = await run(() => transport.saveWorkspace(input));
    setSaving(false);
    if (!change) return;
    if (change.ok) onDone(change);
    else setProblems(change.problems.length > 0 ? change.problems : [{ field: 'name', message: change.message }]);
  };

  return (
    <form className="settings-form" aria-labelledby={`${formId}-title`} onSubmit={(event) => void submit(event)} noValidate data-testid="workspace-form">
      <h3 className="settings-form__title" id={`${formId}-title`}>
        {existing ? `Edit ${existing.name}` : 'Add workspace'}
      </h3>
      <Field label="Name" error={problemFor(problems, 'name')}>
        {({ id, describedBy, invalid }) => (
          <input id={id} className="input" value={name} maxLength={80} onChange={(e) => setName(e.target.value)} aria-describedby={describedBy} aria-invalid={invalid} autoFocus />
        )}
      </Field>
      <Field label="Time zone" help={`Periods start at midnight here. Empty: the system's (${view.systemTimeZone}).`} error={problemFor(problems, 'timeZone')}>
        {({ id, describedBy, invalid }) => (
          <>
            <input
              id={id}
              className="input"
              list={`${formId}-zones`}
              value={timeZone}
              placeholder={view.systemTimeZone}
              onChange={(e) => setTimeZone(e.target.value)}
              aria-describedby={describedBy}
              aria-invalid={invalid}
            />
            <datalist id={`${formId}-zones`}>
              {zones.map((zone) => (
                <option key={zone} value={zone} />
              ))}
            </datalist>
          </>
        )}
      </Field>
      <label className="check">
        <input type="checkbox" checked={hasBudget} onChange={(e) => setHasBudget(e.target.checked)} />
        Set a budget
      </label>
      <div className="field-row">
        {hasBudget ? (
          <Field label="Budget (USD)" error={problemFor(problems, 'budget.amountUsd')}>
            {({ id, describedBy, invalid }) => (
              <input id={id} className="input" inputMode="decimal" value={amount} onChange={(e) => setAmount(e.target.value)} aria-describedby={describedBy} aria-invalid={invalid} />
            )}
          </Field>
        ) : null}
        <Field label={hasBudget ? 'Per' : 'Period shown'} error={problemFor(problems, 'budget.period') ?? problemFor(problems, 'period')}>
          {({ id, describedBy }) => (
            <select id={id} className="input" value={period} onChange={(e) => setPeriod(e.target.value as PeriodKind)} aria-describedby={describedBy}>
              <option value="day">Day</option>
              <option value="week">Week</option>
              <option value="month">Month</option>
            </select>
          )}
        </Field>
      </div>
      {hasBudget ? (
        <>
          {period === 'day' ? null : (
            <Field
              label="Cycle starts on"
              help={period === 'month' ? 'Day of the month, 1–28. Empty: the 1st.' : 'Day of the week, 1 = Monday … 7 = Sunday. Empty: Monday.'}
              error={problemFor(problems, 'budget.cycleStartDay')}
            >
              {({ id, describedBy, invalid }) => (
                <input id={id} className="input input--short" inputMode="numeric" value={cycleStartDay} onChange={(e) => setCycleStartDay(e.target.value)} aria-describedby={describedBy} aria-invalid={invalid} />
              )}
            </Field>
          )}
          <Field label="Notify at (% of budget)" help="A notification when spend reaches each of these." error={problemFor(problems, 'budget.thresholdsPercent')}>
            {({ id, describedBy, invalid }) => (
              <input id={id} className="input" value={thresholds} onChange={(e) => setThresholds(e.target.value)} aria-describedby={describedBy} aria-invalid={invalid} />
            )}
          </Field>
          <label className="check">
            <input type="checkbox" checked={forecastAlerts} onChange={(e) => setForecastAlerts(e.target.checked)} />
            Forecast alerts: warn when the projection says the budget will be exceeded
          </label>
        </>
      ) : null}
      <div className="settings-actions">
        <button type="button" className="button" onClick={() => onDone(null)}>
          Cancel
        </button>
        <button type="submit" className="button button--primary" disabled={saving}>
          {saving ? 'Saving…' : 'Save'}
        </button>
      </div>
    </form>
  );
}
