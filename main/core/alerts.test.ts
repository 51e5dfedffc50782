import { describe, expect, it } from 'vitest';
import {
  alertKey,
  type AlertNotification,
  type AlertObservation,
  type AlertOptions,
  type AlertState,
  type ConnectionErrorKind,
  type ConnectionObservation,
  emptyAlertState,
  evaluateAlerts,
  forgetOtherWorkspaces,
  formatUtcInstant,
  type HourlyCost,
  isNearThreshold,
  parseAlertState,
  type ResourceObservation,
  type ResourceSeriesBucket,
} from './alerts';
import { DAY_MS, HOUR_MS } from './report';

const MINUTE_MS = 60_000;
/** Friday 20 Nov 2026, 12:00 UTC. */
const T0 = Date.UTC(2026, 10, 20, 12, 0);
const BUDGET_MICROS = 2_000_000_000;
const NOVEMBER = { key: 'month:2026-11', startMs: Date.UTC(2026, 10, 1), endMs: Date.UTC(2026, 11, 1) };
const DECEMBER = { key: 'month:2026-12', startMs: Date.UTC(2026, 11, 1), endMs: Date.UTC(2027, 0, 1) };
const OK_CONNECTION: ConnectionObservation = {
  connectionId: 'baseten-main',
  providerName: 'Baseten',
  ok: true,
  refreshIntervalMs: 5 * MINUTE_MS,
};

function observe(overrides: Partial<AlertObservation> = {}): AlertObservation {
  return {
    nowMs: T0,
    workspaceId: 'research',
    workspaceName: 'Research',
    period: NOVEMBER,
    budgetMicros: BUDGET_MICROS,
    thresholdsPercent: [50, 90, 100],
    actualSpentMicros: 0,
    complete: true,
    forecastAlerts: false,
    forecast: null,
    hourlySeries: [],
    resources: [],
    connections: [OK_CONNECTION],
    ...overrides,
  };
}

/** Spend at `percent` of the test budget, in micros. */
function percentOfBudget(percent: number): number {
  return Math.round((BUDGET_MICROS * percent) / 100);
}

/** What a restart does: write the state as JSON, read it back through the validating loader. */
function restart(state: AlertState): AlertState {
  const parsed = parseAlertState(JSON.parse(JSON.stringify(state)));
  expect(parsed.reason).toBeNull();
  return parsed.state;
}

interface Replay {
  readonly notifications: AlertNotification[][];
  readonly state: AlertState;
}

/** Evaluates the observations in order, optionally restarting between every two of them. */
function replay(observations: readonly AlertObservation[], options: { restartBetween?: boolean; alertOptions?: AlertOptions } = {}): Replay {
  let state = emptyAlertState();
  const notifications: AlertNotification[][] = [];
  for (const observation of observations) {
    if (options.restartBetween === true) state = restart(state);
    const result = evaluateAlerts(state, observation, options.alertOptions);
    state = result.state;
    notifications.push([...result.notifications]);
  }
  return { notifications, state };
}

/** The notification keys of each step, with the shared `research|` prefix and `|episode` suffix trimmed. */
function firedPerStep(result: Replay): string[][] {
  return result.notifications.map((step) => step.map((n) => n.key.replace(/^research\|/, '').replace(/\|episode$/, '')));
}

/** Replays with and without restarts, checks both behave identically, returns the fired keys. */
function firedWithRestartCheck(observations: readonly AlertObservation[], alertOptions?: AlertOptions): string[][] {
  const straight = replay(observations, { alertOptions });
  const restarted = replay(observations, { alertOptions, restartBetween: true });
  expect(restarted.notifications).toEqual(straight.notifications);
  expect(restarted.state).toEqual(straight.state);
  return firedPerStep(straight);
}

/** One observation per step, five minutes apart. */
function steps(partials: readonly Partial<AlertObservation>[]): AlertObservation[] {
  return partials.map((partial, index) => observe({ nowMs: T0 + index * 5 * MINUTE_MS, ...partial }));
}

// ---------------------------------------------------------------------------------------------

