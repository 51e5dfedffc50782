/**
 * Property fuzzing with fast-check (issue 10), seeded so every run is the same:
 * - mutated provider answers, built from what each registered provider's fake really answers:
 *   every adapter returns a valid report or throws a typed ProviderError, never anything else;
 * - configuration files: any JSON is a valid config or a ConfigError naming the place (exit 2),
 *   never another exception.
 * The answers are replayed by an in-memory HTTP client, so each case is pure computation: a case
 * that never ends would hang the test (caught by its timeout), none is measured with a clock.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isProviderError, ProviderError } from '../../main/core/errors';
import type { UsageReport } from '../../main/core/report';
import { PROVIDER_IDS } from '../../main/providers/registry';
import { createHttpClient, type HttpClient, type HttpGetOptions, type HttpJsonResponse } from '../../main/providers/http';
import { adapterFor } from '../../main/providers/registry';
import { ConfigError, parseConfig } from '../../main/services/config';
import { connectionFor, startFakes, type FakeSet, type ProviderName } from '../cli/helpers';

const SEED = 20_261_126;
const RUNS = 80;

let fakes: FakeSet;
/** Per provider: every answer its adapter received for one good fetch, by URL path and query. */
const recorded = new Map<string, Map<string, HttpJsonResponse>>();

beforeAll(async () => {
  fakes = await startFakes();
  const http = createHttpClient({ timeoutMs: 120_000 });
  try {
    for (const id of PROVIDER_IDS) {
      const answers = new Map<string, HttpJsonResponse>();
      const recording: HttpClient = {
        getJson: async (options: HttpGetOptions) => {
          const answer = await http.getJson(options);
          answers.set(options.url.pathname + options.url.search, answer);
          return answer;
        },
        close: async () => undefined,
      };
      await adapterFor(id).fetchUsage(range(), context(id as ProviderName, recording));
      recorded.set(id, answers);
    }
  } finally {
    await http.close();
  }
});

afterAll(async () => {
  await fakes?.stop();
});

function range() {
  const end = fakes.nowMs;
  return { startMs: end - 7 * 86_400_000, endMs: end };
}

function context(id: ProviderName, http: HttpClient) {
  const adapter = adapterFor(id);
  const { id: _id, provider: _provider, apiKey, ...settings } = connectionFor(fakes, id);
  return { http, apiKey: apiKey as string, settings: adapter.settingsSchema.parse(settings), nowMs: fakes.nowMs };
}

/** A JSON value mutated at one random place: removed, retyped, made hostile or padded with extra keys. */
const hostileLeaf = fc.oneof(
  fc.constant(null),
  fc.constant('NaN'),
  fc.constant('Infinity'),
  fc.constant('-1e400'),
  fc.constant('1'.repeat(41)),
  fc.constant('9'.repeat(100)),
  fc.constant(-1),
  fc.constant(1e308),
  fc.constant(''),
  fc.constant([]),
  fc.constant({}),
  fc.string({ maxLength: 20 }),
  fc.integer(),
  fc.double(),
  fc.boolean(),
);

type Mutation = { readonly at: number; readonly kind: 'delete' | 'replace' | 'extra'; readonly leaf: unknown };
const mutation = fc.record({ at: fc.nat(), kind: fc.constantFrom<'delete' | 'replace' | 'extra'>('delete', 'replace', 'extra'), leaf: hostileLeaf });

/** Applies mutations to a deep copy; `at` picks a node in depth-first order (modulo the node count). */
function mutate(value: unknown, mutations: readonly Mutation[]): unknown {
  let copy = structuredClone(value);
  for (const m of mutations) {
    const slots: Array<{ parent: Record<string, unknown> | unknown[]; key: string | number }> = [];
    const walk = (node: unknown): void => {
      if (Array.isArray(node)) {
        node.forEach((child, index) => {
          slots.push({ parent: node, key: index });
          walk(child);
        });
      } else if (node && typeof node === 'object') {
        for (const [key, child] of Object.entries(node)) {
          slots.push({ parent: node as Record<string, unknown>, key });
          walk(child);
        }
      }
    };
    walk(copy);
    if (slots.length === 0) {
      copy = m.leaf;
      continue;
    }
    const slot = slots[m.at % slots.length]!;
    if (m.kind === 'delete') {
      if (Array.isArray(slot.parent)) slot.parent.splice(slot.key as number, 1);
      else delete slot.parent[slot.key as string];
    } else if (m.kind === 'replace') {
      (slot.parent as Record<string | number, unknown>)[slot.key] = m.leaf;
    } else if (!Array.isArray(slot.parent)) {
      slot.parent[`zz_extra_${m.at}`] = m.leaf;
    }
  }
  return copy;
}

