/**
 * Native notifications through node-notifier (Notification Center on macOS, toast on Windows,
 * notify-send → org.freedesktop.Notifications on Linux). Plain Node: used by the tray app and by
 * `burnrate watch`.
 */
import notifier from 'node-notifier';
import type { NotificationMessage, Notifier } from './ports';

/** Options of {@link createNodeNotifier}. */
export interface NodeNotifierOptions {
  /** App name shown by the notification server. */
  readonly appName?: string;
  /** Icon path (PNG). */
  readonly icon?: string;
  /**
   * Called when the person clicks a notification. Needs a backend that reports clicks
   * (`reportClicks`: macOS Notification Center and Windows toasts do; notify-send on Linux does
   * not). Then node-notifier waits for the click or the timeout, so `notify` resolves only then.
   */
  readonly onClick?: (message: NotificationMessage) => void;
  /** Whether the platform's backend reports clicks (not notify-send). Default false. */
  readonly reportClicks?: boolean;
  /** Windows toasts: the app user model id they are shown under (the installer's appId). */
  readonly appId?: string;
}

/** Creates a Notifier that resolves when the OS accepted the notification and rejects with its error. */
export function createNodeNotifier(options: NodeNotifierOptions = {}): Notifier {
  const wait = options.onClick !== undefined && options.reportClicks === true;
  return {
    notify(message: NotificationMessage): Promise<void> {
      return new Promise((resolve, reject) => {
        notifier.notify(
          {
            title: message.title,
            message: message.body,
            ...(options.icon ? { icon: options.icon } : {}),
            ...(options.appId ? { appID: options.appId } : {}),
            // Linux (notify-send): urgency and app name; other platforms ignore unknown keys.
            ...({ urgency: message.severity === 'critical' ? 'critical' : 'normal', 'app-name': options.appName ?? 'Burnrate' } as object),
            wait,
          },
          (error: Error | null, response?: string) => {
            if (error) {
              // notify-send's error repeats the whole command line; the first line says enough.
              const reason = (error.message.split('\n').find((line) => line.trim()) ?? 'unknown error').trim().slice(0, 160);
              reject(new Error(`The notification could not be shown: ${reason}`, { cause: error }));
            }
            else {
              resolve();
              // node-notifier normalises "clicked"/"contentsClicked" to 'activate'.
              if (response === 'activate') options.onClick?.(message);
            }
          },
        );
      });
    },
  };
}
