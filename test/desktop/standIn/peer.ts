/**
 * A tiny request/notify protocol over a message pipe (the Node IPC channel of a forked process).
 * Used on both sides of the harness: the test process (driver, Chromium pages) and the app process
 * (the built main bundle with the Electron stand-in). Everything crossing it is JSON.
 *
 * Written for Node's type stripping (the app process runs this file without a build step):
 * no parameter properties, no enums, `import type` only.
 */

/** One message on the pipe. */
export type PeerMessage =
  | { readonly kind: 'request'; readonly id: number; readonly method: string; readonly params: unknown }
  | { readonly kind: 'response'; readonly id: number; readonly ok: boolean; readonly value?: unknown; readonly error?: string }
  | { readonly kind: 'notify'; readonly method: string; readonly params: unknown };

/** The pipe: how to send, and a way to subscribe to what arrives. */
export interface PeerPipe {
  send(message: PeerMessage): void;
  onMessage(listener: (message: PeerMessage) => void): void;
}

type Handler = (params: never) => unknown;

/** One end of the protocol. */
export class Peer {
  private readonly pipe: PeerPipe;
  private nextId = 1;
  private readonly pending = new Map<number, { resolve: (value: unknown) => void; reject: (error: Error) => void }>();
  private readonly handlers = new Map<string, Handler>();
  private closedReason: string | undefined;

  constructor(pipe: PeerPipe) {
    this.pipe = pipe;
    pipe.onMessage((message) => this.receive(message));
  }

  /** Answers `method` requests and notifications with `fn` (its result or rejection is sent back). */
  handle<P, R>(method: string, fn: (params: P) => R | Promise<R>): void {
    this.handlers.set(method, fn as unknown as Handler);
  }

  /** Sends a request; resolves with the other side's answer, rejects with its error message. */
  request<R>(method: string, params: unknown = null): Promise<R> {
    if (this.closedReason !== undefined) return Promise.reject(new Error(`${method}: ${this.closedReason}`));
    const id = this.nextId++;
    return new Promise<R>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (value: unknown) => void, reject });
      this.pipe.send({ kind: 'request', id, method, params });
    });
  }

  /** Sends a one-way message. */
  notify(method: string, params: unknown = null): void {
    if (this.closedReason === undefined) this.pipe.send({ kind: 'notify', method, params });
  }

  /** Rejects everything pending (the other side went away). */
  close(reason: string): void {
    this.closedReason = reason;
    for (const [, pending] of this.pending) pending.reject(new Error(reason));
    this.pending.clear();
  }

  private receive(message: PeerMessage): void {
    if (message.kind === 'response') {
      const pending = this.pending.get(message.id);
      if (!pending) return;
      this.pending.delete(message.id);
      if (message.ok) pending.resolve(message.value);
      else pending.reject(new Error(message.error ?? 'unknown error'));
      return;
    }
    const handler = this.handlers.get(message.method);
    if (message.kind === 'notify') {
      if (!handler) return;
      Promise.resolve()
        .then(() => handler(message.params as never))
        .catch((error: unknown) => console.error(`[harness] ${message.method} failed:`, error));
      return;
    }
    const { id } = message;
    if (!handler) {
      this.pipe.send({ kind: 'response', id, ok: false, error: `No handler for ${message.method}` });
      return;
    }
    Promise.resolve()
      .then(() => handler(message.params as never))
      .then(
        (value) => this.pipe.send({ kind: 'response', id, ok: true, value: value === undefined ? null : value }),
        (error: unknown) => this.pipe.send({ kind: 'response', id, ok: false, error: error instanceof Error ? error.message : String(error) }),
      );
  }
}
