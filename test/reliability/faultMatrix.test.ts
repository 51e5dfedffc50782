/**
 * The fault matrix (issue 10): every registered provider, with real HTTP against its loopback
 * fake, through the engine (Runtime) that the CLI and the tray app run. A fault proxy sits
 * between the engine and the fake and injects each fault at the wire: statuses, Retry-After in
 * every form, refused/reset/hanging/dripping connections, broken and hostile bodies, a 50 MB
 * answer, hostile numbers, a redirect to another host.
 *
 * For each provider × fault: the expected error kind (or a valid report), the last good data kept
 * and marked stale, recovery when the fault clears, no unhandled rejection, no crash and no key
 * in any output (status document, log, snapshot file; raw, base64, URL-encoded, Basic forms and
 * any 8-character fragment). Prints the matrix and `fault matrix: N passed, N failed`.
 */
import { once } from 'node:events';
import { createServer, request as httpRequest, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StatusDocument } from '../../preload/api';
import { PROVIDER_IDS } from '../../main/providers/registry';
import { createHttpClient, type HttpClient, type HttpGetOptions } from '../../main/providers/http';
import { parseConfig } from '../../main/services/config';
import { Runtime } from '../../main/services/runtime';
import { SnapshotStore } from '../../main/services/snapshotStore';
import { connectionFor, startFakes, type FakeSet, type ProviderName } from '../cli/helpers';
import { FakeTime, MemoryLogger, tempFolder } from '../replay/support';
import { scanForSecrets } from '../support/secretScanner';

/** What the engine may report for a fault: an error kind, or `ok` (a valid report). */
type Outcome = 'ok' | 'auth' | 'rate_limited' | 'bad_request' | 'server' | 'network' | 'bad_response';

interface FaultCase {
  readonly name: string;
  readonly expect: readonly Outcome[];
  /** Uses the impatient client (the fault only ends by a timeout). */
  readonly slow?: boolean;
}

/** Client timeout for faults that only a timeout ends; other requests get a patient client. */
const IMPATIENT_MS = 2_000;
const FORTY_DIGITS = '1234567890123456789012345678901234567890';

const FAULTS: readonly FaultCase[] = [
  { name: '401', expect: ['auth'] },
  { name: '403', expect: ['auth'] },
  { name: '404', expect: ['bad_request'] },
  { name: '429 Retry-After seconds', expect: ['rate_limited'] },
  { name: '429 Retry-After HTTP date', expect: ['rate_limited'] },
  { name: '429 Retry-After huge', expect: ['rate_limited'] },
  { name: '429 wait in JSON body', expect: ['rate_limited'] },
  { name: '500', expect: ['server'] },
  { name: '503 empty body', expect: ['server'] },
  { name: 'connection refused', expect: ['network'] },
  { name: 'reset mid-body', expect: ['network', 'bad_response'] },
  { name: 'never answers', expect: ['network'], slow: true },
  { name: 'slow drip past timeout', expect: ['network'], slow: true },
  { name: 'HTML on 200', expect: ['bad_response'] },
  { name: 'truncated JSON', expect: ['bad_response'] },
  { name: 'required field missing', expect: ['bad_response'] },
  { name: 'field of wrong type', expect: ['bad_response'] },
  { name: 'extra unknown fields', expect: ['ok'] },
  { name: '50 MB body', expect: ['bad_response'] },
  { name: '40-digit decimal', expect: ['bad_response', 'ok'] },
  { name: 'NaN and Infinity', expect: ['bad_response', 'ok'] },
  { name: 'negative money', expect: ['bad_response', 'ok'] },
  { name: 'redirect to another host', expect: ['bad_response'] },
];

/** Every object in a JSON value gets two keys nobody defined. */
function withExtraFields(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withExtraFields);
  if (value && typeof value === 'object') {
    return { ...Object.fromEntries(Object.entries(value).map(([k, v]) => [k, withExtraFields(v)])), zz_unknown_field: 'x', zz_unknown_object: { nested: [1, 2] } };
  }
  return value;
}

/** Removes every number and numeric-string field from every object (every amount is gone). */
function withoutAmounts(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutAmounts);
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value)
        .filter(([, v]) => typeof v !== 'number' && !(typeof v === 'string' && /^-?\d+(\.\d+)?$/.test(v)))
        .map(([k, v]) => [k, withoutAmounts(v)]),
    );
  }
  return value;
}

/** Applies `map` to every number and numeric string in a JSON value (money is one of them). */
function mapNumbers(value: unknown, map: (n: number | string) => unknown): unknown {
  if (Array.isArray(value)) return value.map((v) => mapNumbers(v, map));
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, mapNumbers(v, map)]));
  if (typeof value === 'number') return map(value);
  if (typeof value === 'string' && /^-?\d+(\.\d+)?$/.test(value)) return map(value);
  return value;
}

