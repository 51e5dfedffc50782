/**
 * IPC payload fuzzing (issue 10, "IPC payloads: typed rejections"), seeded and deterministic.
 *
 * Every invoke channel the preload exposes is called with arbitrary and adversarial payloads
 * (wrong types, 1 MB strings, deep nesting, `__proto__`/`constructor`/`prototype` keys, NaN and
 * ±Infinity, BigInt, Map, Date, unknown fields, missing fields, wrong argument counts), each
 * structured-cloned as Electron's IPC does, through the REAL handler path: `registerIpc` and
 * `registerSettingsIpc` over the real tray-app service from `createDesktopService` (electron-store
 * files, the key vault, DesktopSettings, the engine polling every provider's loopback fake).
 * Only Electron's own objects are stand-ins: `ipcMain.handle` records the handler, `app` gives
 * temp paths, `safeStorage` reverses bytes, `shell.openPath` records.
 *
 * Each answer must be `{ ok: true, value }` or a typed rejection `{ ok: false, error: { kind,
 * message, field? } }` (kind `bad_request` names the field, `internal` is a handler's error in
 * words); never a throw, never a state change from a rejected payload (settings and key files,
 * the settings view, the selected workspace, folders opened, popover hidden), never a key echoed
 * back in any form or 8-character fragment, never a polluted Object.prototype.
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { INVOKE_CHANNELS, type InvokeChannel } from '../../preload/api';
import { PROVIDER_IDS, providerEntry, type ProviderId } from '../providers/registry';
import type { ProviderFake } from '../providers/types';
import { describeHits, distinctiveKey, scanForSecrets, type SweepSecret } from '../../test/support/secretScanner';

type Handler = (event: unknown, ...args: unknown[]) => Promise<unknown>;
const root = mkdtempSync(join(tmpdir(), 'burnrate-ipc-fuzz-'));
const paths: Record<string, string> = { userData: join(root, 'userData'), logs: join(root, 'logs') };
const handlers = new Map<string, Handler>();
const opened: string[] = [];

vi.mock('electron', () => {
  const app = { getPath: (name: string) => paths[name] ?? join(root, name), getVersion: () => '0.0.0-test' };
  const safeStorage = {
    isEncryptionAvailable: () => true,
    getSelectedStorageBackend: () => 'gnome_libsecret',
    encryptString: (text: string) => Buffer.from(text, 'utf8').reverse(),
    decryptString: (buffer: Buffer) => Buffer.from(buffer).reverse().toString('utf8'),
  };
  const ipcMain = { on: () => undefined, handle: (channel: string, fn: Handler) => handlers.set(channel, fn) };
  const shell = {
    openPath: async (path: string) => {
      opened.push(path);
      return '';
    },
  };
  return { app, safeStorage, ipcMain, shell, default: { app, safeStorage, ipcMain, shell } };
});

const { createDesktopService } = await import('./desktopService');
const { registerIpc, registerSettingsIpc } = await import('./ipc');

const SEED = 20261126;
const mainFrame = { id: 'main-frame' };
const popover = { mainFrame } as unknown as Electron.WebContents;
const fromPopover = { sender: popover, senderFrame: mainFrame };
let hidden = 0;
const secrets: SweepSecret[] = [];
const fakes: ProviderFake[] = [];
let parts: Awaited<ReturnType<typeof createDesktopService>>;
let civisConnection: Record<string, unknown>;

/** The settings of a connection to `id`'s fake (as the config file and the form carry them). */
function fakeSettings(id: ProviderId, fake: ProviderFake): Record<string, unknown> {
  const entry = providerEntry(id);
  return { baseUrl: fake.baseUrl, ...entry.fake.settings, ...entry.demo.settings };
}

beforeAll(async () => {
  const nowMs = Date.now();
  for (const id of PROVIDER_IDS) {
    // Seeded: the same keys every run.
    const key = distinctiveKey(`${id.slice(0, 3)}Ipc`, createHash('sha512').update(`ipc fuzz ${id}`).digest());
    secrets.push({ label: id, value: key });
    fakes.push(await providerEntry(id).fake.start({ apiKey: key, now: () => nowMs, lagMs: providerEntry(id).fake.lagMs }));
  }
  // First start imports this CLI config: every key goes into the vault.
  const connections = PROVIDER_IDS.map((id, i) => ({ id, provider: id, apiKey: secrets[i]!.value, ...fakeSettings(id, fakes[i]!) }));
  const configFile = join(root, 'config.json');
  writeFileSync(configFile, JSON.stringify({ workspaces: [{ id: 'research', name: 'Research', timeZone: 'UTC', budget: { amountUsd: 2000 }, connections }] }), { mode: 0o600 });
  process.env.BURNRATE_CONFIG = configFile;
  parts = await createDesktopService({ mainDir: join(root, 'out', 'main') });
  registerIpc(parts.service, () => popover, { hidePopover: () => (hidden += 1) });
  registerSettingsIpc(parts.settings, parts.openFolder, () => popover);
  const civisSettings = fakeSettings('civis', fakes[PROVIDER_IDS.indexOf('civis')]!);
  civisConnection = { workspaceId: 'research', id: 'civis', provider: 'civis', name: 'Civis', settings: civisSettings, apiKey: null, apiKeyEnv: null, allowObfuscatedKey: false };
});

