/**
 * The spend database: one SQLite file per state folder (`burnrate.sqlite`), through Node's built-in
 * `node:sqlite` (no native module; Node 24 and Electron's main process ship it).
 *
 * It holds the cost history per connection at the provider's finest granularity (per resource
 * where the provider gives it), fetch metadata (what was fetched, when, for which period), the alert
 * state, and every alert decision with its delivery (the outbox). Several processes may use one file
 * at once (`burnrate status` while `burnrate watch` runs, the tray app beside both):
 * - WAL mode and a busy timeout let readers and one writer proceed side by side;
 * - every write is one short `BEGIN IMMEDIATE` transaction (it takes the write lock first, so a
 *   read-modify-write never works on a view another process changed meanwhile);
 * - an alert decision reads the workspace's alert state *inside* its transaction and inserts its
 *   notifications under a unique key, so one crossing is decided once, whichever process sees it;
 * - a notification is claimed before it is shown, so two processes never both show it.
 *
 * Durability: `synchronous=NORMAL` in WAL mode, so a killed process never loses a committed
 * transaction (a power cut may lose the last few, which the next refresh fetches again).
 * The file is created 0600 in a 0700 folder. A file that is not a database is set aside as
 * `<file>.corrupt-<time>` with a log line, and a new one is started.
 *
 * The file and its transactions are spendDbSession.ts, the schema and migrations spendDbSchema.ts,
 * connections and their cost history spendDbReports.ts, alert decisions and the outbox
 * spendDbAlerts.ts; this class is the one door to them.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, rmSync } from 'node:fs';
import { hostname } from 'node:os';
import { basename } from 'node:path';
import { parseAlertState, type AlertEntry, type AlertEvaluation, type AlertNotification, type AlertState } from '../core/alerts';
import { DAY_MS, type ResourceBucket } from '../core/report';
import type { Logger } from './ports';
import { AlertTables, type DeliveryOutcome } from './spendDbAlerts';
import { ReportTables, type StoredConnection } from './spendDbReports';
import { SpendDbSession, type SpendDbOptions } from './spendDbSession';
import { SnapshotStore, type StoredReport } from './snapshotStore';

export { CLAIM_LEASE_MS, type DeliveryOutcome } from './spendDbAlerts';
export type { StoredConnection } from './spendDbReports';
export type { SpendDbOptions } from './spendDbSession';

/** The database's file name inside a state folder. */
export const SPEND_DB_FILE = 'burnrate.sqlite';

/** History kept at least this long (the issue asks for 400 days); older buckets are pruned. */
export const RETENTION_MS = 400 * DAY_MS;

/** The spend database. Open with {@link SpendDb.open}; every method is synchronous and short. */
export class SpendDb {
  /** Identifies this process in claims and decisions (`host:pid:random`). */
  readonly owner = `${hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`;
  private readonly now: () => number;
  private readonly reports: ReportTables;
  private readonly alerts: AlertTables;

  private constructor(
    readonly file: string,
    private readonly session: SpendDbSession,
    private readonly logger: Logger,
    now: (() => number) | undefined,
  ) {
    this.now = now ?? Date.now;
    this.reports = new ReportTables(session);
    this.alerts = new AlertTables(session, this.owner, this.now, logger);
  }

  /**
   * Opens (creating and migrating as needed) the database at `file`. A file that is not a SQLite
   * database is moved aside and replaced (logged). Throws only when the folder is unusable or the
   * file was written by a newer Burnrate (its schema version is higher than this build's).
   */
  static open(file: string, options: SpendDbOptions): SpendDb {
    const db = new SpendDb(file, SpendDbSession.open(file, options), options.logger, options.now);
    db.prune();
    return db;
  }

  /** The schema version of the open file. */
  get schemaVersion(): number {
    return this.session.schemaVersion;
  }

  /** Closes the file (idempotent). */
  close(): void {
    this.session.close();
  }

  /**
   * Runs `fn` in one `BEGIN IMMEDIATE` transaction (the write lock first: no lost update across
   * processes). Called inside another, it joins the outer one.
   */
  transaction<T>(fn: () => T): T {
    return this.session.transaction(fn);
  }

