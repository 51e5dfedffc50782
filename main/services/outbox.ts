/**
 * The notification outbox: alert notifications that were decided and saved, waiting to be shown.
 *
 * A notification is delivered only after the decision that produced it is on disk (`saveDecision`
 * runs before every delivery), and it leaves the outbox only once the notifier accepted it (or
 * after a day of failures: an OS without a notification daemon must not grow the file forever).
 * So a crash never repeats a decided alert and never loses one: a notification decided but not
 * shown is shown at the next start, once.
 *
 * With a shared store (the spend database) each attempt is claimed first, so of several processes
 * holding the same notification exactly one shows it; the others forget it once it is settled.
 */
import type { AlertNotification } from '../core/alerts';
import type { Clock, Logger, Notifier } from './ports';

/** A notification the notifier keeps refusing is dropped from the outbox after this long. */
export const OUTBOX_MAX_AGE_MS = 24 * 60 * 60_000;

/** Options of {@link Outbox}. */
export interface OutboxOptions {
  /** Without a notifier nothing is delivered (the notifications stay queued). */
  readonly notifier: Notifier | undefined;
  readonly clock: Clock;
  readonly logger: Logger;
  /** Writes any pending decision now; called before each delivery. */
  readonly saveDecision: () => void;
  /** The outbox changed (a notification left it); the owner saves it soon. */
  readonly onChange: () => void;
  /** Called once for every notification, after the first attempt to show it. */
  readonly onNotification?: (notification: AlertNotification, delivered: boolean) => void;
  /**
   * Asked before each delivery attempt (the person's preferences): `hold` keeps the notification
   * for a later attempt (pause, quiet hours; still dropped after a day), `drop` removes it unshown
   * (its rule is switched off). Default: show.
   */
  readonly gate?: (notification: AlertNotification) => 'show' | 'hold' | 'drop';
  /**
   * Claims an attempt in a store shared with other processes (see RuntimeStore.claim): `settled`
   * forgets the notification, `busy` leaves it for a later attempt. Default: always claimed.
   */
  readonly claim?: (notification: AlertNotification) => 'claimed' | 'settled' | 'busy';
  /** Ends a claim (see RuntimeStore.settle). */
  readonly settle?: (notification: AlertNotification, outcome: 'delivered' | 'dropped' | 'released') => void;
}

/** Decided, persisted notifications and their delivery, one delivery chain at a time. */
export class Outbox {
  private queue: AlertNotification[] = [];
  /** Deliveries run one after another; this is the tail of that chain. */
  private flushing: Promise<void> = Promise.resolve();
  /** Notifications already reported through onNotification (retries are not printed twice). */
  private readonly announced = new Set<string>();

  constructor(private readonly options: OutboxOptions) {}

  /** The notifications waiting, oldest first (what the snapshot store saves). */
  get pending(): readonly AlertNotification[] {
    return this.queue;
  }

  /** The tail of the delivery chain: settles when every delivery started so far has finished. */
  get settled(): Promise<void> {
    return this.flushing;
  }

  /** Replaces the queue (notifications loaded from the snapshot store at start). */
  restore(notifications: readonly AlertNotification[]): void {
    this.queue = [...notifications];
  }

  /** Queues new decisions. The caller saves them before the next {@link flush}. */
  add(notifications: readonly AlertNotification[]): void {
    this.queue.push(...notifications);
  }

  /** Shows the queued notifications after the deliveries already running (never the same one twice at once). */
  flush(): Promise<void> {
    this.flushing = this.flushing.then(
      () => this.deliver(),
      () => this.deliver(),
    );
    return this.flushing;
  }

  private async deliver(): Promise<void> {
    const { notifier, logger } = this.options;
    if (!notifier) return;
    for (const notification of [...this.queue]) {
      if (!this.queue.includes(notification)) continue;
      const verdict = this.options.gate?.(notification) ?? 'show';
      if (verdict !== 'show') {
        if (verdict === 'drop' || this.expired(notification)) this.dropUnshown(notification);
        continue;
      }
      // The decision is on disk before anything is shown.
      this.options.saveDecision();
      const claim = this.claim(notification);
      if (claim === 'settled') {
        this.forget(notification);
        continue;
      }
      if (claim === 'busy') continue;
      const identity = `${notification.key}@${notification.atMs}`;
      let delivered = false;
      try {
        await notifier.notify({ title: notification.title, body: notification.body, severity: notification.severity, workspaceId: notification.workspaceId });
        delivered = true;
      } catch (error) {
        // Said once per notification: a machine without a notification service retries for a day.
        if (!this.announced.has(identity)) logger.warn(`Notification not shown (retried at each refresh for 24 h): ${(error as Error).message}`);
      }
      // Kept for the next attempt for a day; an OS without a notification daemon must not grow the file forever.
      const gaveUp = !delivered && this.expired(notification);
      this.settle(notification, delivered ? 'delivered' : gaveUp ? 'dropped' : 'released');
      if (delivered || gaveUp) this.forget(notification);
      if (!this.announced.has(identity)) {
        this.announced.add(identity);
        try {
          this.options.onNotification?.(notification, delivered);
        } catch (error) {
          logger.error('A notification listener failed.', { message: (error as Error).message });
        }
      }
    }
  }

  /** Waited a day: kept no longer, shown or not. */
  private expired(notification: AlertNotification): boolean {
    return this.options.clock.now() - notification.atMs >= OUTBOX_MAX_AGE_MS;
  }

  /** Takes a notification out of the outbox unshown (its rule is off, or it waited a day). */
  private dropUnshown(notification: AlertNotification): void {
    const claim = this.claim(notification);
    if (claim === 'busy') return;
    if (claim === 'claimed') this.settle(notification, 'dropped');
    this.forget(notification);
  }

  /** A store that cannot answer now (locked, failing) counts as busy: the next flush tries again. */
  private claim(notification: AlertNotification): 'claimed' | 'settled' | 'busy' {
    try {
      return this.options.claim?.(notification) ?? 'claimed';
    } catch (error) {
      this.options.logger.error('Could not claim a notification for showing; trying again later.', { message: (error as Error).message });
      return 'busy';
    }
  }

  private settle(notification: AlertNotification, outcome: 'delivered' | 'dropped' | 'released'): void {
    try {
      this.options.settle?.(notification, outcome);
    } catch (error) {
      this.options.logger.error('Could not record a notification as shown.', { message: (error as Error).message });
    }
  }

  private forget(notification: AlertNotification): void {
    this.queue = this.queue.filter((n) => n !== notification);
    this.options.onChange();
  }
}
