// Aggregation of Baseten's usage summaries (one per ≤ 31-day window) into one report.
import { formatUsd, sumMicros } from '../../core/money';
import {
  byCostThenName,
  DAY_MS,
  type Activity,
  type CostBucket,
  type ResourceBucket,
  type ResourceKind,
  type ResourceUsage,
  type TimeRange,
  type UsageReport,
} from '../../core/report';
import { type BillableResource, type UsageSummary } from './baseten.schema';

/** The three products of the usage summary, in answer order. */
type SectionKey = 'dedicated' | 'training' | 'model_apis';

const SECTION_LABELS: Readonly<Record<SectionKey, string>> = {
  dedicated: 'Dedicated',
  training: 'Training',
  model_apis: 'Model APIs',
};

const SECTION_KINDS: Readonly<Record<SectionKey, ResourceKind>> = {
  dedicated: 'deployment',
  training: 'training_job',
  model_apis: 'model',
};

interface DayTally {
  costMicros: number;
  requests?: number;
}

interface ResourceTally {
  readonly id: string;
  readonly section: SectionKey;
  name: string;
  deleted: boolean | undefined;
  costMicros: number;
  requests: number;
  minutes: number;
  inputTokens: number;
  outputTokens: number;
  cachedInputTokens: number;
  readonly days: Map<number, DayTally>;
}

interface SectionTally {
  seen: boolean;
  totalMicros: number;
  creditsMicros: number;
  itemsMicros: number;
}

/** A daily row, reduced to what aggregation needs. */
interface DayRow {
  readonly dateMs: number;
  readonly costMicros: number;
  readonly requests?: number;
  /** Minutes, tokens or requests recorded that day (usage even at $0). */
  readonly activity: number;
}

/** Name to show for a billable resource: "parent / name" where Baseten gives a parent. */
function resourceName(resource: BillableResource): string {
  const name = resource.name ?? undefined;
  const parent = resource.chain_metadata?.chain_name ?? resource.model_name ?? undefined;
  if (name && parent && parent !== name) return `${parent} / ${name}`;
  return name ?? parent ?? resource.id;
}

/** Aggregates the answers of all windows of one fetch. */
export class UsageTally {
  readonly resources = new Map<string, ResourceTally>();
  readonly sections: Record<SectionKey, SectionTally> = {
    dedicated: { seen: false, totalMicros: 0, creditsMicros: 0, itemsMicros: 0 },
    training: { seen: false, totalMicros: 0, creditsMicros: 0, itemsMicros: 0 },
    model_apis: { seen: false, totalMicros: 0, creditsMicros: 0, itemsMicros: 0 },
  };
  /** End of the latest day (or window) holding usage, before capping. */
  latestUsageEndMs: number | null = null;
  /** Sum of the daily rows kept (one per resource and UTC day of its window). */
  rowsMicros = 0;
  /** Subtotals of items that came without daily rows (cannot be split by day). */
  unrowedMicros = 0;

  add(answer: UsageSummary, window: TimeRange): void {
    const dedicated = answer.dedicated_usage;
    if (dedicated) {
      const itemsMicros = dedicated.breakdown.map((item) => {
        const tally = this.resource('dedicated', item.billable_resource.id, resourceName(item.billable_resource));
        tally.deleted = item.billable_resource.is_deleted;
        tally.requests += item.inference_requests;
        tally.minutes += item.minutes;
        const rows = item.daily.map((day) => ({
          dateMs: day.date,
          costMicros: day.subtotal,
          requests: day.inference_requests,
          activity: day.minutes + day.inference_requests,
        }));
        this.addItem(tally, window, item.subtotal, item.minutes + item.inference_requests, rows);
        return item.subtotal;
      });
      this.addSection('dedicated', dedicated, itemsMicros, window);
    }
    const training = answer.training_usage;
    if (training) {
      const itemsMicros = training.breakdown.map((item) => {
        const tally = this.resource('training', item.billable_resource.id, resourceName(item.billable_resource));
        tally.deleted = item.billable_resource.is_deleted;
        tally.minutes += item.minutes;
        const rows = item.daily.map((day) => ({ dateMs: day.date, costMicros: day.subtotal, activity: day.minutes }));
        this.addItem(tally, window, item.subtotal, item.minutes, rows);
        return item.subtotal;
      });
      this.addSection('training', training, itemsMicros, window);
    }
    const modelApis = answer.model_apis_usage;
    if (modelApis) {
      const itemsMicros = modelApis.breakdown.map((item) => {
        const tally = this.resource('model_apis', item.model_name, item.model_name);
        tally.inputTokens += item.input_tokens;
        tally.outputTokens += item.output_tokens;
        tally.cachedInputTokens += item.cached_input_tokens;
        const rows = item.daily.map((day) => ({
          dateMs: day.date,
          costMicros: day.subtotal,
          activity: day.input_tokens + day.output_tokens + day.cached_input_tokens,
        }));
        const activity = item.input_tokens + item.output_tokens + item.cached_input_tokens;
        this.addItem(tally, window, item.subtotal, activity, rows);
        return item.subtotal;
      });
      this.addSection('model_apis', modelApis, itemsMicros, window);
    }
  }

