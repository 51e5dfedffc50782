/**
 * Alert decisions and their delivery in the spend database (main/services/spendDb.ts): the alert
 * state (one row per alert key) and every decided notification, whose undelivered ones are the
 * outbox. A decision reads the workspace's alert state inside its write transaction and inserts its
 * notifications under a unique key, so one crossing is decided once, whichever process sees it; a
 * notification is claimed before it is shown, so two processes never both show it.
 */
import type { StatementSync } from 'node:sqlite';
import { parseAlertState, type AlertEntry, type AlertEvaluation, type AlertNotification, type AlertState } from '../core/alerts';
import type { Logger } from './ports';
import type { SpendDbSession } from './spendDbSession';

/** A claimed notification not settled within this long may be shown by another process (its claimer died). */
export const CLAIM_LEASE_MS = 2 * 60_000;

/** How a delivery attempt ended. */
export type DeliveryOutcome = 'delivered' | 'dropped' | 'released';

interface NotificationRow {
  readonly key: string;
  readonly at_ms: number;
  readonly workspace_id: string;
  readonly rule: AlertNotification['rule'];
  readonly severity: AlertNotification['severity'];
  readonly title: string;
  readonly body: string;
}

/** The alert-state and notification tables of one {@link SpendDbSession}. */
export class AlertTables {
  constructor(
    private readonly session: SpendDbSession,
    /** Identifies this process in claims and decisions. */
    private readonly owner: string,
    private readonly now: () => number,
    private readonly logger: Logger,
  ) {}

  private statement(sql: string): StatementSync {
    return this.session.statement(sql);
  }

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
    return this.session.transaction(() => {
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

  /** Inserts a decided notification (once: false when it is already there). */
  insertNotification(namespace: string, n: AlertNotification): boolean {
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
  replaceAlertState(namespace: string, state: AlertState): void {
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
    return this.session.transaction(() => {
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
    this.session.transaction(() => {
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

  /** Whether `namespace` has any alert state. */
  hasState(namespace: string): boolean {
    return this.statement('SELECT 1 FROM alert_entries WHERE namespace = ? LIMIT 1').get(namespace) !== undefined;
  }
}