describe('threshold rule', () => {
  const spend = (percent: number | null, extra: Partial<AlertObservation> = {}): Partial<AlertObservation> => ({
    actualSpentMicros: percent === null ? null : percentOfBudget(percent),
    ...extra,
  });
  const failed = (percent: number | null): Partial<AlertObservation> => spend(percent, { complete: false });
  const N90 = 'threshold:90|month:2026-11';

  it.each<[string, readonly number[], Partial<AlertObservation>[], string[][]]>([
    ['notifies once after two consecutive complete observations at or above it', [90], [spend(92), spend(93), spend(94), spend(95)], [[], [N90], [], []]],
    ['does not notify on a single provisional observation above it', [90], [spend(92), spend(80), spend(80)], [[], [], []]],
    ['does not count a failed fetch as a crossing', [90], [failed(92), failed(93), failed(94)], [[], [], []]],
    ['needs two complete observations even after a failed one above', [90], [failed(92), spend(93), spend(93)], [[], [], [N90]]],
    ['lets a failed fetch neither count nor break the streak', [90], [spend(92), failed(50), spend(93)], [[], [], [N90]]],
    ['treats untrustworthy spend (null) like a failed fetch', [90], [spend(92), spend(null), spend(93)], [[], [], [N90]]],
    ['restarts the streak after a complete observation below', [90], [spend(92), spend(80), spend(92), spend(92)], [[], [], [], [N90]]],
    ['notifies only the highest of thresholds crossed together', [50, 90, 100], [spend(101), spend(101), spend(102)], [[], ['threshold:100|month:2026-11'], []]],
    ['keeps the lower thresholds silent after the highest notified', [50, 90], [spend(95), spend(95), spend(60), spend(95)], [[], [N90], [], []]],
    ['notifies each threshold when spend climbs through them one by one', [50, 90], [spend(60), spend(60), spend(95), spend(95)], [[], ['threshold:50|month:2026-11'], [], [N90]]],
    ['re-arms after a confirmed recovery (two complete observations below)', [90], [spend(95), spend(95), spend(80), spend(80), spend(95), spend(95)], [[], [N90], [], [], [], [N90]]],
    ['does not re-arm on a single observation below', [90], [spend(95), spend(95), spend(80), spend(95), spend(95)], [[], [N90], [], [], []]],
    ['does not let a failed fetch break a recovery streak', [90], [spend(95), spend(95), spend(80), failed(99), spend(80), spend(95), spend(95)], [[], [N90], [], [], [], [], [N90]]],
    ['re-arms in a new period', [90], [spend(95), spend(95), spend(95, { period: DECEMBER }), spend(95, { period: DECEMBER })], [[], [N90], [], ['threshold:90|month:2026-12']]],
    ['counts spend of exactly the threshold as reached', [90], [{ actualSpentMicros: 1_800_000_000 }, { actualSpentMicros: 1_800_000_000 }], [[], [N90]]],
    ['does not count one micro-dollar below the threshold', [90], [{ actualSpentMicros: 1_799_999_999 }, { actualSpentMicros: 1_799_999_999 }], [[], []]],
    ['stays off without a budget', [90], [spend(95, { budgetMicros: null }), spend(95, { budgetMicros: null })], [[], []]],
    ['stays off with a zero budget', [90], [{ budgetMicros: 0, actualSpentMicros: 5 }, { budgetMicros: 0, actualSpentMicros: 5 }], [[], []]],
    ['ignores thresholds that are not positive numbers', [0, -5, Number.NaN, 90], [spend(95), spend(95)], [[], [N90]]],
  ])('%s', (_name, thresholdsPercent, partials, expected) => {
    const observations = steps(partials.map((partial) => ({ thresholdsPercent, ...partial })));
    expect(firedWithRestartCheck(observations)).toEqual(expected);
  });

  it('writes the budget, the spend and the period in the notification', () => {
    const [first, second] = steps([{ actualSpentMicros: 1_812_400_000 }, { actualSpentMicros: 1_812_400_000 }]);
    const state = evaluateAlerts(emptyAlertState(), first!).state;
    const { notifications } = evaluateAlerts(state, second!);
    expect(notifications).toEqual([
      {
        key: 'research|threshold:90|month:2026-11',
        workspaceId: 'research',
        rule: 'threshold',
        severity: 'warning',
        title: 'Research passed 90% of its $2,000 budget',
        body: '$1,812.40 spent of $2,000.00 this month',
        atMs: second!.nowMs,
      },
    ]);
  });

  it('marks the whole budget as critical', () => {
    const result = replay(steps([{ actualSpentMicros: percentOfBudget(100) }, { actualSpentMicros: percentOfBudget(100) }]));
    expect(result.notifications[1]?.map((n) => [n.severity, n.title])).toEqual([['critical', 'Research passed 100% of its $2,000 budget']]);
  });

  it('uses the period label when one is given', () => {
    const period = { ...NOVEMBER, key: 'custom:sprint-7', label: 'this sprint' };
    const result = replay(steps([spend(95, { period }), spend(95, { period })]));
    expect(result.notifications[1]?.[0]?.body).toBe('$1,900.00 spent of $2,000.00 this sprint');
  });

  it('does not count the same round twice when it is evaluated again', () => {
    const observation = observe({ thresholdsPercent: [90], actualSpentMicros: percentOfBudget(95) });
    const once = evaluateAlerts(emptyAlertState(), observation);
    const twice = evaluateAlerts(once.state, observation);
    expect(twice.notifications).toEqual([]);
    const next = evaluateAlerts(twice.state, { ...observation, nowMs: T0 + 5 * MINUTE_MS });
    expect(next.notifications.map((n) => n.key)).toEqual(['research|threshold:90|month:2026-11']);
  });

  it('forgets the entries of a past period once the new period is observed', () => {
    const result = replay(steps([spend(95), spend(95), spend(10, { period: DECEMBER })]));
    expect(Object.keys(result.state.entries).filter((key) => key.includes('month:2026-11'))).toEqual([]);
  });
});

