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
 */
import { createRequire } from 'node:module';
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
  const AgentClass = require('undici/lib/dispatcher/agent.js') as typeof Agent;
  const send = require('undici/lib/api/api-request.js') as (this: Dispatcher, options: Dispatcher.RequestOptions) => Promise<Dispatcher.ResponseData>;
  return { Agent: AgentClass, request: (dispatcher, options) => send.call(dispatcher, options) };
}
