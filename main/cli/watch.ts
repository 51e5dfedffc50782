/**
 * `burnrate watch`: keeps refreshing on the refresh policy's schedule, prints a summary line when
 * it changes and each alert as it is decided, and shows alerts as desktop notifications.
 */
import type { StatusDocument } from '../../preload/api';
import { optionText, type ParsedOptions } from './args';
import { longRunningHeap } from '../services/heapMode';
import type { Notifier } from '../services/ports';
import { hasNoData, localTime, usd } from './format';
import { createCliRuntime, EXIT, loadCliConfig, safeText, waitForSignal, type CliIo } from './io';

/** One line per workspace: spend, burn rate, projection and the share of the budget used. */
export function summaryLine(status: StatusDocument): string {
  const time = localTime(status.generatedAt);
  return status.workspaces
    .map((w) => {
      const budget = w.budget ? `, ${w.budget.usedPercent.toFixed(1)}% of budget used` : '';
      const failing = w.connections.filter((c) => c.status === 'error').length;
      if (hasNoData(w)) return `${time} ${w.name}: spend unknown, ${failing} connection(s) failing`;
      return `${time} ${w.name}: ${usd(w.spentUsd)} spent, ${usd(w.burnRateUsdPerHour)}/h, ~${usd(w.projectedUsd)} projected${budget}${failing ? `, ${failing} connection(s) failing` : ''}`;
    })
    .join('\n');
}

/**
 * A notifier whose implementation is loaded when the first notification is shown; a failed load
 * fails that notification (it stays in the outbox) and is tried again at the next.
 */
export function loadedOnFirstUse(load: () => Promise<Notifier>): Notifier {
  let loaded: Promise<Notifier> | undefined;
  return {
    async notify(message) {
      loaded ??= load().catch((error: unknown) => {
        loaded = undefined;
        throw error;
      });
      return (await loaded).notify(message);
    },
  };
}

/** `burnrate watch [--config FILE]`: runs until SIGINT or SIGTERM. */
export async function watchCommand(io: CliIo, values: ParsedOptions): Promise<number> {
  // A long-running engine: a small, tightly grown heap (main/services/heapMode.ts).
  longRunningHeap();
  const config = loadCliConfig(io, optionText(values, 'config'));
  let lastLine = '';
  const { runtime, close } = createCliRuntime(io, config, {
    timeoutMs: 30_000,
    quiet: false,
    // Whole months one connection at a time: their answers are never in memory together (README, watch).
    heavyFetchesAtOnce: 1,
    // Loaded at the first notification shown (other commands never pay for node-notifier): about
    // 10 MB of RSS that a watch which has shown nothing does not need (README, Performance).
    notifier: loadedOnFirstUse(async () => (await import('../services/nodeNotifier')).createNodeNotifier()),
    onNotification: (n, delivered) => {
      io.stdout(safeText(config, `${localTime(new Date(n.atMs).toISOString())} [${n.severity}] ${n.title}: ${n.body}${delivered ? '' : ' (not shown: no notification service)'}\n`));
    },
    onRefresh: () => {
      const line = summaryLine(runtime.status());
      if (line !== lastLine) io.stdout(safeText(config, `${line}\n`));
      lastLine = line;
    },
  });
  const signal = waitForSignal();
  io.stderr(`Watching ${config.workspaces.length} workspace(s); notifications go to the desktop. Press Ctrl+C to stop.\n`);
  await Promise.race([runtime.start(), signal]);
  await signal;
  io.stderr('Stopping…\n');
  await close();
  return EXIT.ok;
}