describe('isNearThreshold', () => {
  it.each<[string, number | null, number | null, readonly number[], number | undefined, boolean]>([
    ['85 % with a 90 % threshold', percentOfBudget(85), BUDGET_MICROS, [90], undefined, true],
    ['exactly 10 points below', percentOfBudget(80), BUDGET_MICROS, [90], undefined, true],
    ['one micro-dollar more than 10 points below', percentOfBudget(80) - 1, BUDGET_MICROS, [90], undefined, false],
    ['the threshold itself (reached, not near)', percentOfBudget(90), BUDGET_MICROS, [90], undefined, false],
    ['above every threshold', percentOfBudget(95), BUDGET_MICROS, [50, 90], undefined, false],
    ['near the lower of two thresholds', percentOfBudget(45), BUDGET_MICROS, [50, 90], undefined, true],
    ['a custom margin of 5 points, inside', percentOfBudget(85), BUDGET_MICROS, [90], 5, true],
    ['a custom margin of 5 points, outside', percentOfBudget(84), BUDGET_MICROS, [90], 5, false],
    ['no budget', percentOfBudget(85), null, [90], undefined, false],
    ['a zero budget', 5, 0, [90], undefined, false],
    ['unknown spend', null, BUDGET_MICROS, [90], undefined, false],
    ['no thresholds', percentOfBudget(85), BUDGET_MICROS, [], undefined, false],
  ])('%s', (_name, spentMicros, budgetMicros, thresholdsPercent, marginPercent, expected) => {
    expect(isNearThreshold(spentMicros, budgetMicros, thresholdsPercent, marginPercent)).toBe(expected);
  });
});

// ---------------------------------------------------------------------------------------------

describe('forecast rule', () => {
  const CROSSES_AT = Date.UTC(2026, 10, 24, 14, 0);
  const over = (extra: Partial<AlertObservation> = {}, confidence: number | null = 0.8): Partial<AlertObservation> => ({
    forecastAlerts: true,
    actualSpentMicros: percentOfBudget(40),
    forecast: { projectedMicros: 2_450_000_000, confidence, crossesAtMs: CROSSES_AT, periodDataHours: 48 },
    ...extra,
  });
  const under = (extra: Partial<AlertObservation> = {}): Partial<AlertObservation> => ({
    forecastAlerts: true,
    actualSpentMicros: percentOfBudget(40),
    forecast: { projectedMicros: 1_900_000_000, confidence: 0.8, crossesAtMs: null, periodDataHours: 48 },
    ...extra,
  });
  const NOV = 'forecast|month:2026-11';

  it.each<[string, Partial<AlertObservation>[], string[][], AlertOptions?]>([
    ['notifies once when the projection exceeds the budget', [over(), over(), over()], [[NOV], [], []]],
    ['stays silent when the workspace did not opt in', [over({ forecastAlerts: false }), over({ forecastAlerts: false })], [[], []]],
    ['stays silent below the confidence gate', [over({}, 0.49)], [[]]],
    ['notifies at exactly the confidence gate', [over({}, 0.5)], [[NOV]]],
    ['stays silent when the confidence is unknown', [over({}, null)], [[]]],
    ['honours a stricter confidence option', [over({}, 0.8)], [[]], { minForecastConfidence: 0.9 }],
    ['stays silent when the projection equals the budget', [over({ forecast: { projectedMicros: BUDGET_MICROS, confidence: 0.9, crossesAtMs: null, periodDataHours: 48 } })], [[]]],
    [
      'waits for 24 hours of data in the period',
      [
        over({ forecast: { projectedMicros: 2_450_000_000, confidence: 0.9, crossesAtMs: null, periodDataHours: 23.5 } }),
        over({ forecast: { projectedMicros: 2_450_000_000, confidence: 0.9, crossesAtMs: null } }),
        over({ forecast: { projectedMicros: 2_450_000_000, confidence: 0.9, crossesAtMs: null, periodDataHours: 24 } }),
      ],
      [[], [], [NOV]],
    ],
    ['starts a new episode after the projection fell back to the budget', [over(), under(), over()], [[NOV], [], [NOV]]],
    ['never fires on a failed fetch', [over({ complete: false }), over({ complete: false })], [[], []]],
    ['does not end the episode on a failed fetch', [over(), under({ complete: false }), over()], [[NOV], [], []]],
    ['starts a new episode in a new period', [over(), over({ period: DECEMBER, actualSpentMicros: 0 })], [[NOV], ['forecast|month:2026-12']]],
    ['stays silent once actual spend reached the budget', [over({ actualSpentMicros: percentOfBudget(100) })], [[]]],
    [
      'stays silent once the 100 % threshold fired in the period, even after a revision down',
      [over({ actualSpentMicros: percentOfBudget(101) }), over({ actualSpentMicros: percentOfBudget(101) }), over({ actualSpentMicros: percentOfBudget(99) })],
      [[], ['threshold:100|month:2026-11'], []],
    ],
  ])('%s', (_name, partials, expected, alertOptions) => {
    expect(firedWithRestartCheck(steps(partials), alertOptions)).toEqual(expected);
  });

  it('puts the projection and the crossing time in the text', () => {
    const [notification] = replay(steps([over()])).notifications[0] ?? [];
    expect(notification?.title).toBe('Research is on track to exceed its $2,000 budget');
    expect(notification?.body).toBe('Projected $2,450.00 by the end of this month; it reaches $2,000.00 around Nov 24, 14:00 UTC (confidence 80%)');
    expect(notification?.severity).toBe('warning');
  });

  it('renders the crossing time with the caller’s formatter', () => {
    const result = replay(steps([over()]), { alertOptions: { formatInstant: (ms) => `at ${ms}` } });
    expect(result.notifications[0]?.[0]?.body).toContain(`around at ${CROSSES_AT}`);
  });

  it('leaves the crossing out when it is not known', () => {
    const result = replay(steps([over({ forecast: { projectedMicros: 2_450_000_000, confidence: 0.7, crossesAtMs: null, periodDataHours: 48 } })]));
    expect(result.notifications[0]?.[0]?.body).toBe('Projected $2,450.00 by the end of this month (confidence 70%)');
  });
});

