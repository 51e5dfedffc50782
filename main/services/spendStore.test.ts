import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { emptyAlertState, evaluateAlerts, type AlertNotification, type AlertState } from '../core/alerts';
import { MemoryLogger, tempFolder } from '../../test/replay/support';
import { crossingObservation } from '../../test/support/alertObservation';
import { parseConfig } from './config';
import { SnapshotStore } from './snapshotStore';
import { SpendDb, SPEND_DB_FILE } from './spendDb';
import { openSpendStore, statusDocumentKey } from './spendStore';
import type { StatusDocument } from '../../preload/api';

const NOW_MS = Date.UTC(2026, 2, 10, 12);
const rawConfig = {
  workspaces: [
    { id: 'lab', connections: [{ id: 'bt', provider: 'baseten', apiKey: 'k1' }] },
    { id: 'ops', connections: [{ id: 't1', provider: 'tensorone', apiKey: 'k2' }] },
  ],
};
const config = parseConfig(rawConfig, 'test');
const onlyLab = { ...config, workspaces: config.workspaces.filter((w) => w.workspace.id === 'lab') };


let folder: ReturnType<typeof tempFolder>;
const dbs: SpendDb[] = [];
beforeEach(() => (folder = tempFolder('burnrate-store')));
afterEach(() => {
  for (const db of dbs.splice(0)) db.close();
  folder.remove();
});
const open = (cfg = config, legacyFiles: Array<{ file: string; withAlerts: boolean }> = []) => {
  const db = SpendDb.open(join(folder.dir, SPEND_DB_FILE), { logger: new MemoryLogger(), now: () => NOW_MS });
  dbs.push(db);
  return openSpendStore({ db, namespace: 'ns', config: cfg, logger: new MemoryLogger(), legacyFiles, now: () => NOW_MS });
};

describe('SpendStore', () => {
  it('a status run saving beside a watcher neither loses nor repeats the watcher’s decision', () => {
    const watch = open();
    const status = open(); // started before the watcher decided: it loaded the old state
    watch.load();
    const statusData = status.load();
    expect(watch.decide('lab', (state) => evaluateAlerts(state, crossingObservation(NOW_MS))).notifications).toEqual([]);
    const decided = watch.decide('lab', (state) => evaluateAlerts(state, crossingObservation(NOW_MS + 60_000)));
    expect(decided.notifications).toHaveLength(1);
    // status saves what it had (it decides nothing): the watcher's decision and outbox stay.
    status.save(statusData);
    const after = open().load();
    expect(after.alerts).toEqual(decided.state);
    expect(after.outbox).toEqual(decided.notifications);
    // The watcher shows it: delivered, out of the outbox, not decided again.
    const [notification] = decided.notifications as [AlertNotification];
    expect(watch.claim(notification)).toBe('claimed');
    watch.settle(notification, 'delivered');
    expect(open().load().outbox).toEqual([]);
    expect(watch.decide('lab', (state) => evaluateAlerts(state, crossingObservation(NOW_MS + 120_000))).notifications).toEqual([]);
  });

  it('two engines deciding the same crossing decide it once, and one of them shows it', () => {
    const a = open();
    const b = open();
    const decisions: AlertNotification[] = [];
    for (let round = 0; round < 3; round += 1) {
      for (const store of [a, b]) decisions.push(...store.decide('lab', (state) => evaluateAlerts(state, crossingObservation(NOW_MS + round * 60_000))).notifications);
    }
    expect(decisions.map((n) => n.key)).toEqual(['lab|threshold:50|month:2026-03']);
    const [notification] = decisions as [AlertNotification];
    // Both hold it after a restart; only the claim's owner shows it, the other forgets it once shown.
    expect(a.claim(notification)).toBe('claimed');
    expect(b.claim(notification)).toBe('busy');
    a.settle(notification, 'released');
    expect(b.claim(notification)).toBe('claimed');
    b.settle(notification, 'delivered');
    expect(a.claim(notification)).toBe('settled');
  });

  it('a run over one workspace leaves the other workspaces’ alert state alone', () => {
    const all = open();
    const { state } = all.decide('ops', (stored) => evaluateAlerts(stored, { ...crossingObservation(NOW_MS), workspaceId: 'ops' }));
    expect(Object.keys(state.entries)).not.toHaveLength(0);
    const lab = open(onlyLab);
    const data = lab.load();
    expect(data.alerts).toEqual(emptyAlertState());
    lab.save(data);
    lab.decide('lab', (stored) => evaluateAlerts(stored, crossingObservation(NOW_MS)));
    const after = open().load().alerts as AlertState;
    for (const [key, entry] of Object.entries(state.entries)) expect(after.entries[key]).toEqual(entry);
  });

  it('keeps the latest status document per config; an edited config or a damaged row gives none', () => {
    const document: StatusDocument = { generatedAt: new Date(NOW_MS).toISOString(), workspaces: [] };
    expect(open().storedStatus()).toBeNull();
    open().saveStatus(document);
    expect(open().storedStatus()).toEqual(document);
    open().saveStatus({ ...document, generatedAt: new Date(NOW_MS + 1).toISOString() });
    expect(open().storedStatus()?.generatedAt).toBe(new Date(NOW_MS + 1).toISOString());
    // Another config under the same namespace (a workspace removed, a budget set) does not get it.
    expect(open(onlyLab).storedStatus()).toBeNull();
    const budgeted = { ...config, workspaces: config.workspaces.map((w) => ({ ...w, workspace: { ...w.workspace, budget: null, name: 'Renamed' } })) };
    expect(open(budgeted).storedStatus()).toBeNull();
    expect(statusDocumentKey(config)).toBe(statusDocumentKey(parseConfig(JSON.parse(JSON.stringify(rawConfig)), 'test')));
    // Keys are not part of what the document depends on (and never go into the key).
    const otherKeys = parseConfig({ workspaces: rawConfig.workspaces.map((w) => ({ ...w, connections: w.connections.map((c) => ({ ...c, apiKey: `${c.apiKey}-new` })) })) }, 'test');
    expect(statusDocumentKey(otherKeys)).toBe(statusDocumentKey(config));
    // Not JSON, or not a status document: none.
    const db = dbs[dbs.length - 1]!;
    db.saveStatusDocument('ns', statusDocumentKey(config), NOW_MS, '{"generatedAt":');
    expect(open().storedStatus()).toBeNull();
    db.saveStatusDocument('ns', statusDocumentKey(config), NOW_MS, '{"workspaces":"none"}');
    expect(open().storedStatus()).toBeNull();
  });

  it('imports the JSON snapshot file of earlier versions once', () => {
    const json = join(folder.dir, 'snapshots-x.json');
    const outbox: AlertNotification[] = [{ key: 'lab|spike|hour:1', workspaceId: 'lab', rule: 'spike', severity: 'warning', title: 't', body: 'b', atMs: NOW_MS }];
    new SnapshotStore(json, new MemoryLogger()).save({ version: 1, connections: { 'lab/bt': { fingerprint: 'f', failingSinceMs: 3 } }, alerts: emptyAlertState(), outbox });
    const data = open(config, [{ file: json, withAlerts: true }]).load();
    expect(data.connections).toEqual({ 'lab/bt': { fingerprint: 'f', failingSinceMs: 3 } });
    expect(data.outbox).toEqual(outbox);
  });
});