  // ── connections and their reports (spendDbReports.ts) ───────────────────────────────────────

  /** Every stored connection of `namespace`, keyed `<workspace>/<connection>`, with its reports rebuilt from the buckets. */
  loadConnections(namespace: string): Record<string, StoredConnection> {
    return this.reports.loadConnections(namespace);
  }

  /**
   * Saves connections of `namespace`: only what changed since this process last read or wrote it.
   * Keys not given are left alone, so a run over some workspaces never erases the others. One transaction.
   */
  saveConnections(namespace: string, entries: Readonly<Record<string, StoredConnection>>): void {
    this.reports.saveConnections(namespace, entries);
  }

  /** The connection's written previous-period report with its per-resource series left in the database (spendDbReports.ts). */
  releasePreviousSeries(namespace: string, key: string, stored: StoredReport): StoredReport | undefined {
    return this.reports.releasePreviousSeries(namespace, key, stored);
  }

  /** Sum of the stored total buckets of a connection in one period (micro-units), or null when it has none. */
  storedTotalMicros(namespace: string, key: string, periodKey: string): number | null {
    return this.reports.storedTotalMicros(namespace, key, periodKey);
  }

  /**
   * Each connection's spend per stored period of `namespace` (micro-units): the fetched total where
   * a fetch of that period is kept (it includes what the buckets cannot place), else the sum of
   * its total buckets. `unit` is the connection's latest fetched unit (null without a fetch).
   */
  periodTotals(namespace: string): Array<{ readonly key: string; readonly periodKey: string; readonly totalMicros: number; readonly unit: 'usd' | 'credits' | null }> {
    return this.reports.periodTotals(namespace);
  }

  /** Stored total buckets starting in `[fromMs, toMs)`, by connection key, with units (`GET /api/history`). */
  historyBuckets(namespace: string, fromMs: number, toMs: number): Map<string, { unit: 'usd' | 'credits' | null; buckets: ResourceBucket[] }> {
    return this.reports.historyBuckets(namespace, fromMs, toMs);
  }

  // ── the latest status document (instant start) ──────────────────────────────────────────────

  /** Keeps `document` (JSON text) as the latest status document of `namespace`, made at `madeMs` from the configuration `configKey`. */
  saveStatusDocument(namespace: string, configKey: string, madeMs: number, document: string): void {
    this.session
      .statement('INSERT INTO status_documents (namespace, config_key, made_ms, document) VALUES (?, ?, ?, ?) ON CONFLICT (namespace) DO UPDATE SET config_key = excluded.config_key, made_ms = excluded.made_ms, document = excluded.document')
      .run(namespace, configKey, madeMs, document);
  }

  /** The latest status document of `namespace` (JSON text) if it was made from the configuration `configKey`; null otherwise. */
  statusDocument(namespace: string, configKey: string): string | null {
    const row = this.session.statement('SELECT document FROM status_documents WHERE namespace = ? AND config_key = ?').get(namespace, configKey) as { document: string } | undefined;
    return row?.document ?? null;
  }

  // ── alert decisions and the outbox (spendDbAlerts.ts) ───────────────────────────────────────

  /** The alert state of `namespace` (every workspace). */
  alertState(namespace: string): AlertState {
    return this.alerts.alertState(namespace);
  }

  /**
   * Decides the alerts of one workspace once, across processes (see {@link AlertTables.decide}).
   * Returns the notifications this call inserted. `evaluate` must be pure and quick.
   */
  decide(namespace: string, workspaceId: string, evaluate: (state: AlertState) => AlertEvaluation): AlertNotification[] {
    return this.alerts.decide(namespace, workspaceId, evaluate);
  }

  /** Writes one alert entry (the Runtime's own changes; decisions across processes go through {@link decide}). */
  putAlertEntry(namespace: string, key: string, entry: AlertEntry): void {
    this.alerts.putAlertEntry(namespace, key, entry);
  }