// ---------------------------------------------------------------------------------------------

/** Hourly buckets ending at T0 (the last one is 11:00–12:00), oldest first. */
function hoursEndingAtT0(costsMicros: readonly number[]): HourlyCost[] {
  return costsMicros.map((costMicros, index) => ({ startMs: T0 - (costsMicros.length - index) * HOUR_MS, costMicros }));
}

describe('spike rule', () => {
  const flat = (hours: number, costMicros: number): number[] => Array.from({ length: hours }, () => costMicros);
  const series = (history: readonly number[], lastMicros: number): Partial<AlertObservation> => ({
    hourlySeries: hoursEndingAtT0([...history, lastMicros]),
  });
  const HOUR_11 = 'spike|hour:2026-11-20T11';

  it.each<[string, Partial<AlertObservation>[], string[][], AlertOptions?]>([
    ['notifies once for an hour above three times the median', [series(flat(24, 2_000_000), 10_000_000), series(flat(24, 2_000_000), 10_000_000)], [[HOUR_11], []]],
    ['stays silent for exactly three times the median', [series(flat(24, 2_000_000), 6_000_000)], [[]]],
    ['notifies one micro-dollar above three times the median', [series(flat(24, 2_000_000), 6_000_001)], [[HOUR_11]]],
    ['stays silent below the $5 minimum however large the ratio', [series(flat(24, 100_000), 4_999_999)], [[]]],
    ['notifies at the $5 minimum', [series(flat(24, 100_000), 5_000_000)], [[HOUR_11]]],
    ['honours a custom minimum size', [series(flat(24, 100_000), 5_000_000)], [[]], { spikeMinMicros: 20_000_000 }],
    ['honours a custom factor', [series(flat(24, 2_000_000), 10_000_000)], [[]], { spikeFactor: 6 }],
    ['needs six hours of history', [series(flat(5, 1_000_000), 50_000_000)], [[]]],
    ['speaks with exactly six hours of history', [series(flat(6, 1_000_000), 50_000_000)], [[HOUR_11]]],
    ['takes the median of an even number of hours as the mean of the middle two', [series([1, 1, 1, 3, 3, 3].map((d) => d * 1_000_000), 6_500_000)], [[HOUR_11]]],
    ['compares against that mean, not either middle value', [series([1, 1, 1, 3, 3, 3].map((d) => d * 1_000_000), 6_000_000)], [[]]],
    ['uses only the last N hours for the median', [series([...flat(24, 10_000_000), ...flat(6, 1_000_000)], 20_000_000)], [[HOUR_11]], { spikeWindowHours: 6 }],
    ['never fires on a failed fetch', [{ ...series(flat(24, 2_000_000), 10_000_000), complete: false }], [[]]],
    [
      'still notifies for the hour after a failed fetch, once the round is complete',
      [{ ...series(flat(24, 2_000_000), 10_000_000), complete: false }, series(flat(24, 2_000_000), 10_000_000)],
      [[], [HOUR_11]],
    ],
  ])('%s', (_name, partials, expected, alertOptions) => {
    expect(firedWithRestartCheck(steps(partials), alertOptions)).toEqual(expected);
  });

  it('notifies again for the next spiking hour', () => {
    const history = flat(24, 2_000_000);
    const first = observe({ hourlySeries: hoursEndingAtT0([...history, 10_000_000]) });
    const next = observe({ nowMs: T0 + HOUR_MS, hourlySeries: hoursEndingAtT0([...history, 10_000_000, 40_000_000]).map((b) => ({ ...b, startMs: b.startMs + HOUR_MS })) });
    expect(firedWithRestartCheck([first, next])).toEqual([[HOUR_11], ['spike|hour:2026-11-20T12']]);
  });

  it('judges every hour that completed since the last complete observation, so an outage hides no spike', () => {
    const history = flat(24, 2_000_000);
    const shifted = (costs: number[], hours: number) => hoursEndingAtT0(costs).map((b) => ({ ...b, startMs: b.startMs + hours * HOUR_MS }));
    const before = observe({ hourlySeries: hoursEndingAtT0([...history, 2_000_000]) });
    // 12:00 spiked while a provider was down; by 15:00 the newest complete hour (14:00) is flat again.
    const during = observe({ nowMs: T0 + 2 * HOUR_MS, complete: false, hourlySeries: shifted([...history, 2_000_000, 10_000_000], 1) });
    const after = observe({ nowMs: T0 + 3 * HOUR_MS, hourlySeries: shifted([...history, 2_000_000, 10_000_000, 2_000_000, 2_000_000], 3) });
    expect(firedWithRestartCheck([before, during, after])).toEqual([[], [], ['spike|hour:2026-11-20T12']]);
  });

  it('does not dig up old spikes on the first observation', () => {
    // No earlier observation: only the newest complete hour is judged, not yesterday's spike.
    const hourlySeries = hoursEndingAtT0([...flat(24, 2_000_000), 50_000_000, ...flat(10, 2_000_000)]);
    expect(firedWithRestartCheck([observe({ hourlySeries })])).toEqual([[]]);
  });

  it('counts hours missing between buckets as $0', () => {
    // Only two buckets: 00:00 ($10) and 11:00 ($6). With the gap as $0 the median of 11 hours is $0.
    const hourlySeries = [
      { startMs: T0 - 12 * HOUR_MS, costMicros: 10_000_000 },
      { startMs: T0 - HOUR_MS, costMicros: 6_000_000 },
    ];
    expect(firedWithRestartCheck([observe({ hourlySeries })])).toEqual([[HOUR_11]]);
  });

  it('does not evaluate an hour that has not ended', () => {
    // At 12:30 the 12:00 bucket is still filling: the 11:00 hour is the last complete one, and it is flat.
    const hourlySeries = [...hoursEndingAtT0(flat(25, 2_000_000)), { startMs: T0, costMicros: 90_000_000 }];
    expect(firedWithRestartCheck([observe({ nowMs: T0 + 30 * MINUTE_MS, hourlySeries })])).toEqual([[]]);
  });

  it('describes the hour, its cost and the median', () => {
    const result = replay([observe(series(flat(24, 2_000_000), 10_000_000))]);
    expect(result.notifications[0]).toEqual([
      expect.objectContaining({
        rule: 'spike',
        severity: 'warning',
        title: 'Research spend spiked: $10.00 in one hour',
        body: 'The hour from Nov 20, 11:00 UTC cost $10.00, 5.0× the median $2.00 of the previous 24 hours',
      }),
    ]);
  });

  it('forgets spike entries after two days', () => {
    const result = replay([observe(series(flat(24, 2_000_000), 10_000_000)), observe({ nowMs: T0 + 3 * DAY_MS })]);
    expect(Object.keys(result.state.entries)).toEqual([]);
  });
});

