/**
 * The loopback HTTP server of `burnrate serve`: JSON status, Prometheus metrics and the dashboard.
 * - binds 127.0.0.1 unless told otherwise (a team server: `--listen`, with `--public-host` names);
 * - every request needs the access token, as `?token=` or `Authorization: Bearer …`;
 * - requests whose Host header is not exactly a loopback name (`127.0.0.1`, `localhost`, `[::1]`,
 *   with an optional port), nor one of a team server's `--public-host` names, are refused (DNS rebinding);
 * - the token is compared in constant time (SHA-256 digests of equal length, `timingSafeEqual`);
 * - GET and HEAD only; no CORS headers, so other origins cannot read the answers;
 * - request headers over 16 KiB get 431; at most 32 connections at once; a client must send its
 *   headers within 10 s and the whole request within 30 s (slowloris);
 * - `GET /healthz` answers `ok` without the token (liveness only: it carries no data);
 * - `GET /api/history?from=&to=` answers cost buckets from the spend database (400 names a bad parameter);
 * - the dashboard's page carries the current status document as a JSON data block
 *   (`<script type="application/json" id="burnrate-status">`, every `<`, `>`, `&`, U+2028 and
 *   U+2029 escaped) once every connection has answered, so its first render needs no second
 *   request; CSP is unchanged (a data block is
 *   never executed, and `script-src 'self'` still forbids inline script).
 */
import { createHash, timingSafeEqual, randomBytes } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize, sep } from 'node:path';
import type { HistoryDocument, StatusDocument } from '../../preload/api';
import { awaitingFirstRefresh } from '../../preload/servedPage';
import { dashboardPage } from './dashboardPage';
import type { HistoryQueryProblem } from './history';
import { renderMetrics } from './metrics';
import type { Logger } from './ports';

export { INLINE_STATUS_ID, inlineJson } from './dashboardPage';

// node:http through getBuiltinModule, not an ES import: the ES module facade of node:http reads
// every export, and its lazy WebSocket/EventSource getters load Node's internal undici (tens of ms
// of CPU at start). The same in the fakes' harness (main/providers/fake/harness.ts).
const { createServer } = process.getBuiltinModule('node:http');

/** Options of {@link startStatusServer}. */
export interface StatusServerOptions {
  /** The current status document. */
  readonly status: () => StatusDocument;
  /** True for a document an earlier run kept (the spend database's latest): the page then asks for a live one soon. */
  readonly isKept?: (document: StatusDocument) => boolean;
  /** Built renderer folder (out/renderer); the dashboard answers 503 when it is missing. */
  readonly rendererDir: string;
  /** Access token; a random 32-byte one by default. */
  readonly token?: string;
  readonly port: number;
  readonly logger: Logger;
  /** Burnrate's version, exposed as `burnrate_build_info`. */
  readonly version?: string;
  /** Address to bind (default 127.0.0.1). Anything else is a team server: see `publicHosts`. */
  readonly host?: string;
  /** Host names (lower case, no port) accepted in the Host header besides the loopback ones. */
  readonly publicHosts?: readonly string[];
  /** Answers `GET /api/history` (main/services/history.ts): the document, or the bad parameter (400). 404 when absent. */
  readonly history?: (params: URLSearchParams) => HistoryDocument | HistoryQueryProblem;
  /** The spend export as CSV (`GET /api/export.csv`); 404 when absent. */
  readonly exportCsv?: () => string;
  /** Resource limits (defaults in {@link DEFAULT_SERVER_LIMITS}); tests use small ones. */
  readonly limits?: Partial<ServerLimits>;
}

/** What one client may cost the server. */
export interface ServerLimits {
  /** Largest request head (request line + headers), bytes; larger gets 431. */
  readonly maxHeaderBytes: number;
  /** Connections open at once; more are closed at once. */
  readonly maxConnections: number;
  /** Time to receive the request head (slowloris), ms. */
  readonly headersTimeoutMs: number;
  /** Time to receive the whole request, ms. */
  readonly requestTimeoutMs: number;
  /** How often Node checks the two timeouts above, ms. */
  readonly checkIntervalMs: number;
}

/** The limits `burnrate serve` runs with. */
export const DEFAULT_SERVER_LIMITS: ServerLimits = {
  maxHeaderBytes: 16 * 1024,
  maxConnections: 32,
  headersTimeoutMs: 10_000,
  requestTimeoutMs: 30_000,
  checkIntervalMs: 1_000,
};

/** A running server. */
export interface StatusServer {
  readonly port: number;
  readonly token: string;
  /** The URL to open, with the token: http://127.0.0.1:PORT/?token=… */
  readonly url: string;
  close(): Promise<void>;
}

const TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
};

const SECURITY_HEADERS = {
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
  'cache-control': 'no-store',
  'content-security-policy':
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
} as const;