  private resource(section: SectionKey, id: string, name: string): ResourceTally {
    const key = `${section}\u0000${id}`;
    let tally = this.resources.get(key);
    if (!tally) {
      tally = {
        id,
        section,
        name,
        deleted: undefined,
        costMicros: 0,
        requests: 0,
        minutes: 0,
        inputTokens: 0,
        outputTokens: 0,
        cachedInputTokens: 0,
        days: new Map(),
      };
      this.resources.set(key, tally);
    }
    // Later windows win: a resource renamed or deleted during the range shows as it is now.
    tally.name = name;
    return tally;
  }

  private addItem(tally: ResourceTally, window: TimeRange, costMicros: number, activity: number, rows: readonly DayRow[]): void {
    tally.costMicros = sumMicros([tally.costMicros, costMicros]);
    let dailyUsage = false;
    if (rows.length === 0) this.unrowedMicros = sumMicros([this.unrowedMicros, costMicros]);
    for (const row of rows) {
      // Each UTC day belongs to one window (windows are cut on midnights). A row outside its window
      // (an inclusive end_date) or seen before is a duplicate: the first, owning window's row stands.
      const inWindow = row.dateMs + DAY_MS > window.startMs && row.dateMs < window.endMs;
      if (!inWindow || tally.days.has(row.dateMs)) continue;
      this.rowsMicros = sumMicros([this.rowsMicros, row.costMicros]);
      tally.days.set(row.dateMs, {
        costMicros: row.costMicros,
        ...(row.requests === undefined ? {} : { requests: row.requests }),
      });
      if (row.costMicros !== 0 || row.activity > 0) {
        dailyUsage = true;
        this.noteUsageUntil(row.dateMs + DAY_MS);
      }
    }
    // Usage without daily rows (daily[] is optional): all we know is that it falls in this window.
    if (!dailyUsage && (costMicros !== 0 || activity > 0)) this.noteUsageUntil(window.endMs);
  }

  private addSection(
    section: SectionKey,
    answer: { total: number; credits_used: number },
    itemsMicros: readonly number[],
    window: TimeRange,
  ): void {
    const tally = this.sections[section];
    tally.seen = true;
    tally.totalMicros = sumMicros([tally.totalMicros, answer.total]);
    tally.creditsMicros = sumMicros([tally.creditsMicros, answer.credits_used]);
    const windowItemsMicros = sumMicros(itemsMicros);
    tally.itemsMicros = sumMicros([tally.itemsMicros, windowItemsMicros]);
    if (answer.total !== windowItemsMicros) this.noteUsageUntil(window.endMs);
  }

  private noteUsageUntil(ms: number): void {
    this.latestUsageEndMs = this.latestUsageEndMs === null ? ms : Math.max(this.latestUsageEndMs, ms);
  }
}