// ---------------------------------------------------------------------------------------------

describe('idle rule', () => {
  const hourly = (hours: number, endMs: number, requests: (index: number) => number | undefined, costMicros = 2_000_000): ResourceSeriesBucket[] =>
    Array.from({ length: hours }, (_, index) => {
      const bucket = { startMs: endMs - (hours - index) * HOUR_MS, durationMs: HOUR_MS, costMicros };
      const count = requests(index);
      return count === undefined ? bucket : { ...bucket, requests: count };
    });
  const gpu = (series: readonly ResourceSeriesBucket[] | undefined, extra: Partial<ResourceObservation> = {}): Partial<AlertObservation> => ({
    resources: [{ connectionId: 'baseten-main', resourceId: 'llama-70b', name: 'llama-70b', dedicated: true, ...(series ? { series } : {}), ...extra }],
  });
  const idleDay = gpu(hourly(24, T0, () => 0));
  const busyDay = gpu(hourly(24, T0, (index) => (index === 20 ? 3 : 0)));
  const stoppedDay = gpu(hourly(24, T0, () => 0, 0));
  const IDLE = 'idle:baseten-main/llama-70b';

  it.each<[string, Partial<AlertObservation>[], string[][]]>([
    ['notifies once for a GPU billed 24 h without requests', [idleDay, idleDay, idleDay], [[IDLE], [], []]],
    ['re-arms when requests are seen again', [idleDay, busyDay, idleDay], [[IDLE], [], [IDLE]]],
    ['re-arms when the GPU stops costing money', [idleDay, stoppedDay, idleDay], [[IDLE], [], [IDLE]]],
    ['stays silent while requests are seen', [busyDay, busyDay], [[], []]],
    ['ignores shared (non-dedicated) resources', [gpu(hourly(24, T0, () => 0), { dedicated: false })], [[]]],
    ['stays silent where requests are not reported', [gpu(hourly(24, T0, (index) => (index === 5 ? undefined : 0)))], [[]]],
    ['stays silent without a series', [gpu(undefined)], [[]]],
    ['stays silent with less than 24 h of history', [gpu(hourly(12, T0, () => 0))], [[]]],
    ['never fires on a failed fetch of its connection', [{ ...idleDay, connections: [{ ...OK_CONNECTION, ok: false, errorKind: 'server' }] }], [[]]],
    [
      'does not re-arm on a failed fetch of its connection',
      [idleDay, { ...busyDay, connections: [{ ...OK_CONNECTION, ok: false, errorKind: 'server' }] }, idleDay],
      [[IDLE], [], []],
    ],
    ['fires even when another connection of the workspace failed', [{ ...idleDay, complete: false }], [[IDLE]]],
  ])('%s', (_name, partials, expected) => {
    expect(firedWithRestartCheck(steps(partials))).toEqual(expected);
  });

  describe('with daily buckets', () => {
    const NOV19 = Date.UTC(2026, 10, 19);
    const NOV20 = Date.UTC(2026, 10, 20);
    const day = (startMs: number, costMicros: number, requests?: number): ResourceSeriesBucket =>
      requests === undefined ? { startMs, durationMs: DAY_MS, costMicros } : { startMs, durationMs: DAY_MS, costMicros, requests };
    const at = (nowMs: number, series: ResourceSeriesBucket[]): AlertObservation => observe({ nowMs, ...gpu(series) });

    it.each<[string, AlertObservation, string[][]]>([
      ['counts yesterday’s bucket at 01:00', at(NOV20 + HOUR_MS, [day(NOV19, 48_000_000, 0), day(NOV20, 2_000_000, 0)]), [[IDLE]]],
      ['counts both buckets at 23:00', at(NOV20 + 23 * HOUR_MS, [day(NOV19, 48_000_000, 0), day(NOV20, 46_000_000, 0)]), [[IDLE]]],
      ['needs the window covered: today’s bucket alone at 23:00 is not 24 h', at(NOV20 + 23 * HOUR_MS, [day(NOV20, 46_000_000, 0)]), [[]]],
      ['sees requests yesterday', at(NOV20 + HOUR_MS, [day(NOV19, 48_000_000, 12), day(NOV20, 2_000_000, 0)]), [[]]],
      ['sees requests in today’s young bucket (never cries idle when requests may be in the window)', at(NOV20 + HOUR_MS, [day(NOV19, 48_000_000, 0), day(NOV20, 2_000_000, 4)]), [[]]],
      ['stays silent when a counted day does not report requests', at(NOV20 + HOUR_MS, [day(NOV19, 48_000_000), day(NOV20, 2_000_000, 0)]), [[]]],
    ])('%s', (_name, observation, expected) => {
      expect(firedWithRestartCheck([observation])).toEqual(expected);
    });

    it('reports the cost of the counted buckets since their start', () => {
      const result = replay([at(NOV20 + HOUR_MS, [day(NOV19, 48_000_000, 0), day(NOV20, 2_000_000, 0)])]);
      expect(result.notifications[0]?.[0]).toMatchObject({
        title: 'Idle GPU: llama-70b (Baseten)',
        body: 'llama-70b billed $48.00 since Nov 19, 00:00 UTC without a single request',
        severity: 'warning',
      });
    });
  });

  it('forgets the episode when the connection is removed from the workspace', () => {
    const result = replay(steps([idleDay, { resources: [], connections: [] }, idleDay]));
    expect(firedPerStep(result)).toEqual([[IDLE], [], [IDLE]]);
  });
});

