/** `burnrate watch`'s notifier is loaded at the first notification shown, once; a failed load is tried again at the next. */
import { describe, expect, it } from 'vitest';
import type { NotificationMessage, Notifier } from '../services/ports';
import { loadedOnFirstUse } from './watch';

const message = { title: 't', body: 'b', severity: 'warning' } as NotificationMessage;

describe('loadedOnFirstUse', () => {
  it('loads nothing until the first notification, then once', async () => {
    const shown: NotificationMessage[] = [];
    let loads = 0;
    const notifier = loadedOnFirstUse(async () => {
      loads += 1;
      return { notify: async (m) => void shown.push(m) } satisfies Notifier;
    });
    expect(loads).toBe(0);
    await Promise.all([notifier.notify(message), notifier.notify(message)]);
    await notifier.notify(message);
    expect(loads).toBe(1);
    expect(shown).toHaveLength(3);
  });

  it('fails the notification whose load failed, and loads again for the next', async () => {
    let loads = 0;
    const notifier = loadedOnFirstUse(async () => {
      loads += 1;
      if (loads === 1) throw new Error('no notifier module');
      return { notify: async () => undefined };
    });
    await expect(notifier.notify(message)).rejects.toThrow('no notifier module');
    await expect(notifier.notify(message)).resolves.toBeUndefined();
    expect(loads).toBe(2);
  });
});
