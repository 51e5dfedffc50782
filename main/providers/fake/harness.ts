/**
 * A loopback HTTP server shared by the five provider fakes: routing, request log, gzip, and
 * fault injection (status codes with Retry-After, slow answers, hangs, connection resets,
 * HTML pages, truncated JSON, schema drift). Each provider fake supplies only its route handler.
 */
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { gzipSync } from 'node:zlib';

// node:http through getBuiltinModule: an ES import of it loads Node's internal undici (see
// main/services/httpServer.ts). The fakes are loaded only when started (providers' index.ts).
const { createServer } = process.getBuiltinModule('node:http');

/** A request as the fake saw it. */
export interface FakeRequest {
  readonly method: string;
  /** Path without the query string. */
  readonly path: string;
  readonly query: URLSearchParams;
  /** Header names in lower case. */
  readonly headers: Readonly<Record<string, string | undefined>>;
  /** The fake's clock at arrival (epoch ms). */
  readonly atMs: number;
}

/** What a route answers. */
export interface FakeReply {
  readonly status: number;
  readonly body: unknown;
  readonly headers?: Readonly<Record<string, string>>;
}

/** A route handler: the provider's wire contract. */
export type FakeHandler = (request: FakeRequest) => FakeReply;

/** A fault to inject. Applied to the next `times` matching requests (default 1; Infinity = until cleared). */
export type Fault =
  | { readonly type: 'status'; readonly status: number; readonly body?: unknown; readonly headers?: Readonly<Record<string, string>> }
  | { readonly type: 'slow'; readonly delayMs: number }
  | { readonly type: 'hang' }
  | { readonly type: 'reset' }
  | { readonly type: 'html'; readonly status?: number }
  | { readonly type: 'empty'; readonly status?: number }
  /** The real answer's JSON cut in half, as a dropped connection behind a proxy leaves it. */
  | { readonly type: 'truncated' }
  | { readonly type: 'drift'; readonly transform: (body: unknown) => unknown };

export interface FaultOptions {
  /** How many matching requests it affects (default 1). */
  readonly times?: number;
  /** Only requests whose path ends with this string. */
  readonly path?: string;
}

interface ActiveFault {
  readonly fault: Fault;
  remaining: number;
  readonly path: string | undefined;
}

export interface FakeServerOptions {
  /** The fake's clock (epoch ms). Default: Date.now. */
  readonly now?: () => number;
}

/** A running loopback fake. */
export class FakeServer {
  /** Every request received, in order. */
  readonly requests: FakeRequest[] = [];
  readonly now: () => number;
  private readonly faults: ActiveFault[] = [];
  private picker: ((request: FakeRequest) => Fault | undefined) | undefined;
  private readonly sockets = new Set<Socket>();
  private readonly pending = new Set<ServerResponse>();
  private readonly waiters: Array<{ readonly count: number; readonly resolve: () => void }> = [];
  private server: Server | undefined;
  private url = '';

  constructor(
    private readonly handler: FakeHandler,
    options: FakeServerOptions = {},
  ) {
    this.now = options.now ?? Date.now;
  }

