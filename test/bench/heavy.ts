import { readFileSync } from 'node:fs';
/**
 * The benchmark's world: the heavy month (March 2026, 31 days of hourly data, 50 resources per
 * provider, all five providers) at fixed dates, and config builders pointing at the fakes.
 */
import { randomBytes } from 'node:crypto';
import { defaultBasetenScenario, startBasetenFake } from '../../main/providers/baseten/baseten.fake';
import { CIVIS_FAKE_ORG_ID, defaultCivisScenario, startCivisFake } from '../../main/providers/civis/civis.fake';
import { defaultLimitryScenario, startLimitryFake } from '../../main/providers/limitry/limitry.fake';
import type { Scenario } from '../../main/providers/fake/scenario';
import { defaultSimplismartScenario, startSimplismartFake } from '../../main/providers/simplismart/simplismart.fake';
import { defaultTensorOneScenario, startTensorOneFake } from '../../main/providers/tensorone/tensorone.fake';

/** The five providers, in the order of bench/results.json. */
export const BENCH_PROVIDERS = ['baseten', 'simplismart', 'tensorone', 'limitry', 'civis'] as const;
export type BenchProvider = (typeof BENCH_PROVIDERS)[number];

/** "Now" of every measurement: late on the last day of March 2026 (the month is 31 days old). */
export const HEAVY_NOW_MS = Date.UTC(2026, 2, 31, 22, 30);
/** Resources per provider in the heavy month. */
export const HEAVY_RESOURCES = 50;
/**
 * Civis gets 40: with 50 its month-to-date answer is 21 MB (85,000 runs, one JSON array: Civis does
 * not page `/usage/llm`), over the HTTP client's 20 MiB cap, so the whole-period fetch would be
 * refused. Reported in the README's Performance section.
 */
export const HEAVY_CIVIS_RESOURCES = 40;

/** `scenario` with `count` resources: its own ones repeated under new ids, all active all month. */
export function widen(scenario: Scenario, count: number): Scenario {
  const base = scenario.resources;
  return {
    ...scenario,
    resources: Array.from({ length: count }, (_, i) => {
      const { activeFromMs: _from, activeUntilMs: _until, ...resource } = base[i % base.length]!;
      return { ...resource, id: `${resource.id}-${i}`, name: `${resource.name} ${i}` };
    }),
  };
}

/** The loopback fakes of one benchmark world, and how to reach them. */
export interface BenchFakes {
  readonly keys: Readonly<Record<BenchProvider, string>>;
  readonly urls: Readonly<Record<BenchProvider, string>>;
  /** Requests served per provider. */
  requests(): Record<BenchProvider, number>;
  stop(): Promise<void>;
}

/** Starts the five fakes with `resources` resources each (the heavy month by default), on the clock `now`. */
export async function startBenchFakes(now: () => number, resources = HEAVY_RESOURCES): Promise<BenchFakes> {
  const key = (prefix: string): string => `${prefix}${randomBytes(12).toString('hex')}`;
  const keys: Record<BenchProvider, string> = {
    baseten: key('bt_bench_'),
    simplismart: key('pg_bench_'),
    tensorone: key('tpo_test_bench_'),
    limitry: key('lmtry_sk_bench_'),
    civis: key('civis_bench_'),
  };
  const scale = (scenario: Scenario, count = resources): Scenario => (resources === 0 ? scenario : widen(scenario, count));
  const [baseten, simplismart, tensorone, limitry, civis] = await Promise.all([
    startBasetenFake({ apiKey: keys.baseten, scenario: scale(defaultBasetenScenario()), now, lagMs: 30 * 60_000 }),
    startSimplismartFake({ apiKey: keys.simplismart, scenario: scale(defaultSimplismartScenario()), now, lagMs: 10 * 60_000 }),
    startTensorOneFake({ apiKey: keys.tensorone, scenario: scale(defaultTensorOneScenario()), now, lagMs: 60 * 60_000 }),
    startLimitryFake({ apiKey: keys.limitry, scenario: scale(defaultLimitryScenario()), now }),
    startCivisFake({ apiKey: keys.civis, scenario: scale(defaultCivisScenario(), Math.min(resources, HEAVY_CIVIS_RESOURCES)), now }),
  ]);
  const fakes = { baseten, simplismart, tensorone, limitry, civis };
  return {
    keys,
    urls: { baseten: baseten.baseUrl, simplismart: simplismart.baseUrl, tensorone: tensorone.baseUrl, limitry: limitry.baseUrl, civis: civis.baseUrl },
    requests: () => Object.fromEntries(BENCH_PROVIDERS.map((p) => [p, fakes[p].server.requests.length])) as Record<BenchProvider, number>,
    stop: async () => {
      await Promise.all(Object.values(fakes).map((fake) => fake.stop()));
    },
  };
}