/** A valid report: integer micros everywhere, finite numbers, buckets inside the range. */
function problemsOf(report: UsageReport): string[] {
  const problems: string[] = [];
  if (!Number.isSafeInteger(report.totalMicros)) problems.push(`totalMicros ${report.totalMicros}`);
  for (const bucket of report.buckets) {
    if (!Number.isSafeInteger(bucket.costMicros)) problems.push(`bucket costMicros ${bucket.costMicros}`);
    if (!Number.isFinite(bucket.startMs) || !(bucket.durationMs > 0)) problems.push('bucket time');
  }
  for (const resource of report.resources) if (!Number.isSafeInteger(resource.costMicros)) problems.push(`resource costMicros ${resource.costMicros}`);
  return problems;
}

describe('fuzzing provider answers (seeded)', () => {
  it.each(PROVIDER_IDS.map((id) => [id]))('%s returns a valid report or a typed ProviderError for any mutated answer', async (provider) => {
    const id = provider as ProviderName;
    const answers = recorded.get(id)!;
    expect(answers.size).toBeGreaterThan(0);
    await fc.assert(
      fc.asyncProperty(fc.array(mutation, { minLength: 1, maxLength: 4 }), fc.nat(), async (mutations, which) => {
        const target = [...answers.keys()][which % answers.size]!;
        const replay: HttpClient = {
          getJson: async (options: HttpGetOptions) => {
            const key = options.url.pathname + options.url.search;
            const answer = answers.get(key);
            if (!answer) throw new ProviderError('bad_request', `${options.provider} does not know this endpoint or resource (404)`, { status: 404 });
            return key === target ? { ...answer, body: mutate(answer.body, mutations) } : answer;
          },
          close: async () => undefined,
        };
        try {
          const report = await adapterFor(id).fetchUsage(range(), context(id, replay));
          expect(problemsOf(report)).toEqual([]);
        } catch (error) {
          if (!isProviderError(error)) throw new Error(`not a ProviderError: ${String(error)}`, { cause: error });
          expect(['auth', 'rate_limited', 'bad_request', 'server', 'network', 'bad_response']).toContain(error.kind);
          expect(error.message).not.toContain(fakes.keys[id]);
        }
      }),
      { seed: SEED, numRuns: RUNS },
    );
  });
});

describe('fuzzing configuration files (seeded)', () => {
  const base = { workspaces: [{ id: 'team', timeZone: 'UTC', budget: { amountUsd: 100 }, connections: [{ id: 'l', provider: 'limitry', apiKey: 'lmtry_sk_fuzz_0123456789' }] }] };

  it('any mutation of a valid file is a valid config or a ConfigError naming the place', () => {
    fc.assert(
      fc.property(fc.array(mutation, { minLength: 1, maxLength: 5 }), (mutations) => {
        const raw = mutate(base, mutations);
        try {
          parseConfig(raw, 'fuzz.json', {});
        } catch (error) {
          if (!(error instanceof ConfigError)) throw new Error(`not a ConfigError: ${String(error)}`, { cause: error });
          expect(error.problems.length).toBeGreaterThan(0);
          for (const problem of error.problems) expect(problem.path).toMatch(/^(\(root\)|\(file\)|workspaces)/);
        }
      }),
      { seed: SEED, numRuns: 500 },
    );
  });

  it('any JSON at all is a valid config or a ConfigError', () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 6 }), (raw) => {
        try {
          parseConfig(raw, 'fuzz.json', {});
        } catch (error) {
          if (!(error instanceof ConfigError)) throw new Error(`not a ConfigError: ${String(error)}`, { cause: error });
        }
      }),
      { seed: SEED, numRuns: 500 },
    );
  });
});
