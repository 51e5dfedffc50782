/**
 * The contract between the three processes (main, preload, renderer) and the headless JSON API.
 * Types and constants only: zero runtime dependencies, so every layer may import it.
 *
 * `StatusDocument` is at once the payload of `burnrate status --json`, of `GET /api/status`
 * and of the snapshot the tray popover renders: one shape everywhere.
 */

/** Error kinds shown to people: a provider failure, or a configuration problem found before any request. */
export type StatusErrorKind = 'auth' | 'rate_limited' | 'bad_request' | 'server' | 'network' | 'bad_response' | 'config';

/** One line of a connection's or workspace's breakdown. Money in USD (major units, 6 decimals). */
export interface ResourceStatus {
  readonly id: string;
  readonly name: string;
  /** deployment | model | cluster | training_job | plan_type | service | other */
  readonly kind: string;
  readonly spentUsd: number;
  /** True for dedicated capacity billed by time whether used or not (GPU deployments, clusters). Connection-level lists. */
  readonly dedicated?: boolean;
  /** Requests this period, where the provider reports them (connection-level lists). */
  readonly requests?: number;
  /** Connection the resource belongs to (present in workspace-level lists). */
  readonly connectionId?: string;
}

/** One connection's state. */
export interface ConnectionStatus {
  readonly id: string;
  /** baseten | civis | limitry | simplismart | tensorone */
  readonly provider: string;
  /** Display name of the provider. */
  readonly providerName?: string;
  /** `ok` when the last refresh succeeded; `error` otherwise (then `error` says why). */
  readonly status: 'ok' | 'error';
  /** True when the numbers are the last good values from an earlier refresh, not from the latest one. */
  readonly stale?: boolean;
  /** Spend this period in USD; null when unknown or when the connection reports credits only. */
  readonly spentUsd: number | null;
  /** Credits this period (Civis); null for providers that bill in dollars. */
  readonly spentCredits: number | null;
  /** This connection's burn rate (USD per hour); null when unknown or credits-only. */
  readonly burnRateUsdPerHour?: number | null;
  /** This connection's projected period total (USD); null when unknown or credits-only. */
  readonly projectedUsd?: number | null;
  /** Latest instant the provider's data covers (ISO-8601 UTC). */
  readonly dataThrough: string | null;
  /** When the numbers were fetched (ISO-8601 UTC). */
  readonly fetchedAt: string | null;
  readonly topResources: readonly ResourceStatus[];
  readonly error: { readonly kind: StatusErrorKind; readonly message: string } | null;
  /** Plain-language notes ("reports credits: set usdPerCredit to include it in money totals"). */
  readonly notes?: readonly string[];
}

/** Budget state of a workspace. */
export interface BudgetStatus {
  readonly amountUsd: number;
  /** day | week | month */
  readonly period?: string;
  readonly usedPercent: number;
  readonly projectedPercent: number;
  /** When the budget will be crossed at the current pace (ISO-8601 UTC), or null. */
  readonly crossesAt: string | null;
  /** Probability (0..1) of ending the period over budget, when the projection range allows it. */
  readonly overBudgetProbability?: number | null;
  readonly thresholdsPercent?: readonly number[];
}

/** One workspace's state. */
export interface WorkspaceStatus {
  readonly id: string;
  readonly name: string;
  readonly currency: 'USD';
  /** The current period; `timeZone` is the workspace's IANA zone, in which it starts at midnight. */
  readonly period: { readonly start: string; readonly end: string; readonly timeZone?: string };
  /** Actual reported spend this period (USD connections only). */
  readonly spentUsd: number;
  /** Estimated spend now: reported + burn rate × time since the data ends. Always an estimate. */
  readonly nowcastUsd: number;
  readonly burnRateUsdPerHour: number;
  readonly projectedUsd: number;
  readonly projectedLowUsd: number;
  readonly projectedHighUsd: number;
  /** run-rate | day-of-week | previous-period | blend */
  readonly projectionMethod: string;
  readonly projectionConfidence?: number;
  readonly budget: BudgetStatus | null;
  readonly connections: readonly ConnectionStatus[];
  /** The workspace's most expensive resources across connections. */
  readonly topResources?: readonly ResourceStatus[];
  /** Hourly spend of the last 48 complete hours (USD), oldest first, for the sparkline. */
  readonly hourlySpendUsd?: readonly { readonly start: string; readonly spentUsd: number }[];
}

