/**
 * Reads the `X-RateLimit-*` headers (Civis, TensorOne) into a {@link RateLimitState}.
 */
import type { RateLimitState } from '../core/report';

/** Options of {@link readRateLimit}. */
export interface RateLimitHeaderOptions {
  /**
   * Read `X-RateLimit-Reset` as Unix seconds (TensorOne documents it so). Off by default: Civis
   * documents only Limit and Remaining, and a reset of unknown unit would be a guess.
   */
  readonly resetInUnixSeconds?: boolean;
}

/** A non-negative whole number header, else undefined (garbage is ignored, never guessed at). */
function countHeader(headers: Readonly<Record<string, string>>, name: string): number | undefined {
  const text = headers[name]?.trim();
  if (!text || !/^\d+$/.test(text)) return undefined;
  const value = Number(text);
  return Number.isSafeInteger(value) ? value : undefined;
}

/**
 * The rate-limit state the provider reported, or undefined when it sent none of the headers.
 * Header names are lower case (as the HTTP client delivers them).
 * @example readRateLimit({ 'x-ratelimit-limit': '1000', 'x-ratelimit-remaining': '998' }) //=> { limit: 1000, remaining: 998 }
 */
export function readRateLimit(headers: Readonly<Record<string, string>>, options: RateLimitHeaderOptions = {}): RateLimitState | undefined {
  const limit = countHeader(headers, 'x-ratelimit-limit');
  const remaining = countHeader(headers, 'x-ratelimit-remaining');
  const resetSeconds = options.resetInUnixSeconds === true ? countHeader(headers, 'x-ratelimit-reset') : undefined;
  if (limit === undefined && remaining === undefined && resetSeconds === undefined) return undefined;
  return {
    ...(limit === undefined ? {} : { limit }),
    ...(remaining === undefined ? {} : { remaining }),
    ...(resetSeconds === undefined ? {} : { resetAtMs: resetSeconds * 1000 }),
  };
}
