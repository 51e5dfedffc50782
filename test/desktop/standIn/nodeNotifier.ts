/**
 * The node-notifier stand-in: what `import notifier from 'node-notifier'` resolves to in the
 * desktop harness. It records every notification (visible to tests in AppState.notifications) and
 * behaves like the backend node-notifier picks for the harness platform:
 * - Linux (notify-send): answers at once; clicks are never reported (notify-send cannot).
 * - macOS / Windows with `wait: true`: answers when the person clicks (`'activate'`, and a
 *   'click' event) or when the notification times out; without `wait` it answers at once.
 * With `notificationFailure` set, every delivery fails with that message, like a missing daemon.
 */
import { EventEmitter } from 'node:events';
import { harnessConfig, peer, recordNotification } from './electron.ts';
import type { NotificationRecord } from './protocol.ts';

type Callback = (error: Error | null, response?: string, metadata?: Record<string, unknown>) => void;

interface Pending {
  readonly record: NotificationRecord;
  readonly options: Record<string, unknown>;
  readonly callback: Callback;
}

const waiting = new Map<number, Pending>();
let nextId = 1;

class NotifierStandIn extends EventEmitter {
  notify(options: Record<string, unknown> | string, callback?: Callback): this {
    const opts: Record<string, unknown> = typeof options === 'string' ? { title: 'node-notifier', message: options } : { ...options };
    const done: Callback = callback ?? (() => undefined);
    const failure = harnessConfig.notificationFailure;
    const clickable = opts.wait === true && harnessConfig.platform !== 'linux';
    const record: NotificationRecord = {
      id: nextId++,
      title: String(opts.title ?? ''),
      message: String(opts.message ?? ''),
      wait: opts.wait === true,
      delivered: failure === null,
      options: JSON.parse(JSON.stringify(opts)) as Record<string, unknown>,
    };
    recordNotification(record);
    if (failure !== null) {
      setImmediate(() => done(new Error(failure)));
    } else if (clickable) {
      waiting.set(record.id, { record, options: opts, callback: done });
    } else {
      setImmediate(() => done(null, ''));
    }
    return this;
  }
}

const notifier = new NotifierStandIn();

peer.handle('notification.click', (params: { id: number }) => {
  const pending = waiting.get(params.id);
  if (!pending) throw new Error(`Notification ${params.id} cannot be clicked: it was not shown with wait: true on a platform that reports clicks, or it is gone.`);
  waiting.delete(params.id);
  const metadata = { activationType: 'contentsClicked' };
  pending.callback(null, 'activate', metadata);
  notifier.emit('click', notifier, pending.options, metadata);
});
peer.handle('notification.timeout', (params: { id: number }) => {
  const pending = waiting.get(params.id);
  if (!pending) throw new Error(`Notification ${params.id} is not waiting.`);
  waiting.delete(params.id);
  pending.callback(null, 'timeout', {});
  notifier.emit('timeout', notifier, pending.options, {});
});

export default notifier;
