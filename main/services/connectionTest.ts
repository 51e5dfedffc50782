/**
 * "Test connection" of the settings screen: one fetch of the last 24 hours with the form's settings
 * and key, through the provider's adapter. Never saves anything; the outcome comes back typed and
 * in words, with the key redacted from every message.
 */
import type { ConnectionInput, ConnectionTestResult } from '../../preload/api';
import { isProviderError } from '../core/errors';
import { microsToUnits } from '../core/money';
import type { HttpClient } from '../providers/http';
import { adapterFor, type ProviderId } from '../providers/registry';
import type { Clock, Logger } from './ports';

/** How long "Test connection" may take (ms). */
const TEST_TIMEOUT_MS = 20_000;
/** Range "Test connection" asks for: the last day. */
const TEST_RANGE_MS = 24 * 3_600_000;

/** What a connection test needs from the app. */
export interface ConnectionTestDeps {
  readonly http: HttpClient;
  readonly clock: Clock;
  readonly logger: Logger;
}

/** Fetches the last 24 hours of `provider` with `settings` (already checked by the form) and `apiKey`. */
export async function runConnectionTest(provider: ProviderId, settings: Record<string, unknown>, apiKey: string, deps: ConnectionTestDeps): Promise<ConnectionTestResult> {
  const adapter = adapterFor(provider);
  const nowMs = deps.clock.now();
  const parsed = adapter.settingsSchema.parse(settings);
  try {
    const report = await adapter.fetchUsage(
      { startMs: nowMs - TEST_RANGE_MS, endMs: nowMs },
      { http: deps.http, apiKey, settings: parsed, signal: AbortSignal.timeout(TEST_TIMEOUT_MS), nowMs },
    );
    const spentUsd = report.unit === 'usd' ? microsToUnits(report.totalMicros) : null;
    const amount =
      spentUsd === null
        ? `${microsToUnits(report.totalMicros).toLocaleString('en-US', { maximumFractionDigits: 2 })} credits`
        : `$${spentUsd.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;
    return { ok: true, spentUsd, message: `Connected: ${adapter.displayName} answered. ${amount} in the last 24 hours.` };
  } catch (error) {
    if (isProviderError(error)) {
      const message = error.aborted ? `${adapter.displayName} did not answer within ${TEST_TIMEOUT_MS / 1000} s.` : redactAll(error.message, [apiKey]);
      return { ok: false, kind: error.kind, message, problems: error.kind === 'auth' ? [{ field: 'apiKey', message }] : [] };
    }
    deps.logger.error(`Test connection of ${adapter.displayName} failed unexpectedly.`, { message: redactAll((error as Error).message, [apiKey]) });
    return { ok: false, kind: 'network', message: `The test could not run: ${redactAll((error as Error).message, [apiKey])}`, problems: [] };
  }
}

/** The result of a test without a key: the variable named by the form is unset, or no key was typed. */
export function missingKeyResult(input: ConnectionInput): ConnectionTestResult {
  const message = input.apiKeyEnv !== null ? `The environment variable ${input.apiKeyEnv} is not set.` : 'Type the API key first.';
  return { ok: false, kind: 'config', message, problems: [{ field: input.apiKeyEnv !== null ? 'apiKeyEnv' : 'apiKey', message }] };
}

function redactAll(text: string, secrets: readonly string[]): string {
  return secrets.reduce((out, secret) => (secret ? out.split(secret).join('••••') : out), text);
}
