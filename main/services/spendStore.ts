/**
 * The engine's persistence port over the spend database: what the Runtime loads at start (last
 * good reports, alert state, outbox) and saves after refreshes, as row-level changes in one
 * database shared by every process on the state folder.
 *
 * A save writes only what this process changed since it last loaded or saved: reports it fetched,
 * alert entries its evaluations changed, notifications it decided or delivered. So a
 * `burnrate status` beside a running `burnrate watch` never overwrites the watcher's decisions
 * (it decides nothing and writes only its fresh reports), and a run over one workspace never
 * touches the others.
 */
import type { AlertEntry, AlertNotification } from '../core/alerts';
import type { SnapshotData } from './snapshotStore';
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
}

/** A notification refused for this long was dropped by the Runtime, not delivered. */
const OUTBOX_MAX_AGE_MS = 24 * 60 * 60_000;

const notificationId = (n: AlertNotification): string => `${n.key}@${n.atMs}`;

/** {@link RuntimeStore} over the spend database. */
export class SpendStore implements RuntimeStore {
  private loadedAlerts = new Map<string, string>();
  private loadedOutbox = new Map<string, AlertNotification>();

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
    this.loadedAlerts = new Map();
    for (const [key, entry] of Object.entries(db.alertState(namespace).entries)) {
      if (!workspaces.has(entry.workspaceId)) continue;
      entries[key] = entry;
      this.loadedAlerts.set(key, JSON.stringify(entry));
    }
    const outbox = db.outbox(namespace).filter((n) => workspaces.has(n.workspaceId));
    this.loadedOutbox = new Map(outbox.map((n) => [notificationId(n), n]));
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
    const state = (data.alerts ?? { entries: {} }) as { entries: Record<string, AlertEntry> };
    const alerts = new Map(Object.entries(state.entries).map(([key, entry]) => [key, JSON.stringify(entry)]));
    const outbox = new Map(data.outbox.map((n) => [notificationId(n), n]));
    db.transaction(() => {
      db.saveConnections(namespace, connections);
      // Alert entries: only the ones this process changed (another process's decisions stay).
      for (const [key, json] of alerts) {
        if (this.loadedAlerts.get(key) !== json) db.putAlertEntry(namespace, key, JSON.parse(json) as AlertEntry);
      }
      for (const key of this.loadedAlerts.keys()) if (!alerts.has(key)) db.deleteAlertEntry(namespace, key);
      // Notifications: new decisions go in once; ones that left the outbox were delivered or dropped.
      for (const [id, n] of outbox) if (!this.loadedOutbox.has(id)) db.insertDecision(namespace, n);
      const nowMs = this.options.now();
      for (const [id, n] of this.loadedOutbox) {
        if (!outbox.has(id)) db.markSettled(namespace, n, nowMs - n.atMs >= OUTBOX_MAX_AGE_MS ? 'dropped' : 'delivered');
      }
    });
    this.loadedAlerts = alerts;
    this.loadedOutbox = outbox;
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
  return new SpendStore({ db, namespace: options.namespace, providers, workspaceIds: options.config.workspaces.map((w) => w.workspace.id), now });
}
