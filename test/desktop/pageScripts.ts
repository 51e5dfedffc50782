/**
 * The two scripts every harness window gets before any page script runs (Chrome DevTools
 * Protocol `Page.addScriptToEvaluateOnNewDocument`):
 *
 * - the PRELOAD WORLD script runs in an isolated world (like Electron's context isolation). It
 *   gives the real built preload (out/preload/index.cjs) a `require` that knows only 'electron',
 *   which is the stand-in's `contextBridge` and `ipcRenderer`. ipcRenderer talks to main through
 *   a CDP binding that exists only in this world.
 * - the MAIN WORLD script is the page side of contextBridge: it defines what the preload exposed
 *   (`window.burnrate`) as frozen proxies that call into the isolated world through DOM events
 *   (synchronous, JSON copies: like contextBridge, nothing but data and functions crosses).
 *
 * The page therefore sees `window.burnrate` and no `require`, `process` or `ipcRenderer`.
 */

/** Name of the isolated world the preload runs in. */
export const PRELOAD_WORLD = 'burnrate-preload';
/** CDP binding (visible only in the preload world) carrying ipcRenderer traffic to the harness. */
export const IPC_BINDING = '__burnrateHarnessIpc';

/** Messages the preload world sends through the binding. */
export type BindingMessage =
  | { readonly type: 'ready' }
  | { readonly type: 'invoke'; readonly id: number; readonly channel: string; readonly args: unknown[] }
  | { readonly type: 'send'; readonly channel: string; readonly args: unknown[] };

/* eslint-disable @typescript-eslint/no-explicit-any -- page-side code works on untyped JSON. */

/** Runs in the page's main world. Serialized with Function#toString: self-contained. */
function mainWorld(): void {
  const doc = document;
  const on = EventTarget.prototype.addEventListener;
  const dispatch = EventTarget.prototype.dispatchEvent;
  const Custom = CustomEvent;
  const parse = JSON.parse;
  const stringify = JSON.stringify;
  const freeze = Object.freeze;
  const define = Object.defineProperty;
  let lastReturn: any;
  let nextCallback = 1;
  let nextCall = 1;
  const callbacks = new Map<number, (...args: unknown[]) => unknown>();
  const promises = new Map<number, { resolve: (value: unknown) => void; reject: (error: Error) => void }>();
  const send = (name: string, detail: unknown) => dispatch.call(doc, new Custom(`burnrate-harness:${name}`, { detail: stringify(detail) }));
  const decode = (encoded: any): unknown => {
    if (encoded === null || typeof encoded !== 'object') return undefined;
    if ('fn' in encoded) return makeFunction(encoded.fn);
    if ('obj' in encoded) {
      const object: Record<string, unknown> = {};
      for (const key of Object.keys(encoded.obj)) object[key] = decode(encoded.obj[key]);
      return freeze(object);
    }
    if ('promise' in encoded) return new Promise((resolve, reject) => promises.set(encoded.promise, { resolve, reject }));
    if ('error' in encoded) throw new Error(encoded.error);
    return encoded.value;
  };
  const encodeArgument = (value: unknown): unknown => {
    if (typeof value === 'function') {
      const id = nextCallback++;
      callbacks.set(id, value as (...args: unknown[]) => unknown);
      return { cb: id };
    }
    return { value };
  };
  const makeFunction = (fnId: number) =>
    function bridged(...args: unknown[]): unknown {
      const call = nextCall++;
      lastReturn = undefined;
      send('call', { fnId, call, args: args.map(encodeArgument) });
      const answer = lastReturn;
      lastReturn = undefined;
      if (!answer || answer.call !== call) throw new Error('contextBridge (harness): the preload world did not answer.');
      return decode(answer.result);
    };
  on.call(doc, 'burnrate-harness:expose', (event: Event) => {
    const { key, shape } = parse((event as CustomEvent<string>).detail);
    define(window, key, { value: decode(shape), enumerable: true, configurable: false, writable: false });
  });
  on.call(doc, 'burnrate-harness:return', (event: Event) => {
    lastReturn = parse((event as CustomEvent<string>).detail);
  });
  on.call(doc, 'burnrate-harness:settle', (event: Event) => {
    const { promise, ok, value, error } = parse((event as CustomEvent<string>).detail);
    const pending = promises.get(promise);
    if (!pending) return;
    promises.delete(promise);
    if (ok) pending.resolve(decode(value));
    else pending.reject(new Error(error));
  });
  on.call(doc, 'burnrate-harness:callback', (event: Event) => {
    const { cb, args } = parse((event as CustomEvent<string>).detail);
    callbacks.get(cb)?.(...(args as unknown[]));
  });
}

