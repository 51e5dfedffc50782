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

/** One processing figure: median refresh time against the median `JSON.parse` time of the same answers. */
export interface ProcessingFigure {
  readonly floorMs: number;
  readonly refreshMs: number;
  readonly ratio: number;
  readonly megabytes: number;
  readonly answers: number;
}

function floorOf(recorded: ReadonlyMap<string, Recorded>, runs: number): number {
  const texts = [...recorded.values()].filter((r) => r.error === undefined).map((r) => r.text);
  const times: number[] = [];
  for (let i = 0; i < runs; i += 1) {
    const started = performance.now();
    for (const text of texts) JSON.parse(text);
    times.push(performance.now() - started);
  }
  return median(times);
}

function figure(recorded: ReadonlyMap<string, Recorded>, floorMs: number, refreshMs: number): ProcessingFigure {
  const answers = [...recorded.values()].filter((r) => r.error === undefined);
  const megabytes = answers.reduce((n, r) => n + r.text.length, 0) / 1e6;
  return { floorMs: round(floorMs, 2), refreshMs: round(refreshMs, 2), ratio: round(refreshMs / floorMs, 2), megabytes: round(megabytes), answers: answers.length };
}

/** Both processing figures of the heavy month served by `fakes`. `runs`: timed repetitions (medians). */
export async function measureProcessing(
  fakes: Pick<BenchFakes, 'keys' | 'urls'>,
  runs = 7,
  onRecorded?: () => Promise<void>,
): Promise<{ whole: ProcessingFigure; tail: ProcessingFigure }> {
  const configObject = benchConfig(fakes, 1, 5);
  const { all, first, round: tailBodies } = await record(configObject);
  await onRecorded?.();
  const clock = { now: () => HEAVY_NOW_MS };
  const config = parseConfig(configObject, 'bench');
  // Whole period: a fresh engine each time (its first refresh fetches head, tail and the previous period).
  const whole: number[] = [];
  for (let i = 0; i < runs + 1; i += 1) {
    const runtime = new Runtime({ config, http: replayClient(all), clock, logger: silent });
    const started = performance.now();
    await runtime.refreshAll();
    runtime.status();
    const elapsed = performance.now() - started;
    if (i > 0) whole.push(elapsed);
    await runtime.stop();
  }
  const wholeFloor = floorOf(first, runs);
  // Steady state: one engine, refreshed again and again (only the tails are fetched).
  const runtime = new Runtime({ config, http: replayClient(all), clock, logger: silent });
  await runtime.refreshAll();
  const tail: number[] = [];
  for (let i = 0; i < runs; i += 1) {
    const started = performance.now();
    await runtime.refreshAll();
    runtime.status();
    tail.push(performance.now() - started);
  }
  await runtime.stop();
  const tailFloor = floorOf(tailBodies, runs);
  return { whole: figure(first, wholeFloor, median(whole)), tail: figure(tailBodies, tailFloor, median(tail)) };
}
