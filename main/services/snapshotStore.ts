/**
 * The snapshot store: the last good report of every connection, the alert state and the
 * notification outbox survive restarts, so the tray shows last-known spend at once (cache first,
 * then revalidate) and no alert is repeated or lost.
 *
 * Writes are atomic (temp file + fsync + rename). A corrupt or unreadable file is set aside as
 * `<file>.corrupt-<time>` with a clear log line; the app starts empty instead of crashing.
 */
import { closeSync, existsSync, fchmodSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, rmSync, writeSync } from 'node:fs';
import { basename, dirname } from 'node:path';
import { z } from 'zod';
import type { AlertNotification } from '../core/alerts';
import type { UsageReport } from '../core/report';
import { PROVIDER_IDS } from '../providers/registry';
import { describeJsonError } from './config';
import type { Logger } from './ports';
import { PRIVATE_DIR_MODE, PRIVATE_FILE_MODE, securePrivateDir } from './privateFile';

const bucketSchema = z.object({ startMs: z.number(), durationMs: z.number().positive(), costMicros: z.number().int() });

const reportSchema = z.object({
  provider: z.enum(PROVIDER_IDS),
  range: z.object({ startMs: z.number(), endMs: z.number() }),
  unit: z.enum(['usd', 'credits']),
  totalMicros: z.number().int(),
  granularityMs: z.number().positive(),
  buckets: z.array(bucketSchema),
  resources: z.array(
    z.looseObject({
      id: z.string(),
      name: z.string(),
      kind: z.enum(['deployment', 'model', 'cluster', 'training_job', 'plan_type', 'service', 'other']),
      costMicros: z.number().int(),
      activity: z.looseObject({}),
      dedicated: z.boolean(),
      series: z.array(bucketSchema.extend({ requests: z.number().optional() })).optional(),
    }),
  ),
  dataThroughMs: z.number().nullable(),
  extras: z.looseObject({}),
  notes: z.array(z.string()),
});

const storedReportSchema = z.object({
  periodKey: z.string(),
  fetchedAtMs: z.number(),
  report: reportSchema,
});

const notificationSchema = z.object({
  key: z.string(),
  workspaceId: z.string(),
  rule: z.enum(['threshold', 'forecast', 'spike', 'idle', 'connection']),
  severity: z.enum(['info', 'warning', 'critical']),
  title: z.string(),
  body: z.string(),
  atMs: z.number(),
});

const fileSchema = z.object({
  version: z.literal(1),
  connections: z.record(
    z.string(),
    z.object({
      fingerprint: z.string(),
      current: storedReportSchema.optional(),
      previous: storedReportSchema.optional(),
      failingSinceMs: z.number().optional(),
    }),
  ),
  alerts: z.unknown(),
  outbox: z.array(notificationSchema).default([]),
});

/** A report as stored, with the period it belongs to and when it was fetched. */
export interface StoredReport {
  readonly periodKey: string;
  readonly fetchedAtMs: number;
  readonly report: UsageReport;
}

/** Everything the store keeps. */
export interface SnapshotData {
  readonly version: 1;
  /**
   * Keyed by `<workspaceId>/<connectionId>`: the last good report of the current and the previous
   * period, and since when the connection has been failing (absent while it works).
   */
  readonly connections: Readonly<
    Record<
      string,
      {
        readonly fingerprint: string;
        readonly current?: StoredReport;
        readonly previous?: StoredReport;
        readonly failingSinceMs?: number;
      }
    >
  >;
  /** The alert state (validated by the alert module's own parser). */
  readonly alerts: unknown;
  /** Notifications decided but not yet confirmed shown (sent again after a crash). */
  readonly outbox: readonly AlertNotification[];
}

/** An empty store. */
export function emptySnapshotData(): SnapshotData {
  return { version: 1, connections: {}, alerts: null, outbox: [] };
}

/** File-backed snapshot store. */
export class SnapshotStore {
  private readonly reportCache = new WeakMap<StoredReport, string>();

  constructor(
    readonly file: string,
    private readonly logger: Logger,
    private readonly now: () => number = Date.now,
  ) {}

