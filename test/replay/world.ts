/**
 * A test world for the Runtime: one fake clock (also the runtime's timers), the real HTTP client
 * against loopback fakes started with that clock, the real spend database in a temp folder (the
 * product's store), a recording notifier and a memory logger. `runtime()` builds a Runtime over
 * the same database file each time, through a new connection as a restarted process would (a
 * restart); `close()` stops everything it started.
 */
import type { AlertNotification } from '../../main/core/alerts';
import { createHttpClient, type HttpClient } from '../../main/providers/http';
import { parseConfig, type BurnrateConfig } from '../../main/services/config';
import { Runtime, type RuntimeOptions } from '../../main/services/runtime';
import { SnapshotStore } from '../../main/services/snapshotStore';
import { SpendDb, SPEND_DB_FILE } from '../../main/services/spendDb';
import { openSpendStore } from '../../main/services/spendStore';
import type { ScenarioResource } from '../../main/providers/fake/scenario';
import { FakeTime, MemoryLogger, RecordingNotifier, runUntil, tempFolder } from './support';

export const HOUR_MS = 3_600_000;
export const MINUTE_MS = 60_000;
export const DAY_MS = 86_400_000;

/** A notification as onNotification reported it. */
export interface Reported {
  readonly notification: AlertNotification;
  readonly delivered: boolean;
}

/** Options of {@link createWorld}. */
export interface WorldOptions {
  /** Wall-clock start of the fake clock (epoch ms). */
  readonly startMs: number;
}

/** See the module comment. */
export class World {
  readonly time: FakeTime;
  readonly notifier = new RecordingNotifier();
  readonly logger = new MemoryLogger();
  readonly http: HttpClient = createHttpClient({ timeoutMs: 10_000 });
  readonly reported: Reported[] = [];
  readonly folder = tempFolder('burnrate-runtime');
  /** The JSON snapshot file of {@link jsonStore} (earlier versions' store). */
  readonly storeFile: string;
  /** The spend database file every runtime of this world uses. */
  readonly dbFile: string;
  /** Namespace of the world's runtimes in the spend database. */
  readonly namespace = 'world';
  /** The database connection of the current runtime. */
  db: SpendDb | undefined;
  private readonly dbs: SpendDb[] = [];
  private readonly runtimes: Runtime[] = [];
  private readonly stoppers: Array<() => Promise<void>> = [];
  current: Runtime | undefined;

  constructor(options: WorldOptions) {
    this.time = new FakeTime(options.startMs);
    this.storeFile = `${this.folder.dir}/snapshot.json`;
    this.dbFile = `${this.folder.dir}/${SPEND_DB_FILE}`;
  }

  /** A store over the JSON snapshot file (the store of earlier versions), for `runtime(config, { store })`. */
  jsonStore(): SnapshotStore {
    return new SnapshotStore(this.storeFile, this.logger, this.time.now);
  }

  /** Keys of the notifications decided and not yet delivered nor dropped, in the database. */
  outboxKeys(): string[] {
    const db = SpendDb.open(this.dbFile, { logger: this.logger, now: this.time.now });
    try {
      return db.outbox(this.namespace).map((n) => n.key);
    } finally {
      db.close();
    }
  }

  /** Registers something to stop in `close()` (a fake). Returns it. */
  track<T extends { stop(): Promise<void> }>(fake: T): T {
    this.stoppers.push(() => fake.stop());
    return fake;
  }

  /** A new Runtime over the same spend database, on a new connection (a start or a restart). */
  runtime(config: BurnrateConfig, options: Partial<RuntimeOptions> = {}): Runtime {
    const db = SpendDb.open(this.dbFile, { logger: this.logger, now: this.time.now });
    this.dbs.push(db);
    this.db = db;
    const runtime = new Runtime({
      config,
      http: this.http,
      clock: this.time,
      timers: this.time,
      logger: this.logger,
      random: () => 0.5,
      store: openSpendStore({ db, namespace: this.namespace, config, logger: this.logger, now: this.time.now }),
      notifier: this.notifier,
      onNotification: (notification, delivered) => this.reported.push({ notification, delivered }),
      ...options,
    });
    this.runtimes.push(runtime);
    this.current = runtime;
    return runtime;
  }

  /** Runs the current runtime's own schedule up to `targetMs`. */
  async runUntil(targetMs: number, onTick?: (nowMs: number) => void): Promise<void> {
    if (!this.current) throw new Error('no runtime');
    await runUntil(this.time, targetMs, this.current, onTick);
  }

  /** Runs for `ms` from now. */
  async runFor(ms: number, onTick?: (nowMs: number) => void): Promise<void> {
    await this.runUntil(this.time.now() + ms, onTick);
  }

  /** Stops the current runtime cleanly and forgets its timers. */
  async stopCurrent(): Promise<void> {
    await this.current?.stop();
    this.time.dropAll();
  }

  /** Notifications decided and shown, as `rule subject scope` strings (subject and scope from the key). */
  shownKeys(): string[] {
    return this.reported.filter((r) => r.delivered).map((r) => alertId(r.notification));
  }

  async close(): Promise<void> {
    for (const runtime of this.runtimes) {
      // A "crashed" runtime may hang on its notifier; stop() does not wait for notifications.
      await runtime.stop();
    }
    this.time.dropAll();
    for (const db of this.dbs) db.close();
    await this.http.close();
    await Promise.all(this.stoppers.map((stop) => stop()));
    this.folder.remove();
  }
}

/** `rule|subject|scope` of a notification, from its state key `<workspace>|<subject>|<scope>`. */
export function alertId(notification: AlertNotification): string {
  const [workspace, subject, scope] = notification.key.split('|');
  return `${workspace} ${subject} ${scope}`;
}

/** Parses a config object like the file (keys inline). */
export function config(raw: Record<string, unknown>): BurnrateConfig {
  return parseConfig(raw, '/nonexistent/burnrate-test.json', {});
}

/** A TensorOne scenario resource (meta.resourceType is required by the fake). */
export function tensorOneResource(
  id: string,
  resourceType: 'clusters' | 'endpoints' | 'training' | 'ai-services' | 'storage' | 'bandwidth',
  hourlyUsd: number,
  extra: Partial<ScenarioResource> = {},
): ScenarioResource {
  return { id, name: id, hourlyMicros: Math.round(hourlyUsd * 1e6), requestsPerHour: 0, shape: 'flat', meta: { resourceType, region: 'us-east-1' }, ...extra };
}

/** A Limitry scenario resource (a model). */
export function limitryModel(id: string, hourlyUsd: number, extra: Partial<ScenarioResource> = {}): ScenarioResource {
  return {
    id,
    name: id,
    hourlyMicros: Math.round(hourlyUsd * 1e6),
    requestsPerHour: 100,
    shape: 'flat',
    meta: { model: id, provider: 'openai', eventType: 'model_call', customerId: 'cus_test' },
    ...extra,
  };
}

/** A Baseten dedicated deployment (daily series with request counts: the idle rule can see it). */
export function basetenDeployment(id: string, name: string, hourlyUsd: number, requestsPerHour: number, extra: Partial<ScenarioResource> = {}): ScenarioResource {
  return {
    id,
    name,
    hourlyMicros: Math.round(hourlyUsd * 1e6),
    requestsPerHour,
    shape: 'flat',
    meta: { section: 'dedicated', kind: 'MODEL_DEPLOYMENT', is_deleted: false, instance_type: 'H100:1x', model_name: name, environment_name: 'production' },
    ...extra,
  };
}
