/**
 * The parts of undici Burnrate's HTTP client uses: the keep-alive Agent and its `request`, loaded
 * by their files instead of undici's index. The index loads all of undici (fetch, WebSocket,
 * EventSource, the cache stores with their SQLite, mock agents, proxy agents, interceptors):
 * measured in Node 24, requiring the index and sending one request left the process 8 MB larger
 * than these two files and the same request (resident code of the Node binary +4 MB, V8 heap
 * +2.7 MB live), and the index took 142 ms to load against 89 ms cold. `burnrate watch` keeps
 * that for its whole life (README, Performance).
 *
 * undici has no `exports` map, so its files are importable. Its version is pinned in package.json,
 * and every provider test sends real HTTP through this path.
 *
 * HTTP/1.1 only: the Agent is made with `allowH2: false` (./http.ts), and undici's HTTP/2 client
 * file is never loaded. undici's client requires it at load whatever the option, and it requires
 * `node:http2` (nghttp2's bindings and Node's HTTP/2 layer): measured in Node 24, 4.4 MB of a bare
 * process's RSS at require. `burnrate watch` (3 × 5 heavy connections) peaked at 122.0–123.7 MB
 * in three runs without that file, 125.1–126.5 MB with it, and 96–99 MB once quiet against 100–115.
 * Burnrate sends a few small GETs per refresh over kept-alive connections, where HTTP/2's
 * multiplexing gains nothing. The file is replaced in `require.cache` (Node's documented
 * module cache) by a module whose function throws, which `allowH2: false` never calls.
 */
import { createRequire, Module } from 'node:module';
import type { Agent, Dispatcher } from 'undici';

/** The Agent class and a `request` bound to no dispatcher yet. */
export interface UndiciParts {
  readonly Agent: typeof Agent;
  /** Sends one request through `dispatcher` (undici's `Dispatcher#request`). */
  readonly request: (dispatcher: Dispatcher, options: Dispatcher.RequestOptions) => Promise<Dispatcher.ResponseData>;
}

/**
 * Loads the Agent and `request` (Node caches the modules). By `require`: they are CommonJS, and
 * `require` gives their `module.exports` under every loader; a dynamic `import` gave an empty
 * namespace the second time jiti (which runs `npm run bench`) imported the same file.
 */
export function loadUndiciParts(): UndiciParts {
  const require = createRequire(import.meta.url);
  withoutHttp2(require);
  const AgentClass = require('undici/lib/dispatcher/agent.js') as typeof Agent;
  const send = require('undici/lib/api/api-request.js') as (this: Dispatcher, options: Dispatcher.RequestOptions) => Promise<Dispatcher.ResponseData>;
  return { Agent: AgentClass, request: (dispatcher, options) => send.call(dispatcher, options) };
}

/** undici's HTTP/2 client, as a module specifier. */
const UNDICI_H2_FILE = 'undici/lib/dispatcher/client-h2.js';

/**
 * Puts a stand-in for undici's HTTP/2 client into the module cache, unless it is loaded already.
 * Should a later undici move the file, nothing is replaced and undici loads as it is (the test
 * that a refresh loads no `node:http2`, test/cli/instantStart.test.ts, then fails).
 */
function withoutHttp2(require: NodeJS.Require): void {
  let file: string;
  try {
    file = require.resolve(UNDICI_H2_FILE);
  } catch {
    return;
  }
  if (require.cache[file] !== undefined) return;
  const standIn = new Module(file);
  standIn.filename = file;
  standIn.loaded = true;
  standIn.exports = function connectH2(): never {
    throw new Error('HTTP/2 is off in Burnrate (allowH2: false); undici asked for it all the same.');
  };
  require.cache[file] = standIn;
}
