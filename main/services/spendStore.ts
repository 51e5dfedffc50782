/**
 * The engine's persistence port over the spend database: what the Runtime loads at start (last
 * good reports, alert state, outbox) and saves after refreshes, as row-level changes in one
 * database shared by every process on the state folder.
 *
 * Alert decisions do not wait for a save: {@link SpendStore.decide} reads the workspace's alert
 * state as every process left it, evaluates and stores the result in one write transaction, so two
 * engines on one state folder (`watch` beside `serve`, or a second `watch`) decide each crossing
 * once. Showing a notification is claimed first ({@link SpendStore.claim}): one process shows it,
 * and one whose claim lapsed (it crashed while showing) is shown again by another after the lease.
 *
 * A save writes only the reports this process fetched. So a `burnrate status` beside a running `burnrate
 * watch` never overwrites the watcher's decisions, and a run over one workspace never touches the
 * others.
 */
import { createHash } from 'node:crypto';
import type { StatusDocument } from '../../preload/api';
import { version as buildVersion } from '../../package.json';
import type { AlertEntry, AlertEvaluation, AlertNotification, AlertState } from '../core/alerts';
import type { SnapshotData, StoredReport } from './snapshotStore';
import type { BurnrateConfig } from './config';
import type { Logger } from './ports';
import type { SpendDb, StoredConnection } from './spendDb';

/** What the Runtime needs from its store. */
export interface RuntimeStore {
  /** Where the data lives (for log lines). */
  readonly file: string;
  /** The last saved state of this engine's connections and workspaces. Never throws. */
  load(): SnapshotData;
  /** Saves the engine's state; throws the storage's error (the Runtime logs it). */
  save(data: SnapshotData): void;
  /** Stored spend per connection (`<workspace>/<connection>` key) and period key, USD connections only: the history. */
  periodTotals?(): ReadonlyArray<{ readonly key: string; readonly periodKey: string; readonly totalMicros: number }>;
  /**
   * Decides one workspace's alerts once across processes: `evaluate` runs on the workspace's alert
   * state as stored now, inside a write transaction that stores its result. Returns the new state
   * of the workspace's entries and the notifications this call decided (none that another process
   * decided already). Stores without it keep decisions in `save`.
   */
  decide?(workspaceId: string, evaluate: (state: AlertState) => AlertEvaluation): { readonly state: AlertState; readonly notifications: readonly AlertNotification[] };
  /**
   * Claims a decided notification for showing: `claimed` (show it, then {@link settle}), `settled`
   * (delivered or dropped by anyone: forget it) or `busy` (another live process is showing it:
   * try again later).
   */
  claim?(notification: AlertNotification): 'claimed' | 'settled' | 'busy';
  /** Ends this process's claim: shown, dropped unshown, or released for a later attempt. */
  settle?(notification: AlertNotification, outcome: 'delivered' | 'dropped' | 'released'): void;
  /**
   * After a save: the connection's saved previous-period report `stored` with its per-resource
   * series read from the store on first use instead of held in memory (undefined: keep `stored`).
   */
  releasePreviousSeries?(key: string, stored: StoredReport): StoredReport | undefined;
  /** Keeps `document` as this configuration's latest status document (what `serve` shows at once when it next starts). */
  saveStatus?(document: StatusDocument): void;
  /** The latest status document kept for this configuration (by this build), or null. Never throws. */
  storedStatus?(): StatusDocument | null;
}

/**
 * What a kept status document depends on besides the data: Burnrate's version (the document's
 * shape) and the configuration's workspaces (names, budgets, periods, time zones, thresholds) and
 * connections (names, providers, settings), keys left out. A document kept under another key is
 * never shown: an edited config or an upgrade waits for a new one.
 */
export function statusDocumentKey(config: BurnrateConfig): string {
  const shape = config.workspaces.map((w) => ({
    workspace: w.workspace,
    connections: w.connections.map((c) => [c.id, c.provider, c.name, c.fingerprint, c.keyProblem ?? null]),
  }));
  return createHash('sha256').update(JSON.stringify([buildVersion, config.alerts, shape])).digest('hex');
}

/** Options of {@link SpendStore}. */
export interface SpendStoreOptions {
  readonly db: SpendDb;
  /** Separates config files sharing one database (the CLI: a hash of the config path). */
  readonly namespace: string;
  /** Provider of every connection, by `<workspace>/<connection>` key (a connection without a report has none in its data). */
  readonly providers: Readonly<Record<string, string>>;
  /** The workspaces this engine runs: alert entries and notifications of others are neither loaded nor touched. */
  readonly workspaceIds: readonly string[];
  /** Wall clock (ms). */
  readonly now: () => number;
  /** {@link statusDocumentKey} of the configuration. */
  readonly statusKey: string;
}

const notificationId = (n: AlertNotification): string => `${n.key}@${n.atMs}`;