/** The placeholder a bare JSON token (40 digits, NaN) replaces after serialising. */
const BARE = '"__bare_token__"';

/**
 * A loopback proxy in front of one fake: forwards requests (without compression) and injects the
 * current fault into the answer. A second loopback server stands for "another host" of redirects.
 */
class FaultProxy {
  fault: string | undefined;
  /** Requests that reached the other host, with their Authorization header. */
  readonly elsewhere: Array<string | undefined> = [];
  private server: Server | undefined;
  private other: Server | undefined;
  private readonly sockets = new Set<Socket>();
  port = 0;
  private otherPort = 0;

  constructor(private readonly upstream: string) {}

  async start(): Promise<void> {
    this.other = createServer((req, res) => {
      this.elsewhere.push(req.headers.authorization);
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{"stolen":true}');
    });
    this.other.listen(0, '127.0.0.1');
    await once(this.other, 'listening');
    this.otherPort = (this.other.address() as AddressInfo).port;
    await this.listen(0);
  }

  /** Stops accepting connections (connection refused) and cuts open ones. */
  async pause(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    for (const socket of this.sockets) socket.destroy();
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  /** Listens again on the same port. */
  async resume(): Promise<void> {
    await this.listen(this.port);
  }

  async stop(): Promise<void> {
    await this.pause();
    const other = this.other;
    if (other) await new Promise<void>((resolve) => other.close(() => resolve()));
  }

  /** The fake's base URL with the proxy's origin (a base path such as Limitry's /v1 is kept). */
  get baseUrl(): string {
    const upstream = new URL(this.upstream);
    return `http://127.0.0.1:${this.port}${upstream.pathname.replace(/\/$/, '')}`;
  }

  private async listen(port: number): Promise<void> {
    const server = createServer((req, res) => void this.handle(req, res));
    // Longer than any pause between refreshes here: a keep-alive socket closed by the server as the
    // client reuses it would read as a reset, whatever the fault.
    server.keepAliveTimeout = 600_000;
    server.on('connection', (socket) => {
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
    });
    server.listen(port, '127.0.0.1');
    await once(server, 'listening');
    this.server = server;
    this.port = (server.address() as AddressInfo).port;
  }

  private forward(req: IncomingMessage): Promise<{ status: number; headers: Record<string, string>; body: string }> {
    const url = new URL(req.url ?? '/', new URL(this.upstream).origin);
    return new Promise((resolve, reject) => {
      const headers = { ...req.headers, host: url.host, 'accept-encoding': 'identity' };
      const upstream = httpRequest(url, { method: req.method, headers, agent: false }, (res) => {
        let body = '';
        res.setEncoding('utf8').on('data', (chunk: string) => (body += chunk));
        res.on('end', () => {
          const flat: Record<string, string> = {};
          for (const [name, value] of Object.entries(res.headers)) if (typeof value === 'string') flat[name] = value;
          resolve({ status: res.statusCode ?? 502, headers: flat, body });
        });
      });
      upstream.on('error', reject);
      upstream.end();
    });
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const fault = this.fault;
    const json = (status: number, body: unknown, headers: Record<string, string> = {}): void => {
      res.writeHead(status, { 'content-type': 'application/json', ...headers });
      res.end(JSON.stringify(body));
    };
    switch (fault) {
      case '401':
        return json(401, { error: 'unauthorized', message: 'Invalid API key' });
      case '403':
        return json(403, { error: 'forbidden', message: 'Not allowed' });
      case '404':
        return json(404, { error: 'not found' });
      case '429 Retry-After seconds':
        return json(429, { error: 'rate limited' }, { 'retry-after': '120' });
      case '429 Retry-After HTTP date':
        return json(429, { error: 'rate limited' }, { 'retry-after': new Date(Date.now() + 90_000).toUTCString(), date: new Date().toUTCString() });
      case '429 Retry-After huge':
        return json(429, { error: 'rate limited' }, { 'retry-after': '99999999999' });
      case '429 wait in JSON body':
        return json(429, { error: 'rate limited', retry_after: 45, details: { retry_after: 45 } });
      case '500':
        return json(500, { error: 'internal' });
      case '503 empty body':
        res.writeHead(503, { 'content-length': '0' });
        res.end();
        return;
      case 'never answers':
        return; // the socket stays open; the client's timeout must end it
      case 'slow drip past timeout': {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.write('{"data":[');
        const drip = setInterval(() => (res.destroyed ? clearInterval(drip) : res.write(' ')), 200);
        res.on('close', () => clearInterval(drip));
        return;
      }
      case 'HTML on 200':
        res.writeHead(200, { 'content-type': 'text/html' });
        res.end('<!doctype html><title>Login</title><p>Please sign in');
        return;
      case 'redirect to another host':
        res.writeHead(302, { location: `http://127.0.0.1:${this.otherPort}${req.url ?? '/'}` });
        res.end();
        return;
      case '50 MB body': {
        const chunk = Buffer.alloc(1024 * 1024, 0x61);
        res.writeHead(200, { 'content-type': 'application/json', 'content-length': String(50 * 1024 * 1024 + 10) });
        res.write('{"pad":"');
        for (let i = 0; i < 50 && !res.destroyed; i += 1) if (!res.write(chunk)) await once(res, 'drain').catch(() => undefined);
        res.end('"}');
        return;
      }
      default:
        break;
    }
    let answer: { status: number; headers: Record<string, string>; body: string };
    try {
      answer = await this.forward(req);
    } catch {
      res.destroy();
      return;
    }
    let text = answer.body;
    if (fault && answer.status === 200) {
      const body = JSON.parse(text) as unknown;
      switch (fault) {
        case 'reset mid-body':
          res.writeHead(200, { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(text)) });
          res.write(text.slice(0, Math.floor(text.length / 2)));
          res.socket?.destroy();
          return;
        case 'truncated JSON':
          text = text.slice(0, Math.max(1, Math.floor(text.length / 2)));
          break;
        case 'required field missing':
          // Amounts are required wherever they appear (a provider's top level may legitimately be
          // all-optional, as Baseten's sections are): every numeric field goes.
          text = JSON.stringify(withoutAmounts(body));
          break;
        case 'field of wrong type':
          text = JSON.stringify(
            Array.isArray(body) ? 'not a list' : Object.fromEntries(Object.keys(body as object).map((key) => [key, typeof (body as Record<string, unknown>)[key] === 'string' ? 12 : 'x'])),
          );
          break;
        case 'extra unknown fields':
          text = JSON.stringify(withExtraFields(body));
          break;
        case '40-digit decimal':
          text = JSON.stringify(mapNumbers(body, (n) => (typeof n === 'string' ? FORTY_DIGITS : '__bare_token__'))).split(BARE).join(FORTY_DIGITS);
          break;
        case 'NaN and Infinity':
          text = JSON.stringify(mapNumbers(body, (n) => (typeof n === 'string' ? 'Infinity' : '__bare_token__'))).split(BARE).join('NaN');
          break;
        case 'negative money':
          text = JSON.stringify(mapNumbers(body, (n) => (typeof n === 'string' ? `-${n.replace(/^-/, '')}` : -Math.abs(n))));
          break;
        default:
          break;
      }
    }
    const headers = { ...answer.headers };
    delete headers['content-length'];
    delete headers['transfer-encoding'];
    delete headers['content-encoding'];
    res.writeHead(answer.status, headers);
    res.end(text);
  }
}