afterAll(async () => {
  await parts?.service.stop();
  await Promise.all(fakes.map((fake) => fake.stop()));
  delete process.env.BURNRATE_CONFIG;
  rmSync(root, { recursive: true, force: true });
});

/** A valid payload of every channel, as rich as the contract allows (every optional field set). */
function validPayloads(): Record<InvokeChannel, unknown> {
  return {
    'burnrate:get-snapshot': null,
    'burnrate:refresh-now': null,
    'burnrate:select-workspace': { workspaceId: 'research' },
    'burnrate:set-popover-open': { open: true },
    'burnrate:hide-popover': null,
    'burnrate:get-settings': null,
    'burnrate:save-workspace': {
      workspace: {
        id: 'research',
        name: 'Research',
        timeZone: 'UTC',
        budget: { amountUsd: 2000, period: 'month', cycleStartDay: 1, thresholdsPercent: [50, 80, 100] },
        period: 'month',
        forecastAlerts: true,
      },
    },
    'burnrate:remove-workspace': { workspaceId: 'research' },
    'burnrate:reorder-workspaces': { workspaceIds: ['research'] },
    'burnrate:save-connection': { connection: structuredClone(civisConnection) },
    'burnrate:remove-connection': { workspaceId: 'research', connectionId: 'civis' },
    'burnrate:test-connection': { connection: structuredClone(civisConnection) },
    'burnrate:save-preferences': {
      preferences: {
        refreshIntervalSeconds: 300,
        trayTitleFormat: 'spend',
        notifications: { rules: { threshold: true, forecast: false }, quietHours: { enabled: true, start: '22:00', end: '07:00' } },
        launchAtLogin: false,
        shortcuts: { togglePopover: 'CommandOrControl+Alt+B', workspacePrefix: 'CommandOrControl+Alt' },
      },
    },
    'burnrate:pause-notifications': { pause: 'hour' },
    'burnrate:choose-demo': { demo: false },
    'burnrate:import-config': { file: join(root, 'config.json'), allowObfuscatedKeys: false },
    'burnrate:export-config': { file: join(root, 'export.json'), overwrite: true },
    'burnrate:open-folder': { folder: 'logs' },
  };
}

const CHANNELS = Object.values(INVOKE_CHANNELS);
const HUGE = 'x'.repeat(1 << 20);

/** Nested arrays or objects `depth` levels deep (built iteratively: the test must not overflow itself). */
function deep(depth: number, kind: 'array' | 'object'): unknown {
  let value: unknown = 1;
  for (let i = 0; i < depth; i += 1) value = kind === 'array' ? [value] : { a: value };
  return value;
}

/** An object with an OWN `__proto__` key, as JSON.parse and structured clone make it. */
function protoObject(): unknown {
  return JSON.parse('{"__proto__":{"polluted":"yes"},"constructor":{"prototype":{"polluted":"yes"}}}');
}

/** Unknown keys: prototype names, odd names, a key equal to a stored key (it must not be said back). */
const unknownKey = (): fc.Arbitrary<string> =>
  fc.oneof(
    fc.constantFrom('__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', 'extra', 'x'.repeat(300), ''),
    fc.constantFrom(...secrets.map((secret) => secret.value)),
    fc.string({ maxLength: 30 }),
  );

type Path = Array<string | number>;

/** Every leaf of a JSON value with its path (objects and arrays are walked; `settings` records too). */
function leaves(value: unknown, path: Path = []): Path[] {
  if (Array.isArray(value)) return value.flatMap((item, i) => leaves(item, [...path, i]));
  if (value !== null && typeof value === 'object') return Object.entries(value).flatMap(([key, item]) => leaves(item, [...path, key]));
  return [path];
}

