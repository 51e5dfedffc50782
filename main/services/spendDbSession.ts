/**
 * The spend database's file and connection (main/services/spendDb.ts): the file created private,
 * the pragmas that let several processes share it, migration on open, a corrupt file set aside,
 * and one prepared-statement cache with `BEGIN IMMEDIATE` transactions over it. The tables are
 * read and written by spendDbReports.ts and spendDbAlerts.ts through a {@link SpendDbSession}.
 */
import { chmodSync, closeSync, existsSync, mkdirSync, openSync, renameSync, rmSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import { DatabaseSync, type StatementSync } from 'node:sqlite';
import type { Logger } from './ports';
import { PRIVATE_DIR_MODE, PRIVATE_FILE_MODE } from './privateFile';
import { migrate } from './spendDbSchema';

/** Options of opening the spend database. */
export interface SpendDbOptions {
  readonly logger: Logger;
  /** Wall clock (ms) for claims, retention and corrupt-file names; tests pass a fake one. */
  readonly now?: () => number;
  /** How long a write waits for another process's transaction (ms). Default 5000. */
  readonly busyTimeoutMs?: number;
}

/** SQLite's page cache per open file (KiB). */
const PAGE_CACHE_KIB = 256;

/** One open database file: cached statements and transactions. Every method is synchronous and short. */
export class SpendDbSession {
  private readonly statements = new Map<string, StatementSync>();
  /** Memory updates that hold only once the outermost transaction committed. */
  private readonly afterCommit: Array<() => void> = [];
  private closed = false;

  private constructor(private readonly db: DatabaseSync) {}

  /**
   * Opens (creating and migrating as needed) the database at `file`. A file that is not a SQLite
   * database is moved aside and replaced (logged). Throws only when the folder is unusable or the
   * file was written by a newer Burnrate (its schema version is higher than this build's).
   */
  static open(file: string, options: SpendDbOptions): SpendDbSession {
    prepareFile(file);
    try {
      return SpendDbSession.connect(file, options);
    } catch (error) {
      if (!isNotADatabase(error)) throw error;
      const aside = `${file}.corrupt-${new Date((options.now ?? Date.now)()).toISOString().replace(/[:.]/g, '-')}`;
      renameSync(file, aside);
      for (const suffix of ['-wal', '-shm']) rmSync(`${file}${suffix}`, { force: true });
      options.logger.warn(`The spend database was not readable (${(error as Error).message}); moved it to ${aside} and started a new one.`);
      prepareFile(file);
      return SpendDbSession.connect(file, options);
    }
  }

  private static connect(file: string, options: SpendDbOptions): SpendDbSession {
    const raw = new DatabaseSync(file, { timeout: options.busyTimeoutMs ?? 5_000 });
    try {
      raw.exec(`PRAGMA busy_timeout = ${Math.max(0, Math.floor(options.busyTimeoutMs ?? 5_000))}`);
      raw.exec('PRAGMA journal_mode = WAL');
      raw.exec('PRAGMA synchronous = NORMAL');
      // A page cache of 256 KiB instead of SQLite's 2 MB: the cache lives as long as the process (a
      // `watch` or the tray app, for days), and the pages it would hold are in the OS's file cache
      // anyway. `burnrate watch` 3 × 5 heavy peaked at 120.1 MB (median of 10) against 122.6 MB.
      raw.exec(`PRAGMA cache_size = -${PAGE_CACHE_KIB}`);
      raw.exec('PRAGMA foreign_keys = ON');
      migrate(raw);
    } catch (error) {
      raw.close();
      throw error;
    }
    return new SpendDbSession(raw);
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

  /** The prepared statement of `sql`, prepared once per session. */
  statement(sql: string): StatementSync {
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

  /** Runs `callback` once the outermost transaction running now commits (never, when it rolls back). */
  onCommit(callback: () => void): void {
    this.afterCommit.push(callback);
  }
}

/** Creates `dir` (0700) and `file` (0600) when missing, so SQLite never creates them with the umask. */
function prepareFile(file: string): void {
  mkdirSync(dirname(file), { recursive: true, mode: PRIVATE_DIR_MODE });
  if (!existsSync(file)) closeSync(openSync(file, 'a', PRIVATE_FILE_MODE));
  // The umask may have narrowed the mode, and an older file may be wider: it holds spend history.
  if (process.platform !== 'win32' && (statSync(file).mode & 0o777) !== PRIVATE_FILE_MODE) chmodSync(file, PRIVATE_FILE_MODE);
}

function isNotADatabase(error: unknown): boolean {
  const code = (error as { errcode?: number }).errcode;
  // SQLITE_NOTADB (26) and SQLITE_CORRUPT (11).
  return code === 26 || code === 11 || /file is not a database|malformed/i.test((error as Error).message ?? '');
}
