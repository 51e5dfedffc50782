/**
 * Runs only under test/notify/run.sh (npm run test:notify), which provides a private session bus,
 * Xvfb, dunst and a dbus-monitor log. Proves that Burnrate's Notifier reaches a real
 * notification daemon, and that it reports failure when no daemon is there.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, watch } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createNodeNotifier } from '../../main/services/nodeNotifier';

const monitorLog = process.env.BURNRATE_NOTIFY_MONITOR_LOG;
const dunstPid = Number(process.env.BURNRATE_NOTIFY_DUNST_PID);

/** Resolves once `check` holds, checked now and whenever `file` changes (the event): no deadline, a hang is the test's timeout. */
function whenFile(file: string, check: () => boolean): Promise<void> {
  return new Promise((resolve) => {
    const watcher = watch(file, () => {
      if (!check()) return;
      watcher.close();
      resolve();
    });
    if (check()) {
      watcher.close();
      resolve();
    }
  });
}

/** Resolves once process `pid` is gone. It is not our child (no exit event): asked between turns, without a deadline. */
async function whenGone(pid: number): Promise<void> {
  for (;;) {
    try {
      process.kill(pid, 0);
    } catch {
      return; // the process is gone
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('native notifications', () => {
  it('runs inside the notification harness', () => {
    expect(monitorLog, 'run through `npm run test:notify`').toBeTruthy();
    expect(Number.isInteger(dunstPid) && dunstPid > 0).toBe(true);
  });

  it('delivers a Burnrate notification to the daemon over the session bus', async () => {
    const title = `Burnrate-${process.pid}-${Date.now()}`;
    await createNodeNotifier().notify({ title, body: 'Research passed 90% of its $2,000.00 budget', severity: 'warning' });
    await whenFile(monitorLog!, () => readFileSync(monitorLog!, 'utf8').includes(`string "${title}"`));
    const log = readFileSync(monitorLog!, 'utf8');
    expect(log).toContain('member=Notify');
    expect(log).toContain('string "Research passed 90% of its $2,000.00 budget"');
    const displayed = Number(execFileSync('dunstctl', ['count', 'displayed'], { encoding: 'utf8' }).trim());
    const history = Number(execFileSync('dunstctl', ['count', 'history'], { encoding: 'utf8' }).trim());
    expect(displayed + history).toBeGreaterThanOrEqual(1);
  });

  it('rejects with a readable error when no notification daemon is running', async () => {
    process.kill(dunstPid, 'SIGTERM');
    await whenGone(dunstPid);
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
