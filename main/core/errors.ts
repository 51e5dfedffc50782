/**
 * The one error type a provider adapter may throw. Expected failures (bad key, rate limit,
 * provider down) are values with a stable `kind`; the poller decides what to do with each.
 */

/** Why a provider call failed. */
export type ProviderErrorKind = 'auth' | 'rate_limited' | 'bad_request' | 'server' | 'network' | 'bad_response';

/** Every kind, for schemas and exhaustive tests. */
export const PROVIDER_ERROR_KINDS: readonly ProviderErrorKind[] = [
  'auth',
  'rate_limited',
  'bad_request',
  'server',
  'network',
  'bad_response',
];

/** Options of a {@link ProviderError}. */
export interface ProviderErrorOptions {
  /** How long the provider asked us to wait before trying again (ms). */
  retryAfterMs?: number;
  /** HTTP status, when there was one. */
  status?: number;
  /** The underlying error (an undici error, a zod error). Never a raw response body. */
  cause?: unknown;
  /** True when the caller's AbortSignal cancelled the call (not a provider failure). */
  aborted?: boolean;
}

/**
 * A failed provider call. `message` is written for people ("Baseten rejected the API key (401)")
 * and never contains a secret or a raw response body.
 */
export class ProviderError extends Error {
  override readonly name = 'ProviderError';
  readonly kind: ProviderErrorKind;
  readonly retryAfterMs: number | undefined;
  readonly status: number | undefined;
  readonly aborted: boolean;

  constructor(kind: ProviderErrorKind, message: string, options: ProviderErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.kind = kind;
    this.retryAfterMs = options.retryAfterMs;
    this.status = options.status;
    this.aborted = options.aborted ?? false;
  }

  /** Transient kinds are worth retrying with backoff. */
  get transient(): boolean {
    return this.kind === 'rate_limited' || this.kind === 'server' || this.kind === 'network';
  }
}

/** Type guard usable across module copies (checks the shape, not only `instanceof`). */
export function isProviderError(value: unknown): value is ProviderError {
  return (
    value instanceof ProviderError ||
    (value instanceof Error && value.name === 'ProviderError' && typeof (value as { kind?: unknown }).kind === 'string')
  );
}