/** The whole state: `burnrate status --json`, `GET /api/status`, and the popover snapshot. */
export interface StatusDocument {
  /** ISO-8601 UTC. */
  readonly generatedAt: string;
  /** Present and true when the numbers are demo data from the built-in fakes. */
  readonly demo?: boolean;
  readonly workspaces: readonly WorkspaceStatus[];
  /** The "all workspaces" roll-up. */
  readonly all?: { readonly spentUsd: number; readonly burnRateUsdPerHour: number; readonly projectedUsd: number };
}

/** What the popover shows: the status plus UI state owned by main. */
export interface AppSnapshot {
  readonly status: StatusDocument;
  /** Workspace shown in the tray title; null = all workspaces. */
  readonly selectedWorkspaceId: string | null;
  /** True while a refresh is running (progress indicator). */
  readonly refreshing: boolean;
  /** True until the first refresh of every connection has finished (values come from the snapshot cache). */
  readonly fromCache: boolean;
}

/** Result of every IPC call: nothing is thrown across IPC (Electron keeps only `message`). */
export type IpcResult<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: { readonly kind: string; readonly message: string } };

/** Invoke channels (renderer → main), declared once. */
export const INVOKE_CHANNELS = {
  getSnapshot: 'burnrate:get-snapshot',
  refreshNow: 'burnrate:refresh-now',
  selectWorkspace: 'burnrate:select-workspace',
  setPopoverOpen: 'burnrate:set-popover-open',
  hidePopover: 'burnrate:hide-popover',
} as const;

/** Push channels (main → renderer). */
export const PUSH_CHANNELS = {
  snapshotChanged: 'burnrate:snapshot-changed',
} as const;

/** Every invoke channel name. */
export type InvokeChannel = (typeof INVOKE_CHANNELS)[keyof typeof INVOKE_CHANNELS];

/** Request and response type of each invoke channel. */
export interface InvokeContracts {
  'burnrate:get-snapshot': { readonly request: null; readonly response: AppSnapshot };
  'burnrate:refresh-now': { readonly request: null; readonly response: null };
  'burnrate:select-workspace': { readonly request: { readonly workspaceId: string | null }; readonly response: null };
  'burnrate:set-popover-open': { readonly request: { readonly open: boolean }; readonly response: null };
  'burnrate:hide-popover': { readonly request: null; readonly response: null };
}

/** Fails the build when a channel lacks a contract or a contract lacks a channel. */
type Exact<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
export const CONTRACT_COVERAGE: Exact<InvokeChannel, keyof InvokeContracts> = true;

/** The API the preload script exposes as `window.burnrate`. Intent-named functions only. */
export interface SpendApi {
  getSnapshot(): Promise<IpcResult<AppSnapshot>>;
  refreshNow(): Promise<IpcResult<null>>;
  selectWorkspace(workspaceId: string | null): Promise<IpcResult<null>>;
  setPopoverOpen(open: boolean): Promise<IpcResult<null>>;
  /** Closes the popover (Escape), like clicking outside it. */
  hidePopover(): Promise<IpcResult<null>>;
  /** Subscribes to snapshots pushed by main; returns the unsubscribe function. */
  onSnapshot(listener: (snapshot: AppSnapshot) => void): () => void;
}

/** The name under which preload exposes the API. */
export const SPEND_API_KEY = 'burnrate';