/** Every object of a JSON value with its path (where an unknown key can be added). */
function objects(value: unknown, path: Path = []): Path[] {
  if (Array.isArray(value)) return value.flatMap((item, i) => objects(item, [...path, i]));
  if (value !== null && typeof value === 'object') return [path, ...Object.entries(value).flatMap(([key, item]) => objects(item, [...path, key]))];
  return [];
}

/** The JSON path as the rejection names it: `connection.settings.orgId`, `workspaceIds[0]`, `(root)`. */
function formatPath(path: Path): string {
  let text = '';
  for (const segment of path) text += typeof segment === 'number' ? `[${segment}]` : text ? `.${segment}` : segment;
  return text || '(root)';
}

function getAt(value: unknown, path: Path): unknown {
  return path.reduce<unknown>((node, key) => (node as Record<string | number, unknown>)[key], value);
}

function setAt(value: unknown, path: Path, leaf: unknown): unknown {
  if (path.length === 0) return leaf;
  const parent = getAt(value, path.slice(0, -1)) as Record<string | number, unknown>;
  Object.defineProperty(parent, path[path.length - 1]!, { value: leaf, enumerable: true, writable: true, configurable: true });
  return value;
}

/**
 * A payload made invalid in one known place, with the field the rejection must name (undefined:
 * it may be valid). Built lazily, so fast-check prints `what` on failure, not a 1 MB string or a
 * 1,000-level nesting (its printer would overflow the stack).
 */
interface Mutation {
  readonly args: () => unknown[];
  readonly field: string | undefined;
  readonly what: string;
}

function mutation(what: string, field: string | undefined, args: () => unknown[]): Mutation {
  return { what, field, args, [fc.toStringMethod]: () => `${what}${field === undefined ? '' : ` (must name ${field})`}` } as Mutation;
}

/** Adversarial leaf values, by name (built when used). */
const BAD_LEAVES: Record<string, () => unknown> = {
  NaN: () => Number.NaN,
  Infinity: () => Number.POSITIVE_INFINITY,
  '-Infinity': () => Number.NEGATIVE_INFINITY,
  '1 MB string': () => HUGE,
  BigInt: () => 1n,
  Date: () => new Date(0),
  Map: () => new Map([['a', 1]]),
  'own __proto__ and constructor keys': () => protoObject(),
};

/** Values no leaf of any channel accepts (every string field has a maximum below 1 MB). */
const badLeaf: fc.Arbitrary<{ readonly name: string; readonly make: () => unknown }> = fc.oneof(
  fc.constantFrom(...Object.keys(BAD_LEAVES)).map((name) => ({ name, make: BAD_LEAVES[name]! })),
  fc
    .tuple(fc.constantFrom<'array' | 'object'>('array', 'object'), fc.integer({ min: 2, max: 1000 }))
    .map(([kind, depth]) => ({ name: `${kind} nested ${depth} deep`, make: () => deep(depth, kind) })),
);

function mutations(channel: InvokeChannel): fc.Arbitrary<Mutation> {
  const valid = validPayloads()[channel];
  const leafPaths = leaves(valid);
  const objectPaths = objects(valid);
  const fresh = () => structuredClone(validPayloads()[channel]);
  const replaceLeaf = fc
    .tuple(fc.constantFrom(...leafPaths), badLeaf)
    .map(([path, leaf]) => mutation(`${formatPath(path)} = ${leaf.name}`, formatPath(path), () => [setAt(fresh(), path, leaf.make())]));
  const arbitraries: Array<fc.Arbitrary<Mutation>> = [replaceLeaf];
  if (objectPaths.length > 0) {
    const value = fc.oneof(fc.constant({ name: '1', make: (): unknown => 1 }), badLeaf);
    const addKey = fc.tuple(fc.constantFrom(...objectPaths), unknownKey(), value).map(([path, key, added]) => {
      const known = Object.prototype.hasOwnProperty.call(getAt(valid, path), key);
      // A record of provider settings takes any name: the settings form judges it, not the schema.
      const inRecord = path[path.length - 1] === 'settings';
      const safe = /^[A-Za-z_$][\w$]{0,23}$/.test(key) ? key : '(an unknown field)';
      const shown = secrets.some((secret) => secret.value === key) ? 'equal to a stored key' : JSON.stringify(key.slice(0, 40));
      return mutation(`key ${shown} = ${added.name} added at ${formatPath(path)}`, known || inRecord ? undefined : formatPath([...path, safe]), () => {
        const payload = fresh();
        Object.defineProperty(getAt(payload, path) as object, key, { value: added.make(), enumerable: true, writable: true, configurable: true });
        return [payload];
      });
    });
    const dropKey = fc.constantFrom(...objectPaths.filter((path) => Object.keys(getAt(valid, path) as object).length > 0)).chain((path) =>
      fc.constantFrom(...Object.keys(getAt(valid, path) as object)).map((key) => {
        // Preferences and provider settings are partial: dropping one of theirs may be valid.
        const optional = path.includes('preferences') || path[path.length - 1] === 'settings';
        return mutation(`${formatPath([...path, key])} dropped`, optional ? undefined : formatPath([...path, key]), () => {
          const payload = fresh();
          delete (getAt(payload, path) as Record<string, unknown>)[key];
          return [payload];
        });
      }),
    );
    arbitraries.push(addKey, dropKey);
  }
  const wrongCount = fc.constantFrom(
    mutation('no argument', '(arguments)', () => []),
    mutation('two arguments', '(arguments)', () => [fresh(), 'extra']),
    mutation('three arguments', '(arguments)', () => [fresh(), fresh(), null]),
  );
  // Anything at all (structured-cloneable, as IPC carries), including prototype-named keys.
  const anything = fc
    .anything({ maxDepth: 4, withBigInt: true, withDate: true, withMap: true, withSet: true, withTypedArray: true, withNullPrototype: true, withObjectString: true, withSparseArray: true })
    .map((value) => mutation(`anything: ${fc.stringify(value).slice(0, 200)}`, undefined, () => [value]));
  return fc.oneof(...arbitraries, wrongCount, anything);
}

