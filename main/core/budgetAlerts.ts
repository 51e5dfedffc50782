/**
 * The alert rules about spend against the budget: threshold (actual spend reached N % of the
 * budget on two consecutive complete observations) and forecast (the projection exceeds the
 * budget; opt-in, gated on confidence). Pure; they change `run.entries` and add to
 * `run.notifications` like the other rules (main/core/activityAlerts.ts).
 */
import type { AlertPeriod, AlertRun } from './alerts';
import { alertKey, makeEntry, thresholdSubject } from './alertState';
import { FORECAST_MIN_DATA_HOURS } from './alerts';
import { formatUsd } from './money';

/**
 * Threshold rule. Armed → fired after `confirmObservations` consecutive complete observations at or
 * above the threshold; fired → armed after as many consecutive complete observations below it, or on
 * a new period. An incomplete observation (failed fetch, spend null) neither counts nor breaks a
 * streak, and an observation not newer than the entry's last change is ignored (same round twice).
 * When several thresholds are confirmed at once, only the highest notifies.
 */
export function applyThresholdRule(run: AlertRun): void {
  const { observation, config, entries } = run;
  const spent = observation.actualSpentMicros;
  const budget = observation.budgetMicros;
  if (!observation.complete || spent === null || budget === null || !(budget > 0)) return;
  const confirmed: number[] = [];
  for (const percent of normaliseThresholds(observation.thresholdsPercent)) {
    const key = alertKey(observation.workspaceId, thresholdSubject(percent), observation.period.key);
    const entry = entries[key];
    if (entry !== undefined && observation.nowMs <= entry.updatedAtMs) continue;
    const above = reachesPercent(spent, budget, percent);
    if (entry === undefined || !entry.fired) {
      if (!above) {
        delete entries[key];
        continue;
      }
      const streak = (entry?.streak ?? 0) + 1;
      const fired = streak >= config.confirmObservations;
      entries[key] = makeEntry(observation, 'threshold', thresholdSubject(percent), observation.period.key, {
        fired,
        streak: fired ? 0 : streak,
        firedAtMs: fired ? observation.nowMs : null,
      });
      if (fired) confirmed.push(percent);
    } else if (above) {
      entries[key] = { ...entry, streak: 0, updatedAtMs: observation.nowMs };
    } else if (entry.streak + 1 >= config.confirmObservations) {
      delete entries[key];
    } else {
      entries[key] = { ...entry, streak: entry.streak + 1, updatedAtMs: observation.nowMs };
    }
  }
  const highest = confirmed.at(-1);
  if (highest === undefined) return;
  run.notifications.push({
    key: alertKey(observation.workspaceId, thresholdSubject(highest), observation.period.key),
    workspaceId: observation.workspaceId,
    rule: 'threshold',
    severity: highest >= 100 ? 'critical' : 'warning',
    title: `${observation.workspaceName} passed ${highest}% of its ${formatUsd(budget, { wholeDollars: true })} budget`,
    body: `${formatUsd(spent)} spent of ${formatUsd(budget)} ${periodLabel(observation.period)}`,
    atMs: observation.nowMs,
  });
}

/**
 * Forecast rule. Fires once per risk episode when the projection exceeds the budget with enough
 * confidence on a complete observation. The episode ends when a complete observation projects at or
 * below the budget, or with the period. Silent once actual spend reached the budget (the threshold
 * rule speaks then): a fired threshold ≥ 100 % in this period, or spend ≥ budget now.
 */
export function applyForecastRule(run: AlertRun): void {
  const { observation, config, entries } = run;
  const forecast = observation.forecast;
  const budget = observation.budgetMicros;
  if (!observation.complete || forecast === null || budget === null || !(budget > 0)) return;
  const key = alertKey(observation.workspaceId, 'forecast', observation.period.key);
  if (forecast.projectedMicros <= budget) {
    delete entries[key];
    return;
  }
  if (entries[key] !== undefined || !observation.forecastAlerts) return;
  if (forecast.confidence === null || !(forecast.confidence >= config.minForecastConfidence)) return;
  if (!((forecast.periodDataHours ?? 0) >= FORECAST_MIN_DATA_HOURS)) return;
  if (budgetAlreadyReached(run, budget)) return;
  entries[key] = makeEntry(observation, 'forecast', 'forecast', observation.period.key, { fired: true, firedAtMs: observation.nowMs });
  const label = periodLabel(observation.period);
  const crossing = forecast.crossesAtMs === null ? '' : `; it reaches ${formatUsd(budget)} around ${config.formatInstant(forecast.crossesAtMs)}`;
  run.notifications.push({
    key,
    workspaceId: observation.workspaceId,
    rule: 'forecast',
    severity: 'warning',
    title: `${observation.workspaceName} is on track to exceed its ${formatUsd(budget, { wholeDollars: true })} budget`,
    body: `Projected ${formatUsd(forecast.projectedMicros)} by the end of ${label}${crossing} (confidence ${Math.round(forecast.confidence * 100)}%)`,
    atMs: observation.nowMs,
  });
}

function budgetAlreadyReached(run: AlertRun, budget: number): boolean {
  const { observation } = run;
  if (observation.actualSpentMicros !== null && observation.actualSpentMicros >= budget) return true;
  return Object.values(run.entries).some(
    (entry) =>
      entry.workspaceId === observation.workspaceId &&
      entry.rule === 'threshold' &&
      entry.fired &&
      entry.scope === observation.period.key &&
      Number(entry.subject.slice('threshold:'.length)) >= 100,
  );
}

const PERIOD_LABELS: Readonly<Record<string, string>> = {
  day: 'today',
  week: 'this week',
  month: 'this month',
  quarter: 'this quarter',
  year: 'this year',
};

function periodLabel(period: AlertPeriod): string {
  return period.label ?? PERIOD_LABELS[period.key.split(':')[0] ?? ''] ?? 'this period';
}

/** Valid thresholds, rounded to 1/1000 %, deduplicated, ascending. */
export function normaliseThresholds(thresholdsPercent: readonly number[]): number[] {
  const valid = thresholdsPercent.filter((p) => Number.isFinite(p) && p > 0 && p < 1e9).map((p) => Math.round(p * 1000) / 1000);
  return [...new Set(valid)].sort((a, b) => a - b);
}

/** `spent ≥ percent % of budget`, exactly (BigInt, percent in thousandths). */
export function reachesPercent(spentMicros: number, budgetMicros: number, percent: number): boolean {
  return BigInt(Math.round(spentMicros)) * 100_000n >= BigInt(Math.round(percent * 1000)) * BigInt(Math.round(budgetMicros));
}
