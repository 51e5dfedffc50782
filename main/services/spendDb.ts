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
 */
import { randomBytes } from 'node:crypto';
import { chmodSync, closeSync, existsSync, mkdirSync, openSync, renameSync, rmSync, statSync } from 'node:fs';
import { hostname } from 'node:os';
import { basename, dirname } from 'node:path';
import { DatabaseSync, type StatementSync } from 'node:sqlite';
import { parseAlertState, type AlertEntry, type AlertEvaluation, type AlertNotification, type AlertState } from '../core/alerts';
import { DAY_MS, type ResourceBucket, type ResourceUsage, type UsageReport } from '../core/report';
import type { Logger } from './ports';
import { PRIVATE_DIR_MODE, PRIVATE_FILE_MODE } from './privateFile';
import { MIGRATIONS, SCHEMA_VERSION } from './spendDbSchema';
import { SnapshotStore, type StoredReport } from './snapshotStore';

/** The database's file name inside a state folder. */
export const SPEND_DB_FILE = 'burnrate.sqlite';

/** History kept at least this long (the issue asks for 400 days); older buckets are pruned. */
export const RETENTION_MS = 400 * DAY_MS;

/** A claimed notification not settled within this long may be shown by another process (its claimer died). */
export const CLAIM_LEASE_MS = 2 * 60_000;

/** What the database keeps about one connection. */
export interface StoredConnection {
  readonly provider: string;
  /** The connection settings' fingerprint: cached data of an edited connection is not shown. */
  readonly fingerprint: string;
  readonly current?: StoredReport;
  readonly previous?: StoredReport;
  readonly failingSinceMs?: number;
}

/** How a delivery attempt ended. */
export type DeliveryOutcome = 'delivered' | 'dropped' | 'released';

/** Options of {@link SpendDb.open}. */
export interface SpendDbOptions {
  readonly logger: Logger;
  /** Wall clock (ms) for claims, retention and corrupt-file names; tests pass a fake one. */
  readonly now?: () => number;
  /** How long a write waits for another process's transaction (ms). Default 5000. */
  readonly busyTimeoutMs?: number;
}

/** A resource as stored in a fetch's header: its series lives in the buckets table. */
type HeaderResource = Omit<ResourceUsage, 'series'> & { readonly seriesStored?: true };

interface FetchHeader {
  readonly resources: readonly HeaderResource[];
  readonly extras: UsageReport['extras'];
  readonly notes: readonly string[];
}

interface FetchRow {
  readonly slot: 'current' | 'previous';
  readonly period_key: string;
  readonly range_start_ms: number;
  readonly range_end_ms: number;
  readonly fetched_at_ms: number;
  readonly unit: 'usd' | 'credits';
  readonly total_micros: number;
  readonly granularity_ms: number;
  readonly data_through_ms: number | null;
  readonly header: string;
}

interface BucketRow {
  readonly resource_id: string;
  readonly start_ms: number;
  readonly duration_ms: number;
  readonly cost_micros: number;
  readonly requests: number | null;
}

interface NotificationRow {
  readonly key: string;
  readonly at_ms: number;
  readonly workspace_id: string;
  readonly rule: AlertNotification['rule'];
  readonly severity: AlertNotification['severity'];
  readonly title: string;
  readonly body: string;
}

/** `resource_id` of a connection's total buckets; resources get `r:<id>`. */
const TOTAL = '';
const resourceKey = (id: string): string => `r:${id}`;

/** Creates `dir` (0700) and `file` (0600) when missing, so SQLite never creates them with the umask. */
function prepareFile(file: string): void {
  mkdirSync(dirname(file), { recursive: true, mode: PRIVATE_DIR_MODE });
  if (!existsSync(file)) closeSync(openSync(file, 'a', PRIVATE_FILE_MODE));
  // The umask may have narrowed the mode, and an older file may be wider: it holds spend history.
  if (process.platform !== 'win32' && (statSync(file).mode & 0o777) !== PRIVATE_FILE_MODE) chmodSync(file, PRIVATE_FILE_MODE);
}