/** Everything a rejected payload must leave as it was. */
async function fingerprint(): Promise<unknown> {
  // An accepted change restarts the engine; compare what it runs once it has.
  await parts.settled();
  const read = (name: string) => {
    try {
      return readFileSync(join(paths.userData!, name), 'utf8');
    } catch {
      return '(none)';
    }
  };
  const view = await parts.settings.view();
  return structuredClone({
    settings: read('settings.json'),
    secrets: read('secrets.json'),
    view,
    selected: parts.service.snapshot().selectedWorkspaceId,
    opened: opened.length,
    hidden,
    files: readdirSync(root).sort(),
  });
}

/** A change refused by the settings port (SettingsChange, ExportResult or ConnectionTestResult with ok false). */
function refusedValue(value: unknown): boolean {
  return value !== null && typeof value === 'object' && (value as { ok?: unknown }).ok === false;
}

type IpcAnswer = { ok: true; value: unknown } | { ok: false; error: { kind: string; message: string; field?: string } };

/** Calls one channel as the popover (payload structured-cloned, as Electron's IPC does) and checks the answer's shape. */
async function call(channel: InvokeChannel, args: readonly unknown[]): Promise<IpcAnswer> {
  const cloned = args.map((arg) => structuredClone(arg));
  let answer: unknown;
  try {
    answer = await handlers.get(channel)!(fromPopover, ...cloned);
  } catch (error) {
    throw new Error(`${channel} threw instead of answering with a value: ${String(error)}`, { cause: error });
  }
  expect(answer, channel).toBeTypeOf('object');
  const typed = answer as IpcAnswer;
  if (typed.ok) {
    expect(Object.keys(typed).sort()).toEqual(['ok', 'value']);
  } else {
    expect(typed.ok, channel).toBe(false);
    expect(['bad_request', 'internal'], `${channel}: ${JSON.stringify(typed.error)}`).toContain(typed.error.kind);
    expect(typed.error.message).toBeTypeOf('string');
    if (typed.error.kind === 'bad_request') {
      expect(typed.error.field, channel).toBeTypeOf('string');
      expect(typed.error.message).toContain(typed.error.field);
    }
  }
  const hits = scanForSecrets(secrets, [{ where: `answer of ${channel}`, content: JSON.stringify(answer) }]);
  if (hits.length > 0) throw new Error(`A key was echoed back:\n${describeHits(hits)}`);
  return typed;
}

const RUNS = 120;