  /** Starts listening on 127.0.0.1 at a free port; resolves to the base URL (no trailing slash). */
  async start(port = 0): Promise<string> {
    const server = createServer((req, res) => this.onRequest(req, res));
    // Keep-alive like a provider behind a load balancer (60 s idle), not Node's 5 s: with 5 s a
    // fake busy building a big answer closes idle sockets the moment it wakes up, racing the
    // client's next request on them (a reset nothing real would cause).
    server.keepAliveTimeout = 65_000;
    server.on('connection', (socket) => {
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => resolve());
    });
    this.server = server;
    const { port: actual } = server.address() as AddressInfo;
    this.url = `http://127.0.0.1:${actual}`;
    return this.url;
  }

  /** Base URL, e.g. http://127.0.0.1:41234. */
  get baseUrl(): string {
    if (!this.url) throw new Error('fake server not started');
    return this.url;
  }

  /** Injects a fault. */
  inject(fault: Fault, options: FaultOptions = {}): void {
    this.faults.push({ fault, remaining: options.times ?? 1, path: options.path });
  }

  /**
   * Resolves once the fake has received `count` requests in all (at once when it already has):
   * lets a test wait for the request it means instead of sleeping.
   */
  whenRequests(count: number): Promise<void> {
    if (this.requests.length >= count) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push({ count, resolve }));
  }

  /**
   * Asks `pick` about every request that no injected fault claims: the fault it returns is applied
   * to that request (the soak test's seeded 10 % of faults). `undefined` switches it off.
   */
  chaos(pick: ((request: FakeRequest) => Fault | undefined) | undefined): void {
    this.picker = pick;
  }

  /** Removes every pending fault. */
  clearFaults(): void {
    this.faults.length = 0;
  }

  /** Stops the server, cutting hanging and keep-alive connections. */
  async stop(): Promise<void> {
    for (const res of this.pending) res.destroy();
    for (const socket of this.sockets) socket.destroy();
    const server = this.server;
    this.server = undefined;
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  private takeFault(path: string): Fault | undefined {
    const index = this.faults.findIndex((f) => f.remaining > 0 && (f.path === undefined || path.endsWith(f.path)));
    if (index < 0) return undefined;
    const active = this.faults[index]!;
    active.remaining -= 1;
    if (active.remaining <= 0) this.faults.splice(index, 1);
    return active.fault;
  }

  private onRequest(req: IncomingMessage, res: ServerResponse): void {
    const url = new URL(req.url ?? '/', 'http://fake.invalid');
    const request: FakeRequest = {
      method: req.method ?? 'GET',
      path: url.pathname,
      query: url.searchParams,
      headers: Object.fromEntries(
        Object.entries(req.headers).map(([k, v]) => [k.toLowerCase(), Array.isArray(v) ? v.join(', ') : v]),
      ),
      atMs: this.now(),
    };
    this.requests.push(request);
    for (const waiter of this.waiters.filter((w) => w.count <= this.requests.length)) {
      this.waiters.splice(this.waiters.indexOf(waiter), 1);
      waiter.resolve();
    }
    const fault = this.takeFault(request.path) ?? this.picker?.(request);
    const acceptsGzip = /\bgzip\b/.test(request.headers['accept-encoding'] ?? '');

    const answer = (reply: FakeReply): void => {
      if (fault?.type === 'drift') reply = { ...reply, body: fault.transform(reply.body) };
      this.send(res, reply, acceptsGzip);
    };
    const reply = (): FakeReply => this.safeHandle(request);

    switch (fault?.type) {
      case 'status':
        this.send(
          res,
          { status: fault.status, body: fault.body ?? { error: `injected ${fault.status}` }, headers: fault.headers ?? {} },
          acceptsGzip,
        );
        return;
      case 'slow': {
        this.pending.add(res);
        const timer = setTimeout(() => {
          this.pending.delete(res);
          if (!res.destroyed) answer(reply());
        }, fault.delayMs);
        res.on('close', () => clearTimeout(timer));
        return;
      }
      case 'hang':
        this.pending.add(res);
        res.on('close', () => this.pending.delete(res));
        return;
      case 'reset':
        req.socket.destroy();
        return;
      case 'html':
        res.writeHead(fault.status ?? 200, { 'content-type': 'text/html; charset=utf-8' });
        res.end('<!doctype html><html><body><h1>Maintenance</h1><p>We will be back soon.</p></body></html>');
        return;
      case 'truncated': {
        const text = JSON.stringify(reply().body);
        const half = text.slice(0, Math.max(1, Math.floor(text.length / 2)));
        res.writeHead(200, { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(half)) });
        res.end(half);
        return;
      }
      case 'empty':
        res.writeHead(fault.status ?? 502, { 'content-length': '0' });
        res.end();
        return;
      default:
        answer(reply());
    }
  }

  private safeHandle(request: FakeRequest): FakeReply {
    try {
      return this.handler(request);
    } catch (error) {
      // A bug in a fake must show up as a 500, loudly, not as a hung test.
      console.error('fake handler failed:', error);
      return { status: 500, body: { error: 'fake handler failed' } };
    }
  }

  private send(res: ServerResponse, reply: FakeReply, acceptsGzip: boolean): void {
    const text = JSON.stringify(reply.body);
    const headers: Record<string, string> = { 'content-type': 'application/json', ...reply.headers };
    if (acceptsGzip && text.length > 1024) {
      const zipped = gzipSync(text);
      res.writeHead(reply.status, { ...headers, 'content-encoding': 'gzip', 'content-length': String(zipped.length) });
      res.end(zipped);
    } else {
      res.writeHead(reply.status, { ...headers, 'content-length': String(Buffer.byteLength(text)) });
      res.end(text);
    }
  }
}

/** Parses an ISO-8601 instant from a query parameter; undefined when missing or malformed. */
export function queryInstant(query: URLSearchParams, name: string): number | undefined {
  const value = query.get(name);
  if (!value || !/(?:Z|[+-]\d\d:?\d\d)$/i.test(value)) return undefined;
  const ms = Date.parse(value);
  return Number.isFinite(ms) ? ms : undefined;
}