/** Every form of a key that must never appear, and any 8-character fragment of it (the secrets sweep's scanner). */
function leaks(text: string, key: string): string[] {
  return scanForSecrets([{ label: 'key', value: key }], [{ where: 'outputs', content: text }]).map((hit) => hit.form);
}

interface Row {
  readonly provider: string;
  readonly fault: string;
  readonly got: string;
  readonly problems: string[];
}

const rows: Row[] = [];
let fakes: FakeSet;
const unhandled: unknown[] = [];
const onUnhandled = (reason: unknown): void => {
  unhandled.push(reason);
};

beforeAll(async () => {
  process.on('unhandledRejection', onUnhandled);
  fakes = await startFakes();
});

afterAll(async () => {
  process.off('unhandledRejection', onUnhandled);
  await fakes?.stop();
  const faults = FAULTS.map((f) => f.name);
  const providers = [...new Set(rows.map((r) => r.provider))];
  const width = Math.max(...faults.map((f) => f.length));
  const cell = (provider: string, fault: string): string => {
    const row = rows.find((r) => r.provider === provider && r.fault === fault);
    if (!row) return '—';
    return `${row.problems.length === 0 ? '✓' : '✗'} ${row.got}`;
  };
  const lines = [`${'fault'.padEnd(width)}  ${providers.map((p) => p.padEnd(15)).join(' ')}`];
  for (const fault of faults) lines.push(`${fault.padEnd(width)}  ${providers.map((p) => cell(p, fault).padEnd(15)).join(' ')}`);
  for (const row of rows.filter((r) => r.problems.length > 0)) lines.push(`  ✗ ${row.provider} / ${row.fault}: ${row.problems.join('; ')}`);
  const failed = rows.filter((r) => r.problems.length > 0).length;
  lines.push(`fault matrix: ${rows.length - failed} passed, ${failed} failed`);
  console.log(`\n${lines.join('\n')}\n`);
});

