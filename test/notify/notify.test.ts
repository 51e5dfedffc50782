/**
 * Runs only under test/notify/run.sh (npm run test:notify), which provides a private session bus,
 * Xvfb, dunst and a dbus-monitor log. Proves that Burnrate's Notifier reaches a real
 * notification daemon, and that it reports failure when no daemon is there.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createNodeNotifier } from '../../main/services/nodeNotifier';

const monitorLog = process.env.BURNRATE_NOTIFY_MONITOR_LOG;
const dunstPid = Number(process.env.BURNRATE_NOTIFY_DUNST_PID);

async function waitFor(check: () => boolean, timeoutMs = 5_000): Promise<boolean> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    if (check()) return true;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return check();
}

describe('native notifications', () => {
  it('runs inside the notification harness', () => {
    expect(monitorLog, 'run through `npm run test:notify`').toBeTruthy();
    expect(Number.isInteger(dunstPid) && dunstPid > 0).toBe(true);
  });

  it('delivers a Burnrate notification to the daemon over the session bus', async () => {
    const title = `Burnrate-${process.pid}-${Date.now()}`;
    await createNodeNotifier().notify({ title, body: 'Research passed 90% of its $2,000.00 budget', severity: 'warning' });
    const seen = await waitFor(() => readFileSync(monitorLog!, 'utf8').includes(`string "${title}"`));
    expect(seen).toBe(true);
    const log = readFileSync(monitorLog!, 'utf8');
    expect(log).toContain('member=Notify');
    expect(log).toContain('string "Research passed 90% of its $2,000.00 budget"');
    const displayed = Number(execFileSync('dunstctl', ['count', 'displayed'], { encoding: 'utf8' }).trim());
    const history = Number(execFileSync('dunstctl', ['count', 'history'], { encoding: 'utf8' }).trim());
    expect(displayed + history).toBeGreaterThanOrEqual(1);
  });

  it('rejects with a readable error when no notification daemon is running', async () => {
    process.kill(dunstPid, 'SIGTERM');
    await waitFor(() => {
      try {
        process.kill(dunstPid, 0);
        return false;
      } catch {
        return true; // the process is gone
      }
    });
    // Without a display, D-Bus activation of dunst fails too, so nothing can show the notification.
    const display = process.env.DISPLAY;
    delete process.env.DISPLAY;
    try {
      const attempt = createNodeNotifier().notify({ title: 'Burnrate nobody listens', body: 'x', severity: 'info' });
      await expect(attempt).rejects.toThrow(/The notification could not be shown/);
    } finally {
      if (display !== undefined) process.env.DISPLAY = display;
    }
  });
});