/** What a browser without the token sees instead of JSON (static: no request data in it). */
const TOKEN_PAGE = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>Burnrate: access token needed</title></head>
<body>
<main>
<h1>This Burnrate dashboard needs its access token</h1>
<p>Open the full address that <code>burnrate serve</code> printed in its terminal when it started, the line
<code>Burnrate dashboard: http://127.0.0.1:…/?token=…</code>.</p>
<p>The token changes at every start unless it is fixed: set <code>BURNRATE_TOKEN</code>, or start with
<code>burnrate serve --token-file FILE</code>, and the address (and your bookmark) stays the same.</p>
</main>
</body></html>
`;

/** A whole Host header: a loopback name, then at most a decimal port; nothing before or after. */
const LOOPBACK_HOST = /^(?:127\.0\.0\.1|localhost|\[::1\])(?::(\d{1,5}))?$/i;

/**
 * True only for a Host header that is exactly a loopback name of this machine, with an optional
 * port of 1–65535. Parsed as a whole, so `[::1]evil.com`, `localhost.evil.com`, `127.0.0.1@evil`
 * or `localhost:80:81` are refused.
 * @example isLoopbackHost('localhost:8080') //=> true
 * @example isLoopbackHost('[::1]evil.com') //=> false
 */
export function isLoopbackHost(host: string | undefined): boolean {
  if (!host) return false;
  const match = LOOPBACK_HOST.exec(host);
  if (!match) return false;
  const port = match[1];
  return port === undefined || (Number(port) >= 1 && Number(port) <= 65_535);
}

/** The name in a Host header, lower-cased, without its port; undefined when malformed. */
function hostName(host: string): string | undefined {
  const match = /^(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9.-]+)(?::\d{1,5})?$/.exec(host);
  return match ? match[1]!.toLowerCase() : undefined;
}

/** True for a loopback Host header or one naming an allowed public host (with any port). */
export function isAllowedHost(host: string | undefined, publicNames: readonly string[]): boolean {
  if (isLoopbackHost(host)) return true;
  if (!host || publicNames.length === 0) return false;
  const name = hostName(host);
  return name !== undefined && publicNames.includes(name);
}

/**
 * Compares a presented token with the real one in constant time: both are hashed to 32 bytes first,
 * so neither the content nor the length of the real token shows in the time taken.
 */
export function tokenMatches(given: string | undefined, token: string): boolean {
  if (given === undefined || given === '') return false;
  const a = createHash('sha256').update(given, 'utf8').digest();
  const b = createHash('sha256').update(token, 'utf8').digest();
  return timingSafeEqual(a, b);
}

function requestToken(req: IncomingMessage, url: URL): string | undefined {
  const header = req.headers.authorization;
  if (header && /^Bearer\s+/i.test(header)) return header.replace(/^Bearer\s+/i, '').trim();
  return url.searchParams.get('token') ?? undefined;
}

function sendJson(res: ServerResponse, status: number, body: unknown, extra: Record<string, string> = {}): void {
  const text = JSON.stringify(body, null, 2);
  res.writeHead(status, { ...SECURITY_HEADERS, 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text), ...extra });
  res.end(res.req.method === 'HEAD' ? undefined : text);
}

/** Starts the server on 127.0.0.1 (or `options.host` for a team server). */
export async function startStatusServer(options: StatusServerOptions): Promise<StatusServer> {
  const token = options.token ?? randomBytes(32).toString('base64url');
  const publicNames = options.publicHosts ?? [];
  const bindHost = options.host ?? '127.0.0.1';

  const serveFile = (res: ServerResponse, relative: string): void => {
    const root = normalize(options.rendererDir);
    const file = normalize(join(root, relative));
    if (!file.startsWith(root + sep) || !existsSync(file) || !statSync(file).isFile()) {
      sendJson(res, 404, { error: 'Not found' });
      return;
    }
    let body: Buffer | string = readFileSync(file);
    if (extname(file) === '.html') {
      // The current numbers ride along (main/services/dashboardPage.ts): the page renders them
      // without asking /api/status first. Not while a connection has never answered (a first
      // refresh under way): then the page asks /api/status itself once its script runs, as it
      // always did, and gets what came in meanwhile.
      const document = options.status();
      body = dashboardPage(root, token, awaitingFirstRefresh(document) ? null : document, options.isKept?.(document) ?? false);
    } else if (extname(file) === '.js') {
      // Lazily loaded chunks (the period chart) are imported by relative URL from the script,
      // which drops the page's query: name our own asset files with the token in the scripts too.
      const query = `?token=${encodeURIComponent(token)}`;
      const assets = new Set(readdirSync(join(root, 'assets')));
      body = body.toString('utf8').replace(/(["'`])((?:\.\/|assets\/)?)([\w.-]+\.(?:js|css))\1/g, (match, quote: string, prefix: string, name: string) =>
        assets.has(name) ? `${quote}${prefix}${name}${query}${quote}` : match,
      );
    }
    res.writeHead(200, { ...SECURITY_HEADERS, 'content-type': TYPES[extname(file)] ?? 'application/octet-stream', 'content-length': Buffer.byteLength(body) });
    res.end(res.req.method === 'HEAD' ? undefined : body);
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    if (!isAllowedHost(req.headers.host, publicNames)) {
      sendJson(res, 403, {
        error:
          publicNames.length === 0
            ? 'Forbidden: this server only answers requests addressed to 127.0.0.1 or localhost.'
            : 'Forbidden: this server only answers requests addressed to its loopback or --public-host names.',
      });
      return;
    }
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      sendJson(res, 405, { error: 'Method not allowed' }, { allow: 'GET, HEAD' });
      return;
    }
    // Liveness for load balancers and `up`-style checks: no token, and no data in the answer.
    if (url.pathname === '/healthz') {
      res.writeHead(200, { ...SECURITY_HEADERS, 'content-type': 'text/plain; charset=utf-8', 'content-length': 3 });
      res.end(req.method === 'HEAD' ? undefined : 'ok\n');
      return;
    }
    if (!tokenMatches(requestToken(req, url), token)) {
      // A person opening the dashboard without (or with an old) token gets a page that says
      // where the right URL is; scripts and the API keep the JSON answer.
      if (url.pathname === '/' || url.pathname === '/index.html') {
        res.writeHead(401, { ...SECURITY_HEADERS, 'content-type': 'text/html; charset=utf-8', 'content-length': Buffer.byteLength(TOKEN_PAGE), 'www-authenticate': 'Bearer realm="burnrate"' });
        res.end(req.method === 'HEAD' ? undefined : TOKEN_PAGE);
        return;
      }
      sendJson(res, 401, { error: 'Unauthorized: pass the access token as ?token=… or Authorization: Bearer …' }, { 'www-authenticate': 'Bearer realm="burnrate"' });
      return;
    }
    if (url.pathname === '/api/status') {
      sendJson(res, 200, options.status());
      return;
    }
    if (url.pathname === '/api/history' && options.history) {
      const answer = options.history(url.searchParams);
      sendJson(res, 'parameter' in answer ? 400 : 200, 'parameter' in answer ? { error: answer.error, parameter: answer.parameter } : answer);
      return;
    }
    if (url.pathname === '/api/export.csv' && options.exportCsv) {
      const csv = options.exportCsv();
      res.writeHead(200, {
        ...SECURITY_HEADERS,
        'content-type': 'text/csv; charset=utf-8',
        'content-disposition': 'attachment; filename="burnrate-export.csv"',
        'content-length': Buffer.byteLength(csv),
      });
      res.end(req.method === 'HEAD' ? undefined : csv);
      return;
    }
    if (url.pathname === '/metrics') {
      const metrics = await renderMetrics(options.status(), options.version === undefined ? undefined : { version: options.version });
      res.writeHead(200, { ...SECURITY_HEADERS, 'content-type': metrics.contentType, 'content-length': Buffer.byteLength(metrics.body) });
      res.end(req.method === 'HEAD' ? undefined : metrics.body);
      return;
    }
    if (!existsSync(join(options.rendererDir, 'index.html'))) {
      sendJson(res, 503, { error: 'The dashboard is not built: run `npm run build`. /api/status and /metrics work without it.' });
      return;
    }
    if (url.pathname === '/' || url.pathname === '/index.html') {
      serveFile(res, 'index.html');
      return;
    }
    if (url.pathname.startsWith('/assets/')) {
      let relative: string;
      try {
        relative = decodeURIComponent(url.pathname.slice(1));
      } catch {
        // Malformed percent-encoding names no file of ours: a plain 404, not a logged 500.
        sendJson(res, 404, { error: 'Not found' });
        return;
      }
      serveFile(res, relative);
      return;
    }
    sendJson(res, 404, { error: 'Not found' });
  };

  const limits: ServerLimits = { ...DEFAULT_SERVER_LIMITS, ...options.limits };
  const server: Server = createServer(
    {
      maxHeaderSize: limits.maxHeaderBytes,
      headersTimeout: limits.headersTimeoutMs,
      requestTimeout: limits.requestTimeoutMs,
      connectionsCheckingInterval: limits.checkIntervalMs,
      keepAliveTimeout: 5_000,
    },
    (req, res) => {
    handle(req, res).catch((error: unknown) => {
      options.logger.error('The status server failed to answer a request.', { message: (error as Error).message });
      if (!res.headersSent) sendJson(res, 500, { error: 'Internal error' });
      else res.destroy();
    });
    },
  );
  server.maxConnections = limits.maxConnections;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, bindHost, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  // Loopback servers print the loopback URL; a team server the first name its clients use.
  const shownHost = publicNames[0] ?? '127.0.0.1';
  return {
    port,
    token,
    url: `http://${shownHost}:${port}/?token=${encodeURIComponent(token)}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