describe('IPC payload fuzzing (seeded)', () => {
  it('every channel is fuzzed', () => {
    expect([...handlers.keys()].sort()).toEqual([...CHANNELS].sort());
  });

  it('accepts the valid payload of every channel (the fuzzer does not just refuse everything)', async () => {
    const valid = validPayloads();
    const [openedBefore, hiddenBefore] = [opened.length, hidden];
    // Runs first, on the engine createDesktopService started. Removals last; the import then
    // restores the workspace and its keys for the fuzzing that follows.
    const last: InvokeChannel[] = ['burnrate:remove-connection', 'burnrate:remove-workspace', 'burnrate:import-config'];
    for (const channel of [...CHANNELS.filter((c) => !last.includes(c)), ...last]) {
      const answer = await call(channel, [valid[channel]]);
      expect(answer, `${channel}: ${JSON.stringify(answer)}`).toMatchObject({ ok: true });
      if (channel !== 'burnrate:test-connection') expect(refusedValue((answer as { value: unknown }).value), `${channel}: ${JSON.stringify(answer)}`).toBe(false);
    }
    expect(opened.slice(openedBefore)).toEqual([paths.logs]);
    expect(hidden - hiddenBefore).toBe(1);
  });

  it.each(CHANNELS)('%s answers every adversarial payload with a value or a typed rejection naming the field, and a rejection changes nothing', async (channel) => {
    let before = await fingerprint();
    let rejected = 0;
    await fc.assert(
      fc.asyncProperty(mutations(channel), async (mutation) => {
        const answer = await call(channel, mutation.args());
        if (mutation.field !== undefined) {
          expect(answer, `${channel}: ${mutation.what}`).toMatchObject({ ok: false, error: { kind: 'bad_request', field: mutation.field } });
        }
        const after = await fingerprint();
        if (!answer.ok || refusedValue(answer.value)) {
          rejected += 1;
          expect(after, `${channel}: a rejected payload (${mutation.what}) changed the state`).toEqual(before);
        }
        before = after;
        expect(({} as Record<string, unknown>).polluted).toBeUndefined();
      }),
      { seed: SEED + CHANNELS.indexOf(channel), numRuns: RUNS },
    );
    // The fuzzer reached the rejection path, not only valid payloads.
    expect(rejected).toBeGreaterThan(RUNS / 2);
  });

  // The rejection path can fail: each channel's known-bad payload is refused naming its field.
  const knownBad: Array<[InvokeChannel, unknown, string]> = [
    ['burnrate:get-snapshot', { please: true }, '(root)'],
    ['burnrate:refresh-now', 'now', '(root)'],
    ['burnrate:select-workspace', { workspaceId: 42 }, 'workspaceId'],
    ['burnrate:set-popover-open', { open: 'yes' }, 'open'],
    ['burnrate:hide-popover', undefined, '(root)'],
    ['burnrate:get-settings', [], '(root)'],
    ['burnrate:save-workspace', { workspace: { ...(validPayloads()['burnrate:save-workspace'] as { workspace: object }).workspace, name: HUGE } }, 'workspace.name'],
    ['burnrate:remove-workspace', { workspaceId: '' }, 'workspaceId'],
    ['burnrate:reorder-workspaces', { workspaceIds: ['research', Number.NaN] }, 'workspaceIds[1]'],
    ['burnrate:save-connection', JSON.parse('{"connection":{"workspaceId":"research","id":null,"provider":"civis","name":null,"settings":{},"apiKey":null,"apiKeyEnv":null,"allowObfuscatedKey":false,"__proto__":{"x":1}}}'), 'connection.__proto__'],
    ['burnrate:remove-connection', { workspaceId: 'research' }, 'connectionId'],
    ['burnrate:test-connection', { connection: { ...civisConnectionShape(), settings: { nested: { a: 1 } } } }, 'connection.settings.nested'],
    ['burnrate:save-preferences', { preferences: { refreshIntervalSeconds: Number.POSITIVE_INFINITY } }, 'preferences.refreshIntervalSeconds'],
    ['burnrate:pause-notifications', { pause: 'forever' }, 'pause'],
    ['burnrate:choose-demo', { demo: 1 }, 'demo'],
    ['burnrate:import-config', { file: 'relative.json', allowObfuscatedKeys: false }, 'file'],
    ['burnrate:export-config', { file: '/home/a/.bashrc', overwrite: true }, 'file'],
    ['burnrate:open-folder', { folder: '/' }, 'folder'],
  ];

  it.each(knownBad)('%s refuses a known-bad payload naming its field', async (channel, payload, field) => {
    const before = await fingerprint();
    const answer = await call(channel, [payload]);
    expect(answer).toMatchObject({ ok: false, error: { kind: 'bad_request', field } });
    expect(await fingerprint()).toEqual(before);
  });

  it('covers every channel with a known-bad payload', () => {
    expect(new Set(knownBad.map(([channel]) => channel)).size).toBe(CHANNELS.length);
  });

});

/** The civis connection form (a function: the fake's URL is known only after beforeAll). */
function civisConnectionShape(): Record<string, unknown> {
  return { workspaceId: 'research', id: null, provider: 'civis', name: null, settings: {}, apiKey: null, apiKeyEnv: null, allowObfuscatedKey: false };
}