/** The patient client for normal answers, the impatient one while a slow fault is on. */
function switchingClient(): { client: HttpClient; impatient: (on: boolean) => void; close: () => Promise<void> } {
  const patient = createHttpClient({ timeoutMs: 120_000 });
  const quick = createHttpClient({ timeoutMs: IMPATIENT_MS });
  let useQuick = false;
  return {
    client: { getJson: (options: HttpGetOptions) => (useQuick ? quick : patient).getJson(options), close: async () => undefined },
    impatient: (on) => {
      useQuick = on;
    },
    close: async () => {
      await Promise.all([patient.close(), quick.close()]);
    },
  };
}

describe.concurrent('fault matrix', () => {
  it.each(PROVIDER_IDS.map((id) => [id]))('%s survives every fault', async (provider) => {
    const id = provider as ProviderName;
    const key = fakes.keys[id];
    const proxy = new FaultProxy(fakes[id].baseUrl);
    await proxy.start();
    const folder = tempFolder(`burnrate-matrix-${id}`);
    const storeFile = `${folder.dir}/snapshots.json`;
    const logger = new MemoryLogger();
    const http = switchingClient();
    const time = new FakeTime(fakes.nowMs);
    const config = parseConfig({ workspaces: [{ id: 'team', timeZone: 'UTC', connections: [connectionFor(fakes, id, { baseUrl: proxy.baseUrl })] }] }, '/nonexistent/matrix.json', {});
    const runtime = new Runtime({ config, http: http.client, clock: time, timers: time, logger, store: new SnapshotStore(storeFile, logger, time.now), random: () => 0.5 });
    const status = (): StatusDocument => runtime.status();
    try {
      await runtime.refreshAll();
      const good = status().workspaces[0]!.connections[0]!;
      expect(good, `a good first refresh of ${id}: ${JSON.stringify(good.error)}`).toMatchObject({ status: 'ok' });
      const goodSpent = JSON.stringify([good.spentUsd, good.spentCredits]);

      for (const fault of FAULTS) {
        const problems: string[] = [];
        proxy.fault = fault.name;
        http.impatient(fault.slow === true);
        if (fault.name === 'connection refused') await proxy.pause();
        const elsewhereBefore = proxy.elsewhere.length;
        time.set(time.now() + 60_000);
        await runtime.refreshAll();
        const during = status().workspaces[0]!.connections[0]!;
        const got: Outcome = during.status === 'ok' ? 'ok' : (during.error?.kind as Outcome);
        if (!fault.expect.includes(got)) problems.push(`expected ${fault.expect.join(' or ')}, got ${got}${during.error ? ` (${during.error.message})` : ''}`);
        if (got !== 'ok') {
          if (during.stale !== true) problems.push('the last good data is not marked stale');
          if (JSON.stringify([during.spentUsd, during.spentCredits]) !== goodSpent) problems.push(`the last good data was not kept (${JSON.stringify([during.spentUsd, during.spentCredits])})`);
        } else if ([during.spentUsd, during.spentCredits].some((v) => v !== null && !Number.isFinite(v))) {
          problems.push('a valid report with a non-finite amount');
        }
        if (proxy.elsewhere.length > elsewhereBefore) problems.push(`a redirect was followed to another host (Authorization: ${proxy.elsewhere.at(-1) ? 'sent' : 'not sent'})`);

        // The fault clears: the next refresh recovers.
        proxy.fault = undefined;
        http.impatient(false);
        if (fault.name === 'connection refused') await proxy.resume();
        time.set(time.now() + 60_000);
        await runtime.refreshAll();
        const after = status().workspaces[0]!.connections[0]!;
        if (after.status !== 'ok' || after.stale === true) problems.push(`no recovery after the fault cleared (${after.status}${after.error ? `: ${after.error.message}` : ''})`);
        if (JSON.stringify([after.spentUsd, after.spentCredits]) !== goodSpent) problems.push('recovered with different numbers');

        await runtime.whenIdle();
        const outputs = [JSON.stringify(status()), logger.lines.map((l) => l.message + JSON.stringify(l.fields ?? {})).join('\n'), readFileSync(storeFile, 'utf8')].join('\n');
        const leaked = leaks(outputs, key);
        if (leaked.length > 0) problems.push(`key leaked: ${leaked.join(', ')}`);
        if (unhandled.length > 0) problems.push(`unhandled rejection: ${String(unhandled.splice(0).at(0))}`);
        rows.push({ provider: id, fault: fault.name, got, problems });
      }
    } finally {
      await runtime.stop();
      await http.close();
      await proxy.stop();
      folder.remove();
    }
    const failures = rows.filter((r) => r.provider === id && r.problems.length > 0).map((r) => `${r.fault}: ${r.problems.join('; ')}`);
    expect(failures).toEqual([]);
  });
});
