/**
 * The processing figures of the benchmark (issue 11, "Cheaper parsing"), shared by run.ts and
 * `npx jiti test/bench/processingOnly.ts` (these figures alone, for profiling and iterating).
 *
 * Answers are recorded once from the fakes over real HTTP; then, in this process, they are replayed
 * (`JSON.parse` of the recorded text each time, as the real client parses) and timed:
 * - whole period: the heavy month's whole-period fetch (what the first refresh of a period and the
 *   daily refetch do: head and tail anew, and the previous period), each time in a fresh engine,
 *   followed by the status document; against `JSON.parse` of the same answers.
 * - steady state: the refresh between daily refetches (only the open tail fetched and merged into
 *   the stored head), followed by the status document; against `JSON.parse` of the tail answers.
 */
import { createHttpClient, type HttpClient, type HttpGetOptions, type HttpJsonResponse } from '../../main/providers/http';
import { parseConfig } from '../../main/services/config';
import { Runtime } from '../../main/services/runtime';
import { benchConfig, HEAVY_NOW_MS, type BenchFakes } from './heavy';

const silent = { info: () => undefined, warn: () => undefined, error: () => undefined };

/** One recorded answer, or the error the client threw (a refused answer: too large, say). */
export interface Recorded {
  readonly text: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly error?: unknown;
}

/** The median of `values` (the upper one of an even count). */
export const median = (values: readonly number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
};

/** `value` rounded to `digits` decimals. */
export const round = (value: number, digits = 1): number => Math.round(value * 10 ** digits) / 10 ** digits;

/**
 * A client that records every answer of `inner` (as JSON text) by URL, and every refusal (Civis
 * splits a month whose answer is over its size budget into narrower windows: the refusal of the
 * whole month is part of the conversation).
 */
export function recordingClient(inner: HttpClient, into: Map<string, Recorded>): HttpClient {
  return {
    async getJson(options: HttpGetOptions): Promise<HttpJsonResponse> {
      let response: HttpJsonResponse;
      try {
        response = await inner.getJson(options);
      } catch (error) {
        into.set(options.url.href, { text: '', headers: {}, error });
        throw error;
      }
      into.set(options.url.href, { text: JSON.stringify(response.body), headers: response.headers });
      return response;
    },
    close: () => inner.close(),
  };
}

/** A client answering from recordings (parsing the text each time, as the real client does). */
export function replayClient(recorded: ReadonlyMap<string, Recorded>): HttpClient {
  return {
    async getJson(options: HttpGetOptions): Promise<HttpJsonResponse> {
      const hit = recorded.get(options.url.href);
      if (!hit) throw new Error(`bench: no recording for ${options.url.pathname}`);
      if (hit.error !== undefined) throw hit.error;
      return { status: 200, headers: hit.headers, body: JSON.parse(hit.text) as unknown };
    },
    close: async () => undefined,
  };
}

/** What {@link record} recorded. */
export interface Recording {
  /** Every answer (the first round and the previous period), by URL. */
  readonly all: Map<string, Recorded>;
  /** The answers of the first refresh of a fresh engine: the whole period (head and tail) and the previous period. */
  readonly first: Map<string, Recorded>;
  /** The answers of a steady-state refresh: the open tails. */
  readonly round: Map<string, Recorded>;
}

/** Records the first refresh and a steady-state refresh of `config` from the fakes, at `nowMs`. */
export async function record(configObject: Record<string, unknown>, nowMs = HEAVY_NOW_MS): Promise<Recording> {
  const http = createHttpClient({ timeoutMs: 120_000 });
  const all = new Map<string, Recorded>();
  const clock = { now: () => nowMs };
  const runtime = new Runtime({ config: parseConfig(configObject, 'bench'), http: recordingClient(http, all), clock, logger: silent });
  // Attempts: a keep-alive socket may be closed by the fakes while they build a large answer.
  await runtime.refreshAll({ attempts: 3 });
  const errors = runtime.status().workspaces.flatMap((w) => w.connections.map((c) => c.error)).filter((e) => e !== null);
  if (errors.length > 0) throw new Error(`bench: recording failed: ${JSON.stringify(errors)}`);
  const first = new Map<string, Recorded>();
  const round = new Map<string, Recorded>();
  let into = first;
  const second = new Runtime({ config: parseConfig(configObject, 'bench'), http: recordingClient(replayClient(all), { set: (k: string, v: Recorded) => into.set(k, v) } as Map<string, Recorded>), clock, logger: silent });
  await second.refreshAll();
  // The second refresh of the same engine is what a running engine does (head and previous period stored).
  into = round;
  await second.refreshAll();
  const replayErrors = second.status().workspaces.flatMap((w) => w.connections.map((c) => c.error)).filter((e) => e !== null);
  if (replayErrors.length > 0) throw new Error(`bench: replaying failed: ${JSON.stringify(replayErrors)}`);
  await runtime.stop();
  await second.stop();
  await http.close();
  return { all, first, round };
}