// ---------------------------------------------------------------------------------------------

describe('connection rule', () => {
  const failing = (errorKind: ConnectionErrorKind, extra: Partial<ConnectionObservation> = {}): Partial<AlertObservation> => ({
    complete: false,
    connections: [{ ...OK_CONNECTION, ok: false, errorKind, errorMessage: 'Baseten rejected the API key (401)', ...extra }],
  });
  const healthy: Partial<AlertObservation> = { connections: [OK_CONNECTION] };
  const CONNECTION = 'connection:baseten-main';

  it.each<[string, Partial<AlertObservation>[], string[][]]>([
    ['notifies a rejected key at once, and only once', [failing('auth'), failing('auth'), failing('auth')], [[CONNECTION], [], []]],
    ['re-arms after a successful refresh', [failing('auth'), healthy, failing('auth')], [[CONNECTION], [], [CONNECTION]]],
    ['stays silent while the connection works', [healthy, healthy], [[], []]],
  ])('%s', (_name, partials, expected) => {
    expect(firedWithRestartCheck(steps(partials))).toEqual(expected);
  });

  it.each<ConnectionErrorKind>(['rate_limited', 'bad_request', 'server', 'network', 'bad_response', 'config'])(
    'notifies %s only once failing longer than three refresh intervals',
    (errorKind) => {
      // Failing since T0 with a 5-minute interval: 15 min is not longer than 3 intervals, 15 min + 1 ms is.
      const at = (offsetMs: number): AlertObservation => observe({ nowMs: T0 + offsetMs, ...failing(errorKind, { failingSinceMs: T0 }) });
      const fired = firedWithRestartCheck([at(0), at(5 * MINUTE_MS), at(15 * MINUTE_MS), at(15 * MINUTE_MS + 1), at(20 * MINUTE_MS)]);
      expect(fired).toEqual([[], [], [], [CONNECTION], []]);
    },
  );

  it('remembers when the failure began when the caller does not say', () => {
    const at = (offsetMs: number, partial: Partial<AlertObservation>): AlertObservation => observe({ nowMs: T0 + offsetMs, ...partial });
    const fired = firedWithRestartCheck([
      at(0, failing('network')),
      at(10 * MINUTE_MS, failing('network')),
      at(15 * MINUTE_MS, failing('network')),
      at(16 * MINUTE_MS, failing('network')),
      at(17 * MINUTE_MS, healthy),
      at(18 * MINUTE_MS, failing('network')),
      at(30 * MINUTE_MS, failing('network')),
    ]);
    expect(fired).toEqual([[], [], [], [CONNECTION], [], [], []]);
  });

  it('uses the connection’s own refresh interval', () => {
    const at = (offsetMs: number): AlertObservation =>
      observe({ nowMs: T0 + offsetMs, ...failing('server', { failingSinceMs: T0, refreshIntervalMs: 30 * MINUTE_MS }) });
    expect(firedWithRestartCheck([at(20 * MINUTE_MS), at(90 * MINUTE_MS), at(91 * MINUTE_MS)])).toEqual([[], [], [CONNECTION]]);
  });

  it('writes the provider, the workspace, the error and advice in the text', () => {
    const [notification] = replay(steps([failing('auth', { failingSinceMs: T0 - 2 * MINUTE_MS })])).notifications[0] ?? [];
    expect(notification).toMatchObject({
      rule: 'connection',
      severity: 'warning',
      title: "Can't refresh Baseten (Research)",
      body: 'Baseten rejected the API key (401). Failing since Nov 20, 11:58 UTC. Check the API key in Settings.',
    });
  });

  it('falls back to a plain description and cuts long messages', () => {
    const plain = replay(steps([failing('auth', { errorMessage: undefined })])).notifications[0]?.[0];
    expect(plain?.body).toBe('The provider rejected the API key. Failing since Nov 20, 12:00 UTC. Check the API key in Settings.');
    const long = replay(steps([failing('auth', { errorMessage: 'x'.repeat(1000) })])).notifications[0]?.[0];
    expect(long?.body.length).toBeLessThan(400);
  });
});

