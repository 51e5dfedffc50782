/**
 * Zod schemas of a Burnrate team server's answers: the StatusDocument (`GET /api/status`, also
 * `burnrate status --json` and the popover snapshot) and the HistoryDocument (`GET /api/history`),
 * both declared as types in preload/api.ts. The types and the schemas are checked against each
 * other at compile time (`Same<…>` below): a field added to one and not the other fails the build.
 *
 * Objects are not strict: a newer server may add fields an older client does not know (they are
 * dropped). Tests that need "no unknown field" compare the parsed value with the input.
 */
import { z } from 'zod';
import type { BudgetStatus, ConnectionStatus, HistoryDocument, ResourceStatus, StatusDocument, WorkspaceStatus } from '../../../preload/api';

/** An ISO-8601 instant with an offset or `Z`, kept as text (the StatusDocument's own form). */
const instant = z.string().refine((value) => /(?:Z|[+-]\d\d:?\d\d)$/i.test(value) && Number.isFinite(Date.parse(value)), {
  message: 'expected an ISO-8601 date-time with a time zone',
});
/** A finite JSON number (USD in major units, 6 decimals). */
const amount = z.number().refine(Number.isFinite, { message: 'expected a finite number' });

const errorKind = z.enum(['auth', 'rate_limited', 'bad_request', 'server', 'network', 'bad_response', 'config']);

const resourceStatus = z.object({
  id: z.string(),
  name: z.string(),
  kind: z.string(),
  spentUsd: amount,
  dedicated: z.boolean().optional(),
  requests: z.number().optional(),
  connectionId: z.string().optional(),
});

const connectionStatus = z.object({
  id: z.string(),
  provider: z.string(),
  providerName: z.string().optional(),
  status: z.enum(['ok', 'error']),
  stale: z.boolean().optional(),
  spentUsd: amount.nullable(),
  spentCredits: amount.nullable(),
  burnRateUsdPerHour: amount.nullable().optional(),
  projectedUsd: amount.nullable().optional(),
  dataThrough: instant.nullable(),
  fetchedAt: instant.nullable(),
  topResources: z.array(resourceStatus),
  error: z.object({ kind: errorKind, message: z.string() }).nullable(),
  notes: z.array(z.string()).optional(),
  burnRateMethod: z.string().nullable().optional(),
  projectionMethod: z.string().nullable().optional(),
  projectedLowUsd: amount.nullable().optional(),
  projectedHighUsd: amount.nullable().optional(),
  spentIsEstimate: z.boolean().optional(),
  creditsUsd: amount.optional(),
  creditLimit: z.object({ usedCredits: amount, limitCredits: amount, usedPercent: amount }).optional(),
  matchingRecords: z.object({ total: z.number(), byTask: z.record(z.string(), z.number()) }).optional(),
  providerProjection: z.object({ projectedUsd: amount, confidence: z.number().nullable(), trend: z.string().nullable() }).optional(),
  providerAlerts: z
    .array(z.object({ type: z.string(), severity: z.string(), message: z.string(), thresholdUsd: amount.optional(), currentUsd: amount.optional() }))
    .optional(),
  rateLimit: z.object({ limit: z.number().nullable(), remaining: z.number().nullable(), resetAt: instant.nullable() }).optional(),
  refusedPlanTypes: z.array(z.object({ planType: z.string(), since: instant, nextCheck: instant, message: z.string() })).optional(),
});

const budgetStatus = z.object({
  amountUsd: amount,
  period: z.string().optional(),
  usedPercent: amount,
  projectedPercent: amount,
  crossesAt: instant.nullable(),
  overBudgetProbability: z.number().nullable().optional(),
  thresholdsPercent: z.array(z.number()).optional(),
});

/** One workspace of a StatusDocument. */
export const workspaceStatusSchema = z.object({
  id: z.string(),
  name: z.string(),
  currency: z.literal('USD'),
  period: z.object({ start: instant, end: instant, timeZone: z.string().optional() }),
  spentUsd: amount,
  nowcastUsd: amount,
  burnRateUsdPerHour: amount,
  projectedUsd: amount,
  projectedLowUsd: amount,
  projectedHighUsd: amount,
  projectionMethod: z.string(),
  projectionConfidence: z.number().optional(),
  budget: budgetStatus.nullable(),
  connections: z.array(connectionStatus),
  topResources: z.array(resourceStatus).optional(),
  hourlySpendUsd: z.array(z.object({ start: instant, spentUsd: amount })).optional(),
  coverage: z.object({
    connectionsOk: z.number().int(),
    connectionsTotal: z.number().int(),
    excluded: z.array(z.object({ id: z.string(), reason: z.string() })),
  }),
  dailySpendUsd: z.array(z.object({ start: instant, spentUsd: amount, byProvider: z.record(z.string(), amount) })).optional(),
  resources: z.array(resourceStatus).optional(),
  history: z
    .array(z.object({ start: instant, end: instant, spentUsd: amount, budgetUsd: amount.nullable(), usedPercent: amount.nullable(), connections: z.number().int() }))
    .optional(),
  comparison: z.object({ currentUsd: amount, previousUsd: amount, changePercent: amount.nullable(), elapsedHours: z.number() }).nullable().optional(),
});

/** The StatusDocument (preload/api.ts): `GET /api/status`, `burnrate status --json`, the popover's status. */
export const statusDocumentSchema = z.object({
  generatedAt: instant,
  demo: z.boolean().optional(),
  workspaces: z.array(workspaceStatusSchema),
  all: z.object({ spentUsd: amount, burnRateUsdPerHour: amount, projectedUsd: amount }).optional(),
});

/** The HistoryDocument (preload/api.ts): `GET /api/history`. */
export const historyDocumentSchema = z.object({
  from: instant,
  to: instant,
  generatedAt: instant,
  workspaces: z.array(
    z.object({
      id: z.string(),
      name: z.string(),
      connections: z.array(
        z.object({
          id: z.string(),
          provider: z.string(),
          unit: z.enum(['usd', 'credits']).nullable(),
          buckets: z.array(z.object({ start: instant, end: instant, spentUsd: amount.nullable(), spentCredits: amount.nullable() })),
        }),
      ),
    }),
  ),
});

/** A team server's error body: `{ "error": "…" }` (and `parameter` for a bad query parameter). */
export const serverErrorBodySchema = z.object({ error: z.string(), parameter: z.string().optional() });

/** Deep readonly: the preload types are readonly, zod's outputs are not. */
type DeepReadonly<T> = T extends (infer E)[] ? readonly DeepReadonly<E>[] : T extends object ? { readonly [K in keyof T]: DeepReadonly<T[K]> } : T;
/** True when A and B are mutually assignable. */
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
// Compile-time proof that the schemas and the preload types describe the same documents.
const statusMatches: Same<DeepReadonly<z.output<typeof statusDocumentSchema>>, StatusDocument> = true;
const historyMatches: Same<DeepReadonly<z.output<typeof historyDocumentSchema>>, HistoryDocument> = true;
// Optional fields pass the check above even when one side lacks them: the key sets must match too.
const keysMatch: [
  Same<keyof z.output<typeof statusDocumentSchema>, keyof StatusDocument>,
  Same<keyof z.output<typeof workspaceStatusSchema>, keyof WorkspaceStatus>,
  Same<keyof z.output<typeof connectionStatus>, keyof ConnectionStatus>,
  Same<keyof z.output<typeof resourceStatus>, keyof ResourceStatus>,
  Same<keyof z.output<typeof budgetStatus>, keyof BudgetStatus>,
] = [true, true, true, true, true];
void statusMatches;
void historyMatches;
void keysMatch;