/** Runs in the preload world; `PRELOAD_SOURCE` is replaced by the built preload's text. */
function preloadWorld(bindingName: string): void {
  if (window !== window.top) return;
  const g = globalThis as any;
  const binding: (payload: string) => void = g[bindingName];
  delete g[bindingName];
  const doc = document;
  const send = (name: string, detail: unknown) => doc.dispatchEvent(new CustomEvent(`burnrate-harness:${name}`, { detail: JSON.stringify(detail) }));
  const notImplemented = (api: string): never => {
    throw new Error(`Electron stand-in: ${api} is not implemented in the preload (test/desktop/pageScripts.ts).`);
  };
  const guarded = <T extends object>(name: string, target: T): T =>
    new Proxy(target, {
      get(object, property, receiver) {
        if (typeof property === 'symbol' || property in object || property === 'then') return Reflect.get(object, property, receiver);
        return notImplemented(`${name}.${String(property)}`);
      },
    });

  // ipcRenderer over the CDP binding.
  let nextInvoke = 1;
  const invokes = new Map<number, { resolve: (value: unknown) => void; reject: (error: Error) => void }>();
  const listeners = new Map<string, Set<(...args: unknown[]) => void>>();
  const copy = (value: unknown): unknown => (value === undefined ? undefined : JSON.parse(JSON.stringify(value)));
  const ipcRenderer: any = guarded('ipcRenderer', {
    invoke(channel: string, ...args: unknown[]): Promise<unknown> {
      return new Promise((resolve, reject) => {
        const id = nextInvoke++;
        invokes.set(id, { resolve, reject });
        binding(JSON.stringify({ type: 'invoke', id, channel, args: args.map(copy) }));
      });
    },
    send(channel: string, ...args: unknown[]): void {
      binding(JSON.stringify({ type: 'send', channel, args: args.map(copy) }));
    },
    on(channel: string, listener: (...args: unknown[]) => void) {
      if (!listeners.has(channel)) listeners.set(channel, new Set());
      listeners.get(channel)!.add(listener);
      return ipcRenderer;
    },
    once(channel: string, listener: (...args: unknown[]) => void) {
      const once = (...args: unknown[]) => {
        ipcRenderer.removeListener(channel, once);
        listener(...args);
      };
      return ipcRenderer.on(channel, once);
    },
    removeListener(channel: string, listener: (...args: unknown[]) => void) {
      listeners.get(channel)?.delete(listener);
      return ipcRenderer;
    },
    off(channel: string, listener: (...args: unknown[]) => void) {
      return ipcRenderer.removeListener(channel, listener);
    },
    removeAllListeners(channel?: string) {
      if (channel === undefined) listeners.clear();
      else listeners.delete(channel);
      return ipcRenderer;
    },
    listenerCount(channel: string) {
      return listeners.get(channel)?.size ?? 0;
    },
  });
  // The harness calls these through Runtime.evaluate in this world.
  Object.defineProperty(g, '__burnrateHarness', {
    value: Object.freeze({
      settle(id: number, ok: boolean, value: unknown, error: string) {
        const pending = invokes.get(id);
        if (!pending) return;
        invokes.delete(id);
        if (ok) pending.resolve(value);
        else pending.reject(new Error(error));
      },
      deliver(channel: string, args: unknown[]) {
        for (const listener of [...(listeners.get(channel) ?? [])]) listener({ sender: ipcRenderer, senderId: 0 }, ...args);
      },
      listenerCount(channel: string) {
        return listeners.get(channel)?.size ?? 0;
      },
    }),
  });

  // contextBridge: functions by reference (a table here), data as JSON copies.
  let nextFunction = 1;
  let nextPromise = 1;
  const functions = new Map<number, (...args: unknown[]) => unknown>();
  const encode = (value: unknown): unknown => {
    if (typeof value === 'function') {
      const id = nextFunction++;
      functions.set(id, value as (...args: unknown[]) => unknown);
      return { fn: id };
    }
    if (value !== null && typeof value === 'object' && !Array.isArray(value) && Object.getPrototypeOf(value) === Object.prototype) {
      const obj: Record<string, unknown> = {};
      for (const [key, entry] of Object.entries(value)) obj[key] = encode(entry);
      return { obj };
    }
    if (value !== null && typeof value === 'object' && typeof (value as { then?: unknown }).then === 'function') {
      const promise = nextPromise++;
      (value as Promise<unknown>).then(
        (resolved) => send('settle', { promise, ok: true, value: encode(resolved) }),
        (error: unknown) => send('settle', { promise, ok: false, error: error instanceof Error ? error.message : String(error) }),
      );
      return { promise };
    }
    return { value: copy(value) };
  };
  doc.addEventListener('burnrate-harness:call', (event) => {
    const { fnId, call, args } = JSON.parse((event as CustomEvent<string>).detail);
    const fn = functions.get(fnId);
    let result: unknown;
    try {
      if (!fn) throw new Error('contextBridge (harness): unknown function');
      const decoded = (args as any[]).map((arg) =>
        'cb' in arg ? (...callbackArgs: unknown[]) => send('callback', { cb: arg.cb, args: callbackArgs.map(copy) }) : arg.value,
      );
      result = encode(fn(...decoded));
    } catch (error) {
      result = { error: error instanceof Error ? error.message : String(error) };
    }
    send('return', { call, result });
  });
  const contextBridge = guarded('contextBridge', {
    exposeInMainWorld(key: string, api: unknown) {
      send('expose', { key, shape: encode(api) });
    },
  });

  const electron = guarded('electron (preload)', { contextBridge, ipcRenderer });
  const require = (name: string): unknown => {
    if (name === 'electron') return electron;
    throw new Error(`Cannot find module '${name}' (a sandboxed preload can require only 'electron' here)`);
  };
  const module = { exports: {} as unknown };
  void g.__PRELOAD_SOURCE__;
  binding(JSON.stringify({ type: 'ready' }));
  void require;
  void module;
}

/* eslint-enable @typescript-eslint/no-explicit-any */

/** The main-world script. */
export function mainWorldScript(): string {
  return `(${mainWorld.toString()})();`;
}

/**
 * The preload-world script: the built preload's CommonJS text runs inside a function whose only
 * `require` is the stand-in's (and `module`/`exports` are local).
 */
export function preloadWorldScript(preloadSource: string): string {
  const wrapped = `(function (require, module, exports) {\n${preloadSource}\n})(require, module, module.exports);`;
  const body = preloadWorld.toString().replace(/void g\.__PRELOAD_SOURCE__;?/, () => wrapped);
  if (body === preloadWorld.toString()) throw new Error('pageScripts: the preload marker was not found.');
  return `(${body})(${JSON.stringify(IPC_BINDING)});`;
}