// ---------------------------------------------------------------------------------------------

describe('alert state', () => {
  it('keys entries by workspace, rule and period', () => {
    const result = replay(steps([{ thresholdsPercent: [90], actualSpentMicros: percentOfBudget(95) }, { thresholdsPercent: [90], actualSpentMicros: percentOfBudget(95) }]));
    expect(Object.keys(result.state.entries)).toEqual(['research|threshold:90|month:2026-11']);
    expect(alertKey('research', 'threshold:90', 'month:2026-11')).toBe('research|threshold:90|month:2026-11');
  });

  it('escapes separators inside ids so keys stay unambiguous and reload', () => {
    const observation = observe({
      workspaceId: 'team|a',
      connections: [{ ...OK_CONNECTION, connectionId: 'conn/1', ok: false, errorKind: 'auth' }],
      complete: false,
    });
    const { state, notifications } = evaluateAlerts(emptyAlertState(), observation);
    expect(notifications.map((n) => n.key)).toEqual(['team%7Ca|connection:conn%2F1|episode']);
    expect(parseAlertState(JSON.parse(JSON.stringify(state)))).toEqual({ state, reason: null });
  });

  it('does not modify the state it is given', () => {
    const before = replay(steps([{ actualSpentMicros: percentOfBudget(95) }])).state;
    const frozen = JSON.parse(JSON.stringify(before)) as AlertState;
    const snapshot = JSON.stringify(frozen);
    evaluateAlerts(frozen, observe({ nowMs: T0 + HOUR_MS, actualSpentMicros: percentOfBudget(95) }));
    expect(JSON.stringify(frozen)).toBe(snapshot);
  });

  it('leaves the entries of other workspaces alone', () => {
    const research = replay(steps([{ actualSpentMicros: percentOfBudget(95) }, { actualSpentMicros: percentOfBudget(95) }])).state;
    const other = evaluateAlerts(research, observe({ workspaceId: 'ops', workspaceName: 'Ops', period: DECEMBER, nowMs: T0 + DAY_MS }));
    for (const [key, entry] of Object.entries(research.entries)) expect(other.state.entries[key]).toEqual(entry);
  });

  it('forgets workspaces that no longer exist', () => {
    const research = replay(steps([{ thresholdsPercent: [90], actualSpentMicros: percentOfBudget(95) }])).state;
    expect(Object.keys(forgetOtherWorkspaces(research, ['research']).entries)).toHaveLength(1);
    expect(forgetOtherWorkspaces(research, ['ops']).entries).toEqual({});
  });

  it('behaves identically across a restart with every rule active', () => {
    const busy: Partial<AlertObservation> = {
      forecastAlerts: true,
      forecast: { projectedMicros: 2_400_000_000, confidence: 0.9, crossesAtMs: T0 + DAY_MS, periodDataHours: 48 },
      hourlySeries: hoursEndingAtT0([...Array.from({ length: 24 }, () => 1_000_000), 30_000_000]),
      resources: [
        {
          connectionId: 'baseten-main',
          resourceId: 'gpu',
          name: 'gpu',
          dedicated: true,
          series: Array.from({ length: 24 }, (_, index) => ({ startMs: T0 - (24 - index) * HOUR_MS, durationMs: HOUR_MS, costMicros: 1_000_000, requests: 0 })),
        },
      ],
      connections: [OK_CONNECTION, { ...OK_CONNECTION, connectionId: 'civis', providerName: 'Civis', ok: false, errorKind: 'auth' }],
    };
    const observations = steps([
      { ...busy, actualSpentMicros: percentOfBudget(91) },
      { ...busy, actualSpentMicros: percentOfBudget(92), complete: true },
      { ...busy, actualSpentMicros: percentOfBudget(93), complete: true },
    ]);
    const fired = firedWithRestartCheck(observations);
    expect(fired).toEqual([
      ['forecast|month:2026-11', 'spike|hour:2026-11-20T11', 'idle:baseten-main/gpu', 'connection:civis'],
      ['threshold:90|month:2026-11'],
      [],
    ]);
  });

  describe('parseAlertState', () => {
    it.each<[string, unknown, RegExp]>([
      ['null', null, /not an object/],
      ['a string', 'nonsense', /not an object/],
      ['an array', [], /not an object/],
      ['no version', { entries: {} }, /unsupported version undefined/],
      ['a newer version', { version: 2, entries: {} }, /unsupported version 2/],
      ['no entries', { version: 1 }, /no entries object/],
      ['entries as an array', { version: 1, entries: [] }, /no entries object/],
    ])('returns an empty state for %s, with the reason', (_name, value, reason) => {
      const parsed = parseAlertState(value);
      expect(parsed.state).toEqual(emptyAlertState());
      expect(parsed.reason).toMatch(reason);
    });

    it('keeps a valid state as it is', () => {
      const state = replay(steps([{ actualSpentMicros: percentOfBudget(95) }, { actualSpentMicros: percentOfBudget(95) }])).state;
      expect(parseAlertState(JSON.parse(JSON.stringify(state)))).toEqual({ state, reason: null });
    });

    it('drops malformed entries and keeps the rest', () => {
      const valid = replay(steps([{ thresholdsPercent: [90], actualSpentMicros: percentOfBudget(95) }, { thresholdsPercent: [90], actualSpentMicros: percentOfBudget(95) }])).state;
      const [key, entry] = Object.entries(valid.entries)[0]!;
      const loaded = {
        version: 1,
        entries: {
          [key]: entry,
          'research|threshold:50|month:2026-11': { ...entry, subject: 'threshold:50', streak: -1 },
          'research|threshold:75|month:2026-11': { ...entry, subject: 'threshold:60' },
          'research|spike|hour:x': { ...entry, rule: 'spike', subject: 'spike', scope: 'hour:x', fired: 'yes' },
          'research|forecast|month:2026-11': { ...entry, rule: 'forecast' },
        },
      };
      const parsed = parseAlertState(loaded);
      expect(parsed.state.entries).toEqual({ [key]: entry });
      expect(parsed.reason).toMatch(/dropped 4 invalid alert entries/);
      expect(parsed.reason).toMatch(/streak is not a count/);
      expect(parsed.reason).toMatch(/key does not match/);
    });
  });
});

describe('formatUtcInstant', () => {
  it('formats instants in UTC', () => {
    expect(formatUtcInstant(Date.UTC(2026, 0, 5, 7, 3))).toBe('Jan 5, 07:03 UTC');
  });
});
