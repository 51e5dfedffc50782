import { DatabaseSync } from 'node:sqlite';
import { describe, expect, it } from 'vitest';
import { migrate, MIGRATIONS, SCHEMA_VERSION } from './spendDbSchema';

/** A database with the first `count` migrations applied, as an older Burnrate left it. */
function databaseAt(count: number): DatabaseSync {
  const db = new DatabaseSync(':memory:');
  for (const migration of MIGRATIONS.slice(0, count)) {
    db.exec(migration.sql);
    db.exec(`PRAGMA user_version = ${migration.version}`);
  }
  return db;
}

const tables = (db: DatabaseSync): string[] =>
  (db.prepare("SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY name").all() as Array<{ name: string }>).map((row) => row.name);

describe('spend database migrations', () => {
  it('are numbered 1, 2, 3… without gaps, and the last one is the schema version', () => {
    expect(MIGRATIONS.map((m) => m.version)).toEqual(MIGRATIONS.map((_, i) => i + 1));
    expect(SCHEMA_VERSION).toBe(MIGRATIONS.length);
  });

  it.each(MIGRATIONS.map((m) => [m.version - 1, m.description] as const))('bring a version %i database to the current schema (%s)', (from) => {
    const db = databaseAt(from);
    // Data an older version holds survives the upgrade.
    if (from >= 1) {
      db.exec("INSERT INTO connections (namespace, key, provider, fingerprint) VALUES ('ns', 'lab/bt', 'baseten', 'f')");
      db.exec("INSERT INTO meta (key, value) VALUES ('k', 'v')");
    }
    if (from >= 2) db.exec("INSERT INTO status_documents (namespace, config_key, made_ms, document) VALUES ('ns', 'c', 1, '{}')");
    migrate(db);
    expect((db.prepare('PRAGMA user_version').get() as { user_version: number }).user_version).toBe(SCHEMA_VERSION);
    expect(tables(db)).toEqual(['alert_entries', 'buckets', 'connections', 'fetches', 'meta', 'notifications', 'status_documents']);
    if (from >= 1) expect(db.prepare('SELECT key, fingerprint FROM connections').all()).toEqual([{ key: 'lab/bt', fingerprint: 'f' }]);
    if (from >= 2) expect(db.prepare('SELECT namespace, document FROM status_documents').all()).toEqual([{ namespace: 'ns', document: '{}' }]);
    expect(db.prepare('PRAGMA foreign_key_check').all()).toEqual([]);
    expect(db.prepare('PRAGMA integrity_check').get()).toEqual({ integrity_check: 'ok' });
  });

  it('do nothing on a current database and are atomic on failure', () => {
    const current = databaseAt(MIGRATIONS.length);
    migrate(current);
    expect(tables(current)).toHaveLength(7);
    // A half-applied step must leave the file as it was: the next start tries again.
    const broken = new DatabaseSync(':memory:');
    broken.exec('CREATE TABLE meta (key TEXT)'); // the first migration's CREATE TABLE meta fails
    expect(() => migrate(broken)).toThrow();
    expect((broken.prepare('PRAGMA user_version').get() as { user_version: number }).user_version).toBe(0);
    expect(tables(broken)).toEqual(['meta']);
  });
});
