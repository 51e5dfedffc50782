/**
 * The versioned schema of the spend database (main/services/spendDb.ts). `PRAGMA user_version`
 * holds the number of migrations applied; {@link MIGRATIONS} lists them in order and is never
 * edited once shipped: a change of shape is a new entry. Every migration is tested from every
 * earlier version (spendDbSchema.test.ts), with data in the tables.
 */
import type { DatabaseSync } from 'node:sqlite';

/** One schema step. `sql` runs inside the migration transaction. */
export interface Migration {
  /** The `user_version` after this step (1, 2, …). */
  readonly version: number;
  readonly description: string;
  readonly sql: string;
}

/**
 * Ordered migrations. Keys:
 * - `connections`: one row per (namespace, `<workspace>/<connection>`); `namespace` separates
 *   config files sharing a state folder (the CLI: a hash of the config path; the app: `desktop`).
 * - `fetches`: fetch metadata: what was fetched (range, slot), when, the period key, and the
 *   report's non-bucket facts (resources without series, extras, notes) as JSON.
 * - `buckets`: cost history at the provider's finest granularity, per connection, budget period
 *   and resource (`resource_id = ''` is the connection total). A bucket straddling two periods (a
 *   provider's UTC day in a local-time period) belongs to each, hence the period in the key.
 *   A newer fetch replaces the buckets it changed (revisions), and removes the ones it dropped.
 * - `alert_entries`: the alert state, one row per alert key (see main/core/alerts.ts).
 * - `notifications`: every alert decision; undelivered ones are the outbox. The primary key makes a
 *   decision once-only across processes, the `claimed_*` columns make its delivery once-only.
 * - `status_documents` (version 2): the latest status document made for each namespace, and the
 *   key of the configuration it was made from: what `serve` shows at once when it starts, before
 *   its engine has read the buckets (README "Instant start").
 */
export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    description: 'connections, fetch metadata, buckets, alert state, notifications (decisions + outbox)',
    sql: `
CREATE TABLE meta (
  key TEXT PRIMARY KEY,
  value TEXT NOT NULL
) STRICT;
CREATE TABLE connections (
  id INTEGER PRIMARY KEY,
  namespace TEXT NOT NULL,
  key TEXT NOT NULL,
  provider TEXT NOT NULL,
  fingerprint TEXT NOT NULL,
  failing_since_ms INTEGER,
  UNIQUE (namespace, key)
) STRICT;
CREATE TABLE fetches (
  connection_id INTEGER NOT NULL REFERENCES connections (id) ON DELETE CASCADE,
  slot TEXT NOT NULL CHECK (slot IN ('current', 'previous')),
  period_key TEXT NOT NULL,
  range_start_ms INTEGER NOT NULL,
  range_end_ms INTEGER NOT NULL,
  fetched_at_ms INTEGER NOT NULL,
  unit TEXT NOT NULL CHECK (unit IN ('usd', 'credits')),
  total_micros INTEGER NOT NULL,
  granularity_ms INTEGER NOT NULL,
  data_through_ms INTEGER,
  header TEXT NOT NULL,
  PRIMARY KEY (connection_id, slot)
) STRICT;
CREATE TABLE buckets (
  connection_id INTEGER NOT NULL REFERENCES connections (id) ON DELETE CASCADE,
  period_key TEXT NOT NULL,
  resource_id TEXT NOT NULL,
  start_ms INTEGER NOT NULL,
  duration_ms INTEGER NOT NULL,
  cost_micros INTEGER NOT NULL,
  requests INTEGER,
  input_tokens INTEGER,
  output_tokens INTEGER,
  fetched_at_ms INTEGER NOT NULL,
  PRIMARY KEY (connection_id, period_key, resource_id, start_ms)
) STRICT, WITHOUT ROWID;
CREATE INDEX buckets_by_start ON buckets (start_ms);
CREATE TABLE alert_entries (
  namespace TEXT NOT NULL,
  key TEXT NOT NULL,
  workspace_id TEXT NOT NULL,
  entry TEXT NOT NULL,
  PRIMARY KEY (namespace, key)
) STRICT;
CREATE INDEX alert_entries_by_workspace ON alert_entries (namespace, workspace_id);
CREATE TABLE notifications (
  namespace TEXT NOT NULL,
  key TEXT NOT NULL,
  at_ms INTEGER NOT NULL,
  workspace_id TEXT NOT NULL,
  rule TEXT NOT NULL,
  severity TEXT NOT NULL,
  title TEXT NOT NULL,
  body TEXT NOT NULL,
  decided_by TEXT NOT NULL,
  claimed_by TEXT,
  claimed_at_ms INTEGER,
  delivered_at_ms INTEGER,
  dropped_at_ms INTEGER,
  PRIMARY KEY (namespace, key, at_ms)
) STRICT;
CREATE INDEX notifications_outbox ON notifications (namespace, delivered_at_ms, dropped_at_ms);
`,
  },
  {
    version: 2,
    description: 'the latest status document per namespace (instant start of serve)',
    sql: `
CREATE TABLE status_documents (
  namespace TEXT PRIMARY KEY,
  config_key TEXT NOT NULL,
  made_ms INTEGER NOT NULL,
  document TEXT NOT NULL
) STRICT;
`,
  },
];

/** The schema version this build writes. */
export const SCHEMA_VERSION = MIGRATIONS[MIGRATIONS.length - 1]!.version;

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