  /** Removes one alert entry (a rule re-armed). */
  deleteAlertEntry(namespace: string, key: string): void {
    this.alerts.deleteAlertEntry(namespace, key);
  }

  /** Records a decided notification (once: false when it is already there). */
  insertDecision(namespace: string, n: AlertNotification): boolean {
    return this.alerts.insertNotification(namespace, n);
  }

  /** Marks a notification delivered or dropped, whoever claimed it. */
  markSettled(namespace: string, n: AlertNotification, outcome: 'delivered' | 'dropped'): void {
    this.alerts.markSettled(namespace, n, outcome);
  }

  /** Decided notifications of `namespace` not yet delivered nor dropped (the outbox), oldest first. */
  outbox(namespace: string): AlertNotification[] {
    return this.alerts.outbox(namespace);
  }

  /** Claims a notification for showing: true for exactly one process at a time (see {@link AlertTables.claim}). */
  claim(namespace: string, n: AlertNotification): boolean {
    return this.alerts.claim(namespace, n);
  }

  /** Ends a claim: `delivered` and `dropped` take it out of the outbox; `released` lets anyone retry it. */
  settle(namespace: string, n: AlertNotification, outcome: DeliveryOutcome): void {
    this.alerts.settle(namespace, n, outcome);
  }

  /** Every decision of `namespace` (delivered or not), oldest first: history and tests. */
  decisions(namespace: string): Array<AlertNotification & { readonly decidedBy: string; readonly deliveredAtMs: number | null }> {
    return this.alerts.decisions(namespace);
  }

  // ── import, retention ───────────────────────────────────────────────────────────────────────

  /**
   * Imports a JSON snapshot file of the earlier snapshot store into `namespace`, once, then removes
   * it. Connections already in the database are kept (the database is newer); the alert state and
   * outbox are imported only when `withAlerts` and the namespace has none yet. A missing file is a
   * no-op; an unreadable or corrupt one is handled by the snapshot store's loader (set aside, logged).
   * Returns true when something was imported.
   */
  importSnapshotFile(file: string, namespace: string, options: { readonly withAlerts: boolean; readonly providers?: Readonly<Record<string, string>> }): boolean {
    if (!existsSync(file)) return false;
    const data = new SnapshotStore(file, this.logger, this.now).load();
    const imported = this.transaction(() => {
      let count = 0;
      for (const [key, entry] of Object.entries(data.connections)) {
        if (this.reports.has(namespace, key)) continue;
        const provider = entry.current?.report.provider ?? entry.previous?.report.provider ?? options.providers?.[key];
        if (provider === undefined) continue;
        this.reports.writeConnection(namespace, key, {
          provider,
          fingerprint: entry.fingerprint,
          ...(entry.current ? { current: entry.current } : {}),
          ...(entry.previous ? { previous: entry.previous } : {}),
          ...(entry.failingSinceMs === undefined ? {} : { failingSinceMs: entry.failingSinceMs }),
        });
        count += 1;
      }
      const hasAlerts = this.alerts.hasState(namespace);
      if (options.withAlerts && !hasAlerts && data.alerts !== null) {
        const parsed = parseAlertState(data.alerts);
        this.alerts.replaceAlertState(namespace, parsed.state);
        for (const notification of data.outbox) this.alerts.insertNotification(namespace, notification);
        count += 1;
      }
      this.session.statement('INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)').run(`imported:${namespace}:${basename(file)}`, String(this.now()));
      return count;
    });
    rmSync(file, { force: true });
    this.logger.info(`Imported ${basename(file)} into the spend database and removed it.`, { connections: imported });
    return imported > 0;
  }

  /** Drops buckets and settled notifications older than {@link RETENTION_MS}. */
  prune(nowMs = this.now()): void {
    const cutoff = nowMs - RETENTION_MS;
    this.transaction(() => {
      this.session.statement('DELETE FROM buckets WHERE start_ms < ?').run(cutoff);
      this.session.statement('DELETE FROM notifications WHERE at_ms < ? AND (delivered_at_ms IS NOT NULL OR dropped_at_ms IS NOT NULL)').run(cutoff);
    });
  }
}