/** {@link RuntimeStore} over the spend database. */
export class SpendStore implements RuntimeStore {
  constructor(private readonly options: SpendStoreOptions) {}

  get file(): string {
    return this.options.db.file;
  }

  load(): SnapshotData {
    const { db, namespace } = this.options;
    const workspaces = new Set(this.options.workspaceIds);
    const connections: Record<string, SnapshotData['connections'][string]> = {};
    for (const [key, stored] of Object.entries(db.loadConnections(namespace))) {
      if (this.options.providers[key] === undefined) continue;
      const { provider: _provider, ...entry } = stored;
      connections[key] = entry;
    }
    const entries: Record<string, AlertEntry> = {};
    for (const [key, entry] of Object.entries(db.alertState(namespace).entries)) {
      if (!workspaces.has(entry.workspaceId)) continue;
      entries[key] = entry;
    }
    const outbox = db.outbox(namespace).filter((n) => workspaces.has(n.workspaceId));
    return { version: 1, connections, alerts: { version: 1, entries }, outbox };
  }

  periodTotals(): ReadonlyArray<{ readonly key: string; readonly periodKey: string; readonly totalMicros: number }> {
    return this.options.db.periodTotals(this.options.namespace).filter((row) => this.options.providers[row.key] !== undefined && row.unit !== 'credits');
  }

  save(data: SnapshotData): void {
    const { db, namespace } = this.options;
    const connections: Record<string, StoredConnection> = {};
    for (const [key, entry] of Object.entries(data.connections)) {
      const provider = this.options.providers[key];
      if (provider !== undefined) connections[key] = { provider, ...entry };
    }
    // Alert entries and notifications are written by decide / claim / settle as they happen.
    db.saveConnections(namespace, connections);
  }

  releasePreviousSeries(key: string, stored: StoredReport): StoredReport | undefined {
    return this.options.db.releasePreviousSeries(this.options.namespace, key, stored);
  }

  decide(workspaceId: string, evaluate: (state: AlertState) => AlertEvaluation): { state: AlertState; notifications: AlertNotification[] } {
    let state: AlertState | undefined;
    const notifications = this.options.db.decide(this.options.namespace, workspaceId, (stored) => {
      const evaluation = evaluate(stored);
      state = evaluation.state;
      return evaluation;
    });
    return { state: state!, notifications };
  }

  claim(notification: AlertNotification): 'claimed' | 'settled' | 'busy' {
    const { db, namespace } = this.options;
    if (db.claim(namespace, notification)) return 'claimed';
    const id = notificationId(notification);
    return db.outbox(namespace).some((n) => notificationId(n) === id) ? 'busy' : 'settled';
  }

  settle(notification: AlertNotification, outcome: 'delivered' | 'dropped' | 'released'): void {
    this.options.db.settle(this.options.namespace, notification, outcome);
  }

  saveStatus(document: StatusDocument): void {
    this.options.db.saveStatusDocument(this.options.namespace, this.options.statusKey, this.options.now(), JSON.stringify(document));
  }

  storedStatus(): StatusDocument | null {
    try {
      const text = this.options.db.statusDocument(this.options.namespace, this.options.statusKey);
      if (text === null) return null;
      const document = JSON.parse(text) as Partial<StatusDocument> | null;
      return typeof document?.generatedAt === 'string' && Array.isArray(document.workspaces) ? (document as StatusDocument) : null;
    } catch {
      return null;
    }
  }
}

/** Options of {@link openSpendStore}. */
export interface OpenSpendStoreOptions {
  /** The open spend database. */
  readonly db: SpendDb;
  readonly namespace: string;
  readonly config: BurnrateConfig;
  readonly logger: Logger;
  /** JSON snapshot files of earlier versions to import once (then removed); `withAlerts` imports their alert state and outbox too. */
  readonly legacyFiles?: ReadonlyArray<{ readonly file: string; readonly withAlerts: boolean }>;
  readonly now?: () => number;
}

/**
 * The engine's store over the spend database for one config, importing earlier JSON snapshots
 * once. A failed import is logged and leaves the files in place (the next start tries again).
 */
export function openSpendStore(options: OpenSpendStoreOptions): SpendStore {
  const now = options.now ?? Date.now;
  const db = options.db;
  const providers: Record<string, string> = {};
  for (const w of options.config.workspaces) for (const c of w.connections) providers[`${w.workspace.id}/${c.id}`] = c.provider;
  for (const legacy of options.legacyFiles ?? []) {
    try {
      db.importSnapshotFile(legacy.file, options.namespace, { withAlerts: legacy.withAlerts, providers });
    } catch (error) {
      options.logger.warn(`Could not import ${legacy.file} into the spend database; it is left in place.`, { message: (error as Error).message });
    }
  }
  return new SpendStore({
    db,
    namespace: options.namespace,
    providers,
    workspaceIds: options.config.workspaces.map((w) => w.workspace.id),
    now,
    statusKey: statusDocumentKey(options.config),
  });
}