/**
 * One processing figure (CPU time, see {@link cpuMs}): the median refresh, the median `JSON.parse` of the same answers,
 * and the median of their paired ratios (each refresh timed right after one `JSON.parse` of its
 * answers, so both halves of a pair see the same load on a busy machine).
 */
export interface ProcessingFigure {
  readonly floorMs: number;
  readonly refreshMs: number;
  readonly ratio: number;
  readonly megabytes: number;
  readonly answers: number;
}

/** The answers' texts (refusals have none). */
const textsOf = (recorded: ReadonlyMap<string, Recorded>): string[] => [...recorded.values()].filter((r) => r.error === undefined).map((r) => r.text);

/**
 * CPU time of this process so far (ms, user + system, all its threads): the figure is CPU per
 * refresh, and unlike wall time it does not count the time the process waits for the CPU on a busy
 * machine.
 */
export function cpuMs(): number {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
}

/** CPU time of `JSON.parse` of every text once. */
function parseAll(texts: readonly string[]): number {
  const started = cpuMs();
  for (const text of texts) JSON.parse(text);
  return cpuMs() - started;
}

/** Pairs of (floor, refresh) times, `runs` of them after `warmup` unpaired refreshes. */
async function pairs(texts: readonly string[], runs: number, warmup: number, refresh: () => Promise<number>): Promise<{ floor: number[]; refresh: number[] }> {
  for (let i = 0; i < warmup; i += 1) await refresh();
  const out = { floor: [] as number[], refresh: [] as number[] };
  for (let i = 0; i < runs; i += 1) {
    out.floor.push(parseAll(texts));
    out.refresh.push(await refresh());
  }
  return out;
}

function figure(texts: readonly string[], times: { floor: number[]; refresh: number[] }): ProcessingFigure {
  const megabytes = texts.reduce((n, t) => n + t.length, 0) / 1e6;
  const ratio = median(times.refresh.map((r, i) => r / times.floor[i]!));
  return { floorMs: round(median(times.floor), 2), refreshMs: round(median(times.refresh), 2), ratio: round(ratio, 2), megabytes: round(megabytes), answers: texts.length };
}

/** Both processing figures of the heavy month served by `fakes`. `runs`: timed pairs (medians). */
export async function measureProcessing(
  fakes: Pick<BenchFakes, 'keys' | 'urls'>,
  runs = 7,
  onPhase?: (phase: 'whole' | 'tail') => Promise<void>,
  only?: 'whole' | 'tail',
): Promise<{ whole: ProcessingFigure; tail: ProcessingFigure }> {
  const configObject = benchConfig(fakes, 1, 5);
  const { all, first, round: tailBodies } = await record(configObject);
  const clock = { now: () => HEAVY_NOW_MS };
  const config = parseConfig(configObject, 'bench');
  // Whole period: a fresh engine each time (its first refresh fetches head, tail and the previous period).
  await onPhase?.('whole');
  const firstTexts = textsOf(first);
  const whole = await pairs(firstTexts, only === 'tail' ? 1 : runs, 1, async () => {
    const runtime = new Runtime({ config, http: replayClient(all), clock, logger: silent });
    const started = cpuMs();
    await runtime.refreshAll();
    runtime.status();
    const elapsed = cpuMs() - started;
    await runtime.stop();
    return elapsed;
  });
  // Steady state: one engine, refreshed again and again (only the tails are fetched).
  const runtime = new Runtime({ config, http: replayClient(all), clock, logger: silent });
  await runtime.refreshAll();
  await onPhase?.('tail');
  const tailTexts = textsOf(tailBodies);
  const tail = await pairs(tailTexts, only === 'whole' ? 1 : runs, 1, async () => {
    const started = cpuMs();
    await runtime.refreshAll();
    runtime.status();
    return cpuMs() - started;
  });
  await runtime.stop();
  return { whole: figure(firstTexts, whole), tail: figure(tailTexts, tail) };
}