/** The spend database. Open with {@link SpendDb.open}; every method is synchronous and short. */
export class SpendDb {
  /** Identifies this process in claims and decisions (`host:pid:random`). */
  readonly owner = `${hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`;
  private readonly now: () => number;
  private readonly statements = new Map<string, StatementSync>();
  /** What was last written per (namespace, key): unchanged reports are not written again. */
  private readonly written = new Map<string, { fingerprint: string; provider: string; current?: StoredReport; previous?: StoredReport; failingSinceMs?: number }>();
  private closed = false;
  /** Memory updates that hold only once the outermost transaction committed. */
  private readonly afterCommit: Array<() => void> = [];

  private constructor(
    readonly file: string,
    private readonly db: DatabaseSync,
    private readonly logger: Logger,
    now: (() => number) | undefined,
  ) {
    this.now = now ?? Date.now;
  }

  /**
   * Opens (creating and migrating as needed) the database at `file`. A file that is not a SQLite
   * database is moved aside and replaced (logged). Throws only when the folder is unusable or the
   * file was written by a newer Burnrate (its schema version is higher than this build's).
   */
  static open(file: string, options: SpendDbOptions): SpendDb {
    prepareFile(file);
    let db: SpendDb;
    try {
      db = SpendDb.connect(file, options);
    } catch (error) {
      if (!isNotADatabase(error)) throw error;
      const aside = `${file}.corrupt-${new Date((options.now ?? Date.now)()).toISOString().replace(/[:.]/g, '-')}`;
      renameSync(file, aside);
      for (const suffix of ['-wal', '-shm']) rmSync(`${file}${suffix}`, { force: true });
      options.logger.warn(`The spend database was not readable (${(error as Error).message}); moved it to ${aside} and started a new one.`);
      prepareFile(file);
      db = SpendDb.connect(file, options);
    }
    db.prune();
    return db;
  }

  private static connect(file: string, options: SpendDbOptions): SpendDb {
    const raw = new DatabaseSync(file, { timeout: options.busyTimeoutMs ?? 5_000 });
    try {
      raw.exec(`PRAGMA busy_timeout = ${Math.max(0, Math.floor(options.busyTimeoutMs ?? 5_000))}`);
      raw.exec('PRAGMA journal_mode = WAL');
      raw.exec('PRAGMA synchronous = NORMAL');
      raw.exec('PRAGMA foreign_keys = ON');
      migrate(raw);
    } catch (error) {
      raw.close();
      throw error;
    }
    return new SpendDb(file, raw, options.logger, options.now);
  }

  /** The schema version of the open file. */
  get schemaVersion(): number {
    return (this.db.prepare('PRAGMA user_version').get() as { user_version: number }).user_version;
  }