function toResourceUsage(tally: ResourceTally): ResourceUsage {
  let activity: Activity;
  switch (tally.section) {
    case 'dedicated':
      activity = { requests: tally.requests, minutes: tally.minutes };
      break;
    case 'training':
      activity = { minutes: tally.minutes };
      break;
    case 'model_apis':
      activity = {
        inputTokens: tally.inputTokens,
        outputTokens: tally.outputTokens,
        ...(tally.cachedInputTokens > 0
          ? { quantity: { amount: tally.cachedInputTokens, unit: 'cached input tokens' } }
          : {}),
      };
      break;
  }
  const series: ResourceBucket[] = [...tally.days.entries()]
    .sort(([a], [b]) => a - b)
    .map(([startMs, day]) => ({ startMs, durationMs: DAY_MS, ...day }));
  return {
    id: tally.id,
    name: tally.name,
    kind: SECTION_KINDS[tally.section],
    costMicros: tally.costMicros,
    activity,
    // Dedicated deployments and chainlets bill for every minute they are up, busy or idle.
    dedicated: tally.section === 'dedicated',
    group: SECTION_LABELS[tally.section],
    ...(tally.deleted === undefined ? {} : { deleted: tally.deleted }),
    series,
  };
}

/** A report with no usage for the range, keeping the notes. */
export function emptyReport(range: TimeRange, notes: string[]): UsageReport {
  return {
    provider: 'baseten',
    range,
    unit: 'usd',
    totalMicros: 0,
    granularityMs: DAY_MS,
    buckets: [],
    resources: [],
    dataThroughMs: null,
    extras: { creditsUsedMicros: 0 },
    notes,
  };
}

/** Builds the report from the tallied windows: totals, buckets, resources, data-through. */
export function buildReport(range: TimeRange, tally: UsageTally, nowMs: number, notes: string[]): UsageReport {
  const resources = [...tally.resources.values()].map(toResourceUsage);
  for (const section of Object.keys(SECTION_LABELS) as SectionKey[]) {
    const sectionTally = tally.sections[section];
    const remainderMicros = sectionTally.totalMicros - sectionTally.itemsMicros;
    const label = SECTION_LABELS[section];
    if (remainderMicros > 0) {
      resources.push({
        id: `${section}:unattributed`,
        name: `Other ${label} usage`,
        kind: 'other',
        costMicros: remainderMicros,
        activity: {},
        dedicated: false,
        group: label,
      });
    } else if (remainderMicros < 0) {
      notes.push(
        `Baseten's ${label} resources add up to ${formatUsd(-remainderMicros)} more than its total; Burnrate counts the daily rows.`,
      );
    }
  }
  resources.sort(byCostThenName);

  const bucketMicros = new Map<number, number>();
  for (const resource of tally.resources.values()) {
    for (const [startMs, day] of resource.days) {
      bucketMicros.set(startMs, sumMicros([bucketMicros.get(startMs) ?? 0, day.costMicros]));
    }
  }
  const buckets: CostBucket[] = [...bucketMicros.entries()]
    .sort(([a], [b]) => a - b)
    .map(([startMs, costMicros]) => ({ startMs, durationMs: DAY_MS, costMicros }));

  const sections = Object.values(tally.sections);
  // The total is the sum of the daily rows (one per resource and UTC day, each day in one window
  // only), plus what cannot be put on a day: items without rows and a section total above its
  // items. Never the windows' totals added up: a window whose end_date counts its end day would
  // count a shared day twice.
  const remaindersMicros = sumMicros(sections.map((section) => Math.max(0, section.totalMicros - section.itemsMicros)));
  const totalMicros = sumMicros([tally.rowsMicros, tally.unrowedMicros, remaindersMicros]);
  const creditsUsedMicros = sumMicros(sections.map((section) => section.creditsMicros));
  if (creditsUsedMicros !== 0) {
    notes.push(
      `Baseten applied ${formatUsd(creditsUsedMicros)} of credits in this range; spend is shown before credits ` +
        `(${formatUsd(totalMicros - creditsUsedMicros)} after credits).`,
    );
  }
  // `nowMs` is already capped at the end of the last day asked for (which may lie past a non-UTC range's end).
  const capMs = nowMs;
  return {
    provider: 'baseten',
    range,
    unit: 'usd',
    totalMicros,
    granularityMs: DAY_MS,
    buckets,
    resources,
    dataThroughMs: tally.latestUsageEndMs === null ? null : Math.min(tally.latestUsageEndMs, capMs),
    extras: { creditsUsedMicros },
    notes,
  };
}
