/**
 * Battery and idle/lock state from powerMonitor, fed to the (pure) refresh policy.
 */
import { powerMonitor } from 'electron';
import type { ActivityState } from '../services/ports';

/** Idle after this many seconds without input counts as "system idle" for polling. */
const IDLE_THRESHOLD_S = 10 * 60;

/** Pushes battery/idle/lock changes to `update`, and calls `onResume` after sleep; returns a stop function. */
export function watchPower(update: (patch: Partial<ActivityState>) => void, onResume: () => void = () => undefined): () => void {
  let locked = false;
  const push = () =>
    update({
      onBattery: powerMonitor.isOnBatteryPower(),
      systemIdle: locked || powerMonitor.getSystemIdleState(IDLE_THRESHOLD_S) !== 'active',
    });
  const onLock = () => {
    locked = true;
    push();
  };
  const onUnlock = () => {
    locked = false;
    push();
  };
  powerMonitor.on('on-battery', push);
  powerMonitor.on('on-ac', push);
  powerMonitor.on('lock-screen', onLock);
  powerMonitor.on('unlock-screen', onUnlock);
  const resume = () => {
    push();
    onResume();
  };
  powerMonitor.on('resume', resume);
  // Idle has no event: sample it once a minute.
  const timer = setInterval(push, 60_000);
  push();
  return () => {
    clearInterval(timer);
    powerMonitor.off('on-battery', push);
    powerMonitor.off('on-ac', push);
    powerMonitor.off('lock-screen', onLock);
    powerMonitor.off('unlock-screen', onUnlock);
    powerMonitor.off('resume', resume);
  };
}
