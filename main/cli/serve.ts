/**
 * `burnrate serve` and `burnrate demo`: the dashboard, JSON, CSV and Prometheus endpoints over
 * loopback HTTP (or, as a team server, on a named address with a stable token), refreshing in the
 * background. The demo runs the same server on every registered provider's fake.
 */
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { HistoryDocument, StatusDocument } from '../../preload/api';
import { exportCsv, exportRows } from '../core/export';
import type { BurnrateConfig } from '../services/config';
import { longRunningHeap } from '../services/heapMode';
import { buildHistoryDocument, parseHistoryQuery, type HistoryQueryProblem } from '../services/history';
import type { StatusServer } from '../services/httpServer';
import type { SpendDb } from '../services/spendDb';
import { optionFlag, optionText, UsageError, VERSION, type ParsedOptions } from './args';
import { createCliRuntime, EXIT, loadCliConfig, namespaceFor, openCliStore, rendererDir, safeText, stderrLogger, waitForSignal, type CliIo } from './io';
import { listenAddress, publicHosts, type ListenAddress } from './listen';
import { printStatusOnce } from './status';
import { resolveToken } from './token';

/** With a kept document, the engine is made this long after the URL is printed, unless a request needs it sooner (see `serve`). */
const ENGINE_START_DELAY_MS = 2_000;

/** How long the document made at start may answer the first request instead of a new one (see `serve`). */
const FIRST_DOCUMENT_MAX_AGE_MS = 2_000;

/** Default port of `serve` and `demo`. */
const DEFAULT_PORT = 8787;

/** Where and how `serve` listens: the address, the names of a team server, and its token. */
interface ServeTarget {
  readonly address: ListenAddress;
  readonly publicHosts: readonly string[];
  readonly token: string | undefined;
}

async function serve(io: CliIo, config: BurnrateConfig, target: ServeTarget, demo: boolean): Promise<number> {
  const { address, token } = target;
  const port = address.port;
  const where = address.host.includes(':') ? `[${address.host}]:${port}` : `${address.host}:${port}`;
  // A long-running engine: a small, tightly grown heap (main/services/heapMode.ts).
  longRunningHeap();
  const signal = waitForSignal();
  let server: StatusServer | undefined;
  let engine: ReturnType<typeof createCliRuntime> | undefined;
  let opened: ReturnType<typeof openCliStore> | undefined;
  // Settles with the engine's first refresh round (the engine may start late: see `running`).
  let firstRoundEnded: (round: Promise<void>) => void = () => undefined;
  const firstRound = new Promise<void>((resolve) => (firstRoundEnded = resolve));
  let startTimer: ReturnType<typeof setTimeout> | undefined;
  // The server is up before the engine. The engine is made right after the URL is printed, or,
  // when a kept document can answer the page, ENGINE_START_DELAY_MS after it (the browser loads
  // the page meanwhile: making the engine holds the event loop for a tenth of a second, which
  // measured, it spent blocking the page's scripts); any request that needs it sooner (a live
  // /api/status, as the page asks 2 s after it loaded, /metrics, CSV, history) makes it at once.
  const running = (): ReturnType<typeof createCliRuntime> => {
    if (engine !== undefined) return engine;
    clearTimeout(startTimer);
    engine = createCliRuntime(io, config, { timeoutMs: 30_000, quiet: false, demo, onRefresh: () => (first = undefined), ...(opened === undefined ? {} : { opened }) });
    io.stderr(`Refreshing the connections whose stored data is older than ${Math.round(config.refreshIntervalMs / 1000)} s…\n`);
    // Connections the spend database holds fresh (younger than the refresh interval) are not
    // fetched again at start, as with `status`; the others are. Ctrl+C during a slow first
    // refresh stops at once instead of after the providers' timeouts.
    firstRoundEnded(engine.runtime.start({ maxAgeMs: config.refreshIntervalMs }));
    return engine;
  };
  // The first request for a document (the page, which carries it) takes the one ready at start,
  // if no refresh has ended since; every later one is made anew. Ready at start is, at best, the
  // latest document an earlier run kept in the spend database for this configuration (`kept`: no
  // summary to make before the page can be answered; the page asks for a live one soon after),
  // else one made at start, while the browser loads the page, at most FIRST_DOCUMENT_MAX_AGE_MS old.
  let first: { readonly document: StatusDocument; readonly madeMs: number } | undefined;
  let kept: StatusDocument | undefined;
  const status = (): StatusDocument => {
    const made = first;
    first = undefined;
    return made !== undefined && (made.document === kept || Date.now() - made.madeMs <= FIRST_DOCUMENT_MAX_AGE_MS) ? made.document : running().runtime.status();
  };
  try {
    // Listen first: a busy port is reported at once, and the URL is printed before the spend
    // database is read, so the browser connects while it is. The server (and prom-client with
    // it) is loaded only by the commands that serve.
    const { startStatusServer } = await import('../services/httpServer');
    try {
      server = await startStatusServer({
        status,
        isKept: (document) => document === kept,
        exportCsv: () => safeText(config, exportCsv(exportRows(running().runtime.periodReports()))),
        history: (params) => historyAnswer(config, running().db!)(params),
        rendererDir: rendererDir(),
        port,
        host: address.host,
        publicHosts: target.publicHosts,
        logger: stderrLogger(io, config, true),
        version: VERSION,
        ...(token === undefined ? {} : { token }),
      });
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      throw new UsageError(code === 'EADDRINUSE' ? `port ${port} is in use; pass --port N (0 picks a free port)` : `cannot listen on ${where}: ${(error as Error).message}`);
    }
    if (!address.loopback) {
      io.stderr(
        `burnrate: warning: listening on ${where}, reachable from other machines over plain HTTP. ` +
          'Terminate TLS in front of it (a reverse proxy such as nginx or Caddy): the token travels with every request.\n',
      );
    }
    // The URL at once: the dashboard shows the stored numbers (or "loading") until the first
    // refresh is done, and a script can start polling right away.
    if (demo) io.stdout('Burnrate demo data: the numbers come from built-in fake providers, not real spend.\n');
    io.stdout(`Burnrate dashboard: ${server.url}\n`);
    const base = new URL(server.url).origin;
    io.stdout(`JSON: ${base}/api/status   History: ${base}/api/history   CSV: ${base}/api/export.csv   Prometheus: ${base}/metrics   (token required; Ctrl+C to stop)\n`);
    // The spend database first: its kept document (if any) answers the page at once.
    opened = openCliStore(io, config, stderrLogger(io, config, false));
    kept = opened.store.storedStatus() ?? undefined;
    if (kept !== undefined) {
      first = { document: kept, madeMs: Date.now() };
      startTimer = setTimeout(running, ENGINE_START_DELAY_MS);
    } else {
      // The first answer is made now, while the browser loads the page: after start() has taken
      // the fresh connections as current data (synchronously), so it is what a request would get.
      first = { document: running().runtime.status(), madeMs: Date.now() };
    }
    const interrupted = await Promise.race([firstRound.then(() => false), signal.then(() => true)]);
    if (!interrupted) await signal;
    io.stderr('Stopping…\n');
    return EXIT.ok;
  } finally {
    clearTimeout(startTimer);
    await server?.close();
    if (engine !== undefined) await engine.close();
    else opened?.db.close();
  }
}