/** A config file object: `workspaces` workspaces of `perWorkspace` connections (cycling through the providers), all at the fakes. */
export function benchConfig(fakes: Pick<BenchFakes, 'keys' | 'urls'>, workspaces: number, perWorkspace = 5): Record<string, unknown> {
  return {
    workspaces: Array.from({ length: workspaces }, (_, w) => ({
      id: `team${w + 1}`,
      name: `Team ${w + 1}`,
      timeZone: 'UTC',
      budget: { amountUsd: 1_000_000, period: 'month' },
      connections: Array.from({ length: perWorkspace }, (_, c) => {
        const provider = BENCH_PROVIDERS[c % BENCH_PROVIDERS.length]!;
        const connection: Record<string, unknown> = { id: `${provider}-${c + 1}`, provider, apiKey: fakes.keys[provider], baseUrl: fakes.urls[provider] };
        if (provider === 'civis') Object.assign(connection, { orgId: CIVIS_FAKE_ORG_ID, usdPerCredit: 0.5 });
        return connection;
      }),
    })),
  };
}

/**
 * Every workspace's latest summary line of `watch` shows its spend with no failing or unknown
 * connection (alert lines, which may follow the summary, are skipped).
 */
export function watchRoundDone(text: string, workspaces: number): boolean {
  const latest = new Map<string, string>();
  for (const line of text.split('\n')) {
    const match = / (Team \d+): /.exec(line);
    if (match && !line.includes('] ')) latest.set(match[1]!, line);
  }
  return latest.size === workspaces && [...latest.values()].every((line) => line.includes(' spent, ') && !/failing|unknown/.test(line));
}

/** User + system CPU time of a process so far (s); 0 once it is gone. */
export function cpuSeconds(pid: number): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return 0;
  }
}

/** A field of /proc/PID/status in kB (VmRSS: resident now, VmHWM: the peak); 0 once the process is gone. */
export function vmKb(pid: number, field: 'VmRSS' | 'VmHWM'): number {
  try {
    const match = new RegExp(`${field}:\\s+(\\d+) kB`).exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) : 0;
  } catch {
    return 0;
  }
}

/**
 * Peak RSS (VmHWM, kB) of a `burnrate watch` process over its whole first round: until every
 * workspace shows its spend, then on until everything that round started is done (the previous
 * period's fetches run after the current ones): for 3 s the fakes' request count unchanged and the
 * process nearly idle (under 0.1 s of CPU: a month being parsed asks for nothing), at least 5 s
 * after the round. `endKb` is VmRSS at that point.
 */
export async function watchFirstRoundRss(
  pid: number,
  output: () => string,
  requestsServed: () => Promise<number>,
  alive: () => boolean,
): Promise<{ peakKb: number; endKb: number; roundS: number; quietS: number }> {
  const started = performance.now();
  const pause = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
  let peakKb = 0;
  for (;;) {
    peakKb = Math.max(peakKb, vmKb(pid, 'VmHWM'));
    if (watchRoundDone(output(), 3)) break;
    if (performance.now() - started > 180_000 || !alive()) throw new Error(`watch did not complete a round:\n${output()}`);
    await pause(100);
  }
  const roundS = (performance.now() - started) / 1000;
  const minimumUntil = performance.now() + 5_000;
  let served = await requestsServed();
  let cpu = cpuSeconds(pid);
  let stableSince = performance.now();
  while (performance.now() < minimumUntil || performance.now() - stableSince < 3_000) {
    if (performance.now() - started > 300_000) throw new Error('watch kept fetching for 5 minutes after its first round');
    for (let i = 0; i < 4; i += 1) {
      peakKb = Math.max(peakKb, vmKb(pid, 'VmHWM'));
      await pause(250);
    }
    const now = await requestsServed();
    const cpuNow = cpuSeconds(pid);
    if (now !== served || cpuNow - cpu > 0.1) stableSince = performance.now();
    served = now;
    cpu = cpuNow;
  }
  return { peakKb: Math.max(peakKb, vmKb(pid, 'VmHWM')), endKb: vmKb(pid, 'VmRSS'), roundS, quietS: (performance.now() - started) / 1000 };
}