  /**
   * Reads the store (at start). First makes its folder private (0700, this store's files 0600,
   * repaired with a warning) and removes temp files a crash left behind. Missing file → empty.
   * Corrupt file → set aside, logged, empty. Never throws.
   */
  load(): SnapshotData {
    const name = basename(this.file);
    securePrivateDir(dirname(this.file), this.logger, { owns: (entry) => entry === name || entry.startsWith(`${name}.`) });
    if (!existsSync(this.file)) return emptySnapshotData();
    let text: string;
    try {
      text = readFileSync(this.file, 'utf8');
    } catch (error) {
      this.logger.warn(`Could not read the snapshot file ${this.file}; starting without cached data.`, {
        code: (error as NodeJS.ErrnoException).code,
      });
      return emptySnapshotData();
    }
    let problem: string;
    try {
      const parsed = fileSchema.safeParse(JSON.parse(text));
      if (parsed.success) return parsed.data as SnapshotData;
      const issue = parsed.error.issues[0];
      problem = `unexpected content at ${issue ? issue.path.join('.') || '(root)' : '(root)'}`;
    } catch (error) {
      // By line and column only: V8's message quotes the file's text.
      problem = describeJsonError(text, (error as Error).message);
    }
    const aside = `${this.file}.corrupt-${new Date(this.now()).toISOString().replace(/[:.]/g, '-')}`;
    try {
      renameSync(this.file, aside);
      this.logger.warn(`The snapshot file was corrupt (${problem}); moved it to ${aside} and started without cached data.`);
    } catch (error) {
      this.logger.error(`The snapshot file is corrupt (${problem}) and could not be moved aside; it will be overwritten.`, {
        code: (error as NodeJS.ErrnoException).code,
      });
    }
    return emptySnapshotData();
  }

  /**
   * Writes the store atomically (temp file in the same folder, fsync, rename): a crash leaves either
   * the old or the new file, never half of one. Throws the file system's error (ENOSPC, EACCES…)
   * after removing its temp file; the previous file is then untouched. A StoredReport must not be
   * changed after it was saved (its JSON is cached by identity).
   */
  save(data: SnapshotData): void {
    const bytes = Buffer.from(this.serialize(data), 'utf8');
    mkdirSync(dirname(this.file), { recursive: true, mode: PRIVATE_DIR_MODE });
    const temp = `${this.file}.${process.pid}.tmp`;
    try {
      const fd = openSync(temp, 'w', PRIVATE_FILE_MODE);
      try {
        // A temp file that already existed keeps its mode through open(): set it.
        if (process.platform !== 'win32') fchmodSync(fd, PRIVATE_FILE_MODE);
        for (let offset = 0; offset < bytes.length; ) offset += writeSync(fd, bytes, offset, bytes.length - offset);
        fsyncSync(fd);
      } finally {
        closeSync(fd);
      }
      renameSync(temp, this.file);
    } catch (error) {
      rmSync(temp, { force: true });
      throw error;
    }
  }

  /**
   * The file's JSON. Stored reports never change once fetched (a refresh makes a new object), so
   * each is stringified once and reused by later saves: a save costs about one new report.
   */
  private serialize(data: SnapshotData): string {
    const connections = Object.entries(data.connections).map(([key, entry]) => {
      const parts = [`"fingerprint":${JSON.stringify(entry.fingerprint)}`];
      if (entry.current) parts.push(`"current":${this.reportJson(entry.current)}`);
      if (entry.previous) parts.push(`"previous":${this.reportJson(entry.previous)}`);
      if (entry.failingSinceMs !== undefined) parts.push(`"failingSinceMs":${JSON.stringify(entry.failingSinceMs)}`);
      return `${JSON.stringify(key)}:{${parts.join(',')}}`;
    });
    return `{"version":${data.version},"connections":{${connections.join(',')}},"alerts":${JSON.stringify(data.alerts ?? null)},"outbox":${JSON.stringify(data.outbox)}}`;
  }

  private reportJson(report: StoredReport): string {
    let json = this.reportCache.get(report);
    if (json === undefined) {
      json = JSON.stringify(report);
      this.reportCache.set(report, json);
    }
    return json;
  }
}