/** `GET /api/history` over the spend database of this config (main/services/history.ts). */
function historyAnswer(config: BurnrateConfig, db: SpendDb): (params: URLSearchParams) => HistoryDocument | HistoryQueryProblem {
  const ids = config.workspaces.map((w) => w.workspace.id);
  return (params) => {
    const nowMs = Date.now();
    const query = parseHistoryQuery(params, nowMs, ids, config.secrets);
    if ('parameter' in query) return query;
    return buildHistoryDocument(config, query, db.historyBuckets(namespaceFor(config.file), query.fromMs, query.toMs), nowMs);
  };
}

function tokenFor(io: CliIo, values: ParsedOptions): string | undefined {
  const resolved = resolveToken(optionText(values, 'token-file'), io.env);
  for (const warning of resolved.warnings) io.stderr(`burnrate: warning: ${warning}\n`);
  if (resolved.source === 'created') io.stderr(`burnrate: created ${optionText(values, 'token-file')} with a new access token (mode 0600); later starts reuse it.\n`);
  return resolved.token;
}

/** `burnrate serve [--port N] [--listen ADDR --public-host NAME] [--token-file FILE]`. */
export async function serveCommand(io: CliIo, values: ParsedOptions): Promise<number> {
  const address = listenAddress(optionText(values, 'listen'), optionText(values, 'port'), DEFAULT_PORT);
  const names = publicHosts(optionText(values, 'public-host'));
  if (!address.loopback) {
    // A team server is reached by name from other machines: a token that changes at every start
    // would break every client, and without names the Host check (DNS rebinding) would refuse them all.
    if (values['token-file'] === undefined && (io.env.BURNRATE_TOKEN ?? '') === '') {
      throw new UsageError(`--listen ${optionText(values, 'listen')} is not a loopback address: set BURNRATE_TOKEN or pass --token-file FILE for a stable token`, 'serve');
    }
    if (names.length === 0) {
      throw new UsageError(`--listen ${optionText(values, 'listen')} is not a loopback address: name the server with --public-host NAME (the host clients use)`, 'serve');
    }
  }
  const token = tokenFor(io, values);
  return serve(io, loadCliConfig(io, optionText(values, 'config')), { address, publicHosts: names, token }, false);
}

/** `burnrate demo [--port N] [--once [--json]]`: the fakes of every registered provider, two teams. */
export async function demoCommand(io: CliIo, values: ParsedOptions): Promise<number> {
  const address = listenAddress(undefined, optionText(values, 'port'), DEFAULT_PORT);
  const token = tokenFor(io, values);
  // The fakes are loaded by the demo only.
  const { startDemo } = await import('../demo/demo');
  const demo = await startDemo();
  const dir = mkdtempSync(join(tmpdir(), 'burnrate-demo-'));
  try {
    const file = join(dir, 'config.json');
    writeFileSync(file, JSON.stringify(demo.config, null, 2), { mode: 0o600 });
    chmodSync(file, 0o600);
    // Demo snapshots live with the demo config and vanish with it.
    const demoIo: CliIo = { ...io, env: { ...io.env, BURNRATE_STATE_DIR: dir } };
    const config = loadCliConfig(demoIo, file);
    if (optionFlag(values, 'once')) {
      // The table says "Demo data" itself; JSON says `"demo": true`, and people reading the terminal get this line.
      if (optionFlag(values, 'json')) io.stderr('Burnrate demo data: the numbers come from built-in fake providers, not real spend.\n');
      return await printStatusOnce(demoIo, config, { json: optionFlag(values, 'json'), check: false, demo: true });
    }
    return await serve(demoIo, config, { address, publicHosts: [], token }, true);
  } finally {
    await demo.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}