  /** Closes the file (idempotent). */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.db.close();
  }

  private statement(sql: string): StatementSync {
    let statement = this.statements.get(sql);
    if (statement === undefined) {
      statement = this.db.prepare(sql);
      this.statements.set(sql, statement);
    }
    return statement;
  }

  /**
   * Runs `fn` in one `BEGIN IMMEDIATE` transaction (the write lock first: no lost update across
   * processes). Called inside another, it joins the outer one.
   */
  transaction<T>(fn: () => T): T {
    if (this.db.isTransaction) return fn();
    this.db.exec('BEGIN IMMEDIATE');
    try {
      const result = fn();
      this.db.exec('COMMIT');
      for (const callback of this.afterCommit.splice(0)) callback();
      return result;
    } catch (error) {
      this.afterCommit.length = 0;
      if (this.db.isTransaction) this.db.exec('ROLLBACK');
      throw error;
    }
  }

  // ── connections and their reports ───────────────────────────────────────────────────────────

  /** Every stored connection of `namespace`, keyed `<workspace>/<connection>`, with its reports rebuilt from the buckets. */
  loadConnections(namespace: string): Record<string, StoredConnection> {
    const result: Record<string, StoredConnection> = {};
    const rows = this.statement('SELECT id, key, provider, fingerprint, failing_since_ms FROM connections WHERE namespace = ?').all(namespace) as Array<{
      id: number;
      key: string;
      provider: string;
      fingerprint: string;
      failing_since_ms: number | null;
    }>;
    for (const row of rows) {
      const fetches = this.statement('SELECT * FROM fetches WHERE connection_id = ?').all(row.id) as unknown as FetchRow[];
      let current: StoredReport | undefined;
      let previous: StoredReport | undefined;
      for (const fetch of fetches) {
        const stored = this.readReport(row.id, row.provider, fetch);
        if (fetch.slot === 'current') current = stored;
        else previous = stored;
      }
      const entry: StoredConnection = {
        provider: row.provider,
        fingerprint: row.fingerprint,
        ...(current ? { current } : {}),
        ...(previous ? { previous } : {}),
        ...(row.failing_since_ms === null ? {} : { failingSinceMs: row.failing_since_ms }),
      };
      result[row.key] = entry;
      this.written.set(`${namespace}\0${row.key}`, { ...entry });
    }
    return result;
  }

  private readReport(connectionId: number, provider: string, fetch: FetchRow): StoredReport {
    const header = JSON.parse(fetch.header) as FetchHeader;
    const rows = this.statement(
      'SELECT resource_id, start_ms, duration_ms, cost_micros, requests FROM buckets WHERE connection_id = ? AND period_key = ? ORDER BY resource_id, start_ms',
    ).all(connectionId, fetch.period_key) as unknown as BucketRow[];
    const byResource = new Map<string, ResourceBucket[]>();
    for (const row of rows) {
      let list = byResource.get(row.resource_id);
      if (list === undefined) byResource.set(row.resource_id, (list = []));
      list.push({
        startMs: row.start_ms,
        durationMs: row.duration_ms,
        costMicros: row.cost_micros,
        ...(row.requests === null || row.resource_id === TOTAL ? {} : { requests: row.requests }),
      });
    }
    const resources: ResourceUsage[] = header.resources.map((resource) => {
      const { seriesStored, ...rest } = resource;
      return seriesStored ? { ...rest, series: byResource.get(resourceKey(resource.id)) ?? [] } : rest;
    });
    const report: UsageReport = {
      provider,
      range: { startMs: fetch.range_start_ms, endMs: fetch.range_end_ms },
      unit: fetch.unit,
      totalMicros: fetch.total_micros,
      granularityMs: fetch.granularity_ms,
      buckets: byResource.get(TOTAL) ?? [],
      resources,
      dataThroughMs: fetch.data_through_ms,
      extras: header.extras,
      notes: header.notes,
    };
    return { periodKey: fetch.period_key, fetchedAtMs: fetch.fetched_at_ms, report };
  }

  /**
   * Saves connections of `namespace`: only what changed since this process last read or wrote it
   * (a report object is written once; reports are never mutated after they are made). Keys not
   * given are left alone, so a run over some workspaces never erases the others. One transaction.
   */
  saveConnections(namespace: string, entries: Readonly<Record<string, StoredConnection>>): void {
    const changed = Object.entries(entries).filter(([key, entry]) => {
      const before = this.written.get(`${namespace}\0${key}`);
      return (
        before === undefined ||
        before.fingerprint !== entry.fingerprint ||
        before.provider !== entry.provider ||
        before.current !== entry.current ||
        before.previous !== entry.previous ||
        before.failingSinceMs !== entry.failingSinceMs
      );
    });
    if (changed.length === 0) return;
    this.transaction(() => {
      for (const [key, entry] of changed) this.writeConnection(namespace, key, entry);
      // writeConnection diffs against `written`: it may only move on once the rows are committed.
      this.afterCommit.push(() => {
        for (const [key, entry] of changed) this.written.set(`${namespace}\0${key}`, { ...entry });
      });
    });
  }

  private writeConnection(namespace: string, key: string, entry: StoredConnection): void {
    const before = this.written.get(`${namespace}\0${key}`);
    const { id } = this.statement(
      `INSERT INTO connections (namespace, key, provider, fingerprint, failing_since_ms) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (namespace, key) DO UPDATE SET provider = excluded.provider, fingerprint = excluded.fingerprint, failing_since_ms = excluded.failing_since_ms
       RETURNING id`,
    ).get(namespace, key, entry.provider, entry.fingerprint, entry.failingSinceMs ?? null) as { id: number };
    if (before !== undefined && before.fingerprint !== entry.fingerprint) {
      // Another provider, URL or filter: the old history is not this connection's.
      this.statement('DELETE FROM buckets WHERE connection_id = ?').run(id);
      this.statement('DELETE FROM fetches WHERE connection_id = ?').run(id);
    }
    for (const slot of ['current', 'previous'] as const) {
      const stored = entry[slot];
      if (stored === undefined) {
        if (before?.[slot] !== undefined) this.statement('DELETE FROM fetches WHERE connection_id = ? AND slot = ?').run(id, slot);
      } else if (before?.[slot] !== stored || before.fingerprint !== entry.fingerprint) {
        const sameHistory = before !== undefined && before.fingerprint === entry.fingerprint;
        this.writeReport(id, slot, stored, sameHistory ? before[slot] : undefined);
      }
    }
  }

  /**
   * Writes one fetch: its metadata row, and its buckets. `before` is what this process last wrote
   * in that slot: when it is of the same period, only the differences are written.
   */
  private writeReport(connectionId: number, slot: 'current' | 'previous', stored: StoredReport, before: StoredReport | undefined): void {
    const { report } = stored;
    const header: FetchHeader = {
      resources: report.resources.map((resource) => {
        const { series, ...rest } = resource;
        return series === undefined ? rest : { ...rest, seriesStored: true as const };
      }),
      extras: report.extras,
      notes: report.notes,
    };
    this.statement(
      `INSERT INTO fetches (connection_id, slot, period_key, range_start_ms, range_end_ms, fetched_at_ms, unit, total_micros, granularity_ms, data_through_ms, header)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (connection_id, slot) DO UPDATE SET period_key = excluded.period_key, range_start_ms = excluded.range_start_ms,
         range_end_ms = excluded.range_end_ms, fetched_at_ms = excluded.fetched_at_ms, unit = excluded.unit, total_micros = excluded.total_micros,
         granularity_ms = excluded.granularity_ms, data_through_ms = excluded.data_through_ms, header = excluded.header`,
    ).run(
      connectionId,
      slot,
      stored.periodKey,
      report.range.startMs,
      report.range.endMs,
      stored.fetchedAtMs,
      report.unit,
      report.totalMicros,
      report.granularityMs,
      report.dataThroughMs,
      JSON.stringify(header),
    );
    const rows = new Map<string, { resourceId: string; bucket: ResourceBucket }>();
    for (const bucket of report.buckets) rows.set(`${TOTAL}\0${bucket.startMs}`, { resourceId: TOTAL, bucket });
    for (const resource of report.resources) {
      const id = resourceKey(resource.id);
      for (const bucket of resource.series ?? []) rows.set(`${id}\0${bucket.startMs}`, { resourceId: id, bucket });
    }
    const upsert = this.statement(
      `INSERT INTO buckets (connection_id, period_key, resource_id, start_ms, duration_ms, cost_micros, requests, input_tokens, output_tokens, fetched_at_ms)
       VALUES (?, ?, ?, ?, ?, ?, ?, NULL, NULL, ?)
       ON CONFLICT (connection_id, period_key, resource_id, start_ms) DO UPDATE SET duration_ms = excluded.duration_ms,
         cost_micros = excluded.cost_micros, requests = excluded.requests, fetched_at_ms = excluded.fetched_at_ms`,
    );
    const write = (resourceId: string, bucket: ResourceBucket): void => {
      upsert.run(connectionId, stored.periodKey, resourceId, bucket.startMs, bucket.durationMs, bucket.costMicros, bucket.requests ?? null, stored.fetchedAtMs);
    };
    if (before === undefined || before.periodKey !== stored.periodKey) {
      // A period this process has not written: the fetch is the whole truth of it.
      this.statement('DELETE FROM buckets WHERE connection_id = ? AND period_key = ?').run(connectionId, stored.periodKey);
      for (const { resourceId, bucket } of rows.values()) write(resourceId, bucket);
      return;
    }
    // The same period again (a refresh): only the buckets that changed are written, so a refresh
    // costs a few rows (the open hours, revisions), not the month.
    const old = new Map<string, ResourceBucket>();
    for (const bucket of before.report.buckets) old.set(`${TOTAL}\0${bucket.startMs}`, bucket);
    for (const resource of before.report.resources) {
      const id = resourceKey(resource.id);
      for (const bucket of resource.series ?? []) old.set(`${id}\0${bucket.startMs}`, bucket);
    }
    for (const [key, { resourceId, bucket }] of rows) {
      const previous = old.get(key);
      if (previous === undefined || previous.costMicros !== bucket.costMicros || previous.durationMs !== bucket.durationMs || previous.requests !== bucket.requests) {
        write(resourceId, bucket);
      }
    }
    const remove = this.statement('DELETE FROM buckets WHERE connection_id = ? AND period_key = ? AND resource_id = ? AND start_ms = ?');
    for (const [key, bucket] of old) {
      if (rows.has(key)) continue;
      remove.run(connectionId, stored.periodKey, key.slice(0, key.indexOf('\0')), bucket.startMs);
    }
  }

  /** Sum of the stored total buckets of a connection in one period (micro-units), or null when it has none. */
  storedTotalMicros(namespace: string, key: string, periodKey: string): number | null {
    const row = this.statement(
      `SELECT SUM(b.cost_micros) AS total, COUNT(*) AS n FROM buckets b JOIN connections c ON c.id = b.connection_id
       WHERE c.namespace = ? AND c.key = ? AND b.period_key = ? AND b.resource_id = ''`,
    ).get(namespace, key, periodKey) as { total: number | null; n: number };
    return row.n === 0 ? null : row.total;
  }

  // ── alert decisions and the outbox ──────────────────────────────────────────────────────────

  /** The alert state of `namespace` (every workspace). */
  alertState(namespace: string): AlertState {
    const rows = this.statement('SELECT key, entry FROM alert_entries WHERE namespace = ?').all(namespace) as Array<{ key: string; entry: string }>;
    return this.parseEntries(rows);
  }

  private parseEntries(rows: ReadonlyArray<{ key: string; entry: string }>): AlertState {
    const entries: Record<string, unknown> = {};
    for (const row of rows) entries[row.key] = JSON.parse(row.entry);
    const parsed = parseAlertState({ version: 1, entries });
    if (parsed.reason) this.logger.warn(`Alert state: ${parsed.reason}`);
    return parsed.state;
  }

  /**
   * Decides the alerts of one workspace once, across processes: inside one write transaction it
   * reads the workspace's current alert state (including what other processes decided), runs
   * `evaluate` on it, stores the new state and inserts the notifications. Returns the
   * notifications this call inserted (a notification some process already inserted is not
   * returned again). `evaluate` must be pure and quick: the write lock is held while it runs.
   */
  decide(namespace: string, workspaceId: string, evaluate: (state: AlertState) => AlertEvaluation): AlertNotification[] {
    return this.transaction(() => {
      const rows = this.statement('SELECT key, entry FROM alert_entries WHERE namespace = ? AND workspace_id = ?').all(namespace, workspaceId) as Array<{
        key: string;
        entry: string;
      }>;
      const before = new Map(rows.map((row) => [row.key, row.entry]));
      const evaluation = evaluate(this.parseEntries(rows));
      const after = new Map<string, AlertEntry>();
      for (const [key, entry] of Object.entries(evaluation.state.entries)) if (entry.workspaceId === workspaceId) after.set(key, entry);
      for (const key of before.keys()) if (!after.has(key)) this.statement('DELETE FROM alert_entries WHERE namespace = ? AND key = ?').run(namespace, key);
      for (const [key, entry] of after) {
        const json = JSON.stringify(entry);
        if (before.get(key) !== json) {
          this.statement(
            'INSERT INTO alert_entries (namespace, key, workspace_id, entry) VALUES (?, ?, ?, ?) ON CONFLICT (namespace, key) DO UPDATE SET entry = excluded.entry, workspace_id = excluded.workspace_id',
          ).run(namespace, key, workspaceId, json);
        }
      }
      const inserted: AlertNotification[] = [];
      for (const notification of evaluation.notifications) {
        if (this.insertNotification(namespace, notification)) inserted.push(notification);
      }
      return inserted;
    });
  }

  private insertNotification(namespace: string, n: AlertNotification): boolean {
    const { changes } = this.statement(
      'INSERT OR IGNORE INTO notifications (namespace, key, at_ms, workspace_id, rule, severity, title, body, decided_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
    ).run(namespace, n.key, n.atMs, n.workspaceId, n.rule, n.severity, n.title, n.body, this.owner);
    return Number(changes) === 1;
  }

  /** Writes one alert entry (the Runtime's own changes; decisions across processes go through {@link decide}). */
  putAlertEntry(namespace: string, key: string, entry: AlertEntry): void {
    this.statement(
      'INSERT INTO alert_entries (namespace, key, workspace_id, entry) VALUES (?, ?, ?, ?) ON CONFLICT (namespace, key) DO UPDATE SET entry = excluded.entry, workspace_id = excluded.workspace_id',
    ).run(namespace, key, entry.workspaceId, JSON.stringify(entry));
  }

  /** Removes one alert entry (a rule re-armed). */
  deleteAlertEntry(namespace: string, key: string): void {
    this.statement('DELETE FROM alert_entries WHERE namespace = ? AND key = ?').run(namespace, key);
  }

  /** Records a decided notification (once: false when it is already there). */
  insertDecision(namespace: string, n: AlertNotification): boolean {
    return this.insertNotification(namespace, n);
  }

  /** Marks a notification delivered or dropped, whoever claimed it. */
  markSettled(namespace: string, n: AlertNotification, outcome: 'delivered' | 'dropped'): void {
    const column = outcome === 'delivered' ? 'delivered_at_ms' : 'dropped_at_ms';
    this.statement(`UPDATE notifications SET ${column} = ? WHERE namespace = ? AND key = ? AND at_ms = ? AND delivered_at_ms IS NULL AND dropped_at_ms IS NULL`).run(
      this.now(),
      namespace,
      n.key,
      n.atMs,
    );
  }

  /** Replaces the whole alert state of `namespace` (the JSON import; not for decisions: use {@link decide}). */
  private replaceAlertState(namespace: string, state: AlertState): void {
    this.statement('DELETE FROM alert_entries WHERE namespace = ?').run(namespace);
    for (const [key, entry] of Object.entries(state.entries)) {
      this.statement('INSERT INTO alert_entries (namespace, key, workspace_id, entry) VALUES (?, ?, ?, ?)').run(namespace, key, entry.workspaceId, JSON.stringify(entry));
    }
  }

  /** Decided notifications of `namespace` not yet delivered nor dropped (the outbox), oldest first. */
  outbox(namespace: string): AlertNotification[] {
    const rows = this.statement(
      'SELECT key, at_ms, workspace_id, rule, severity, title, body FROM notifications WHERE namespace = ? AND delivered_at_ms IS NULL AND dropped_at_ms IS NULL ORDER BY at_ms, key',
    ).all(namespace) as unknown as NotificationRow[];
    return rows.map((row) => ({ key: row.key, workspaceId: row.workspace_id, rule: row.rule, severity: row.severity, title: row.title, body: row.body, atMs: row.at_ms }));
  }

  /**
   * Claims a notification for showing: true for exactly one process at a time (until it settles
   * or its claim is older than {@link CLAIM_LEASE_MS}); false when it is delivered, dropped, or
   * claimed by another live process.
   */
  claim(namespace: string, n: AlertNotification): boolean {
    const nowMs = this.now();
    return this.transaction(() => {
      const { changes } = this.statement(
        `UPDATE notifications SET claimed_by = ?, claimed_at_ms = ?
         WHERE namespace = ? AND key = ? AND at_ms = ? AND delivered_at_ms IS NULL AND dropped_at_ms IS NULL
           AND (claimed_by IS NULL OR claimed_by = ? OR claimed_at_ms < ?)`,
      ).run(this.owner, nowMs, namespace, n.key, n.atMs, this.owner, nowMs - CLAIM_LEASE_MS);
      return Number(changes) === 1;
    });
  }

  /** Ends a claim: `delivered` and `dropped` take it out of the outbox; `released` lets anyone retry it. */
  settle(namespace: string, n: AlertNotification, outcome: DeliveryOutcome): void {
    const nowMs = this.now();
    this.transaction(() => {
      const where = 'WHERE namespace = ? AND key = ? AND at_ms = ? AND claimed_by = ?';
      if (outcome === 'delivered') this.statement(`UPDATE notifications SET delivered_at_ms = ? ${where}`).run(nowMs, namespace, n.key, n.atMs, this.owner);
      else if (outcome === 'dropped') this.statement(`UPDATE notifications SET dropped_at_ms = ? ${where}`).run(nowMs, namespace, n.key, n.atMs, this.owner);
      else this.statement(`UPDATE notifications SET claimed_by = NULL, claimed_at_ms = NULL ${where}`).run(namespace, n.key, n.atMs, this.owner);
    });
  }

  /** Every decision of `namespace` (delivered or not), oldest first: history and tests. */
  decisions(namespace: string): Array<AlertNotification & { readonly decidedBy: string; readonly deliveredAtMs: number | null }> {
    const rows = this.statement('SELECT * FROM notifications WHERE namespace = ? ORDER BY at_ms, key').all(namespace) as unknown as Array<
      NotificationRow & { decided_by: string; delivered_at_ms: number | null }
    >;
    return rows.map((row) => ({
      key: row.key,
      workspaceId: row.workspace_id,
      rule: row.rule,
      severity: row.severity,
      title: row.title,
      body: row.body,
      atMs: row.at_ms,
      decidedBy: row.decided_by,
      deliveredAtMs: row.delivered_at_ms,
    }));
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
        const exists = this.statement('SELECT 1 FROM connections WHERE namespace = ? AND key = ?').get(namespace, key);
        if (exists) continue;
        const provider = entry.current?.report.provider ?? entry.previous?.report.provider ?? options.providers?.[key];
        if (provider === undefined) continue;
        this.writeConnection(namespace, key, {
          provider,
          fingerprint: entry.fingerprint,
          ...(entry.current ? { current: entry.current } : {}),
          ...(entry.previous ? { previous: entry.previous } : {}),
          ...(entry.failingSinceMs === undefined ? {} : { failingSinceMs: entry.failingSinceMs }),
        });
        count += 1;
      }
      const hasAlerts = this.statement('SELECT 1 FROM alert_entries WHERE namespace = ? LIMIT 1').get(namespace) !== undefined;
      if (options.withAlerts && !hasAlerts && data.alerts !== null) {
        const parsed = parseAlertState(data.alerts);
        this.replaceAlertState(namespace, parsed.state);
        for (const notification of data.outbox) this.insertNotification(namespace, notification);
        count += 1;
      }
      this.statement('INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)').run(`imported:${namespace}:${basename(file)}`, String(this.now()));
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
      this.statement('DELETE FROM buckets WHERE start_ms < ?').run(cutoff);
      this.statement('DELETE FROM notifications WHERE at_ms < ? AND (delivered_at_ms IS NOT NULL OR dropped_at_ms IS NOT NULL)').run(cutoff);
    });
  }
}

/** Applies the migrations the file lacks, in one write transaction (two processes opening a new file migrate it once). */
export function migrate(db: DatabaseSync): void {
  const version = (): number => (db.prepare('PRAGMA user_version').get() as { user_version: number }).user_version;
  if (version() === SCHEMA_VERSION) return;
  db.exec('BEGIN IMMEDIATE');
  try {
    const from = version();
    if (from > SCHEMA_VERSION) {
      throw new Error(`The spend database has schema version ${from}, newer than this Burnrate's ${SCHEMA_VERSION}: update Burnrate or move the file away.`);
    }
    for (const migration of MIGRATIONS) {
      if (migration.version <= from) continue;
      db.exec(migration.sql);
      db.exec(`PRAGMA user_version = ${migration.version}`);
    }
    db.exec('COMMIT');
  } catch (error) {
    if (db.isTransaction) db.exec('ROLLBACK');
    throw error;
  }
}

function isNotADatabase(error: unknown): boolean {
  const code = (error as { errcode?: number }).errcode;
  // SQLITE_NOTADB (26) and SQLITE_CORRUPT (11).
  return code === 26 || code === 11 || /file is not a database|malformed/i.test((error as Error).message ?? '');
}
