/**
 * The one HTTP client every provider uses: undici with a keep-alive Agent, a per-request timeout,
 * the caller's AbortSignal, a response size limit and gzip/deflate/br decoding. Every failure
 * becomes a ProviderError whose message is for people and never contains a secret or a raw body.
 */
import type { Agent, Dispatcher } from 'undici';
import { ProviderError, type ProviderErrorKind } from '../core/errors';
import { redact } from '../core/redact';
import { decode, readBody } from './httpBody';
import { isResetBeforeAnswer, transportError } from './httpTransport';
import { loadUndiciParts, type UndiciParts } from './undiciParts';

export { isResponseTooLarge } from './httpTransport';

/** Options of one GET. */
export interface HttpGetOptions {
  /** Provider name for messages, e.g. "Baseten". */
  readonly provider: string;
  readonly url: URL;
  readonly headers?: Readonly<Record<string, string>>;
  /** Cancels the request. */
  readonly signal?: AbortSignal;
  /** Overrides the client's default timeout for this request (ms). */
  readonly timeoutMs?: number;
  /** Strings that must never appear in a message (the API key). */
  readonly secrets?: readonly string[];
  /**
   * Pulls the provider's own short explanation out of an error body (`{detail}`, `{errorDescription}`…).
   * The default reads the common fields; the text is flattened, redacted, then cut to 200 characters.
   */
  readonly errorDetail?: (body: unknown) => string | undefined;
  /**
   * A smaller body limit for this request (bytes; never above the client's `maxResponseBytes`). An
   * answer over it fails early as `bad_response` for which {@link isResponseTooLarge} is true, so an
   * adapter can narrow its request before an answer ever reaches the client's safety cap.
   */
  readonly maxBytes?: number;
}

/** A successful (2xx) JSON answer. */
export interface HttpJsonResponse {
  readonly status: number;
  /** Response headers, names in lower case. */
  readonly headers: Readonly<Record<string, string>>;
  /** Parsed JSON; validate it with zod before use. */
  readonly body: unknown;
}

/** The HTTP port providers depend on. */
export interface HttpClient {
  /** GETs JSON. Resolves only for 2xx JSON answers; everything else throws ProviderError. */
  getJson(options: HttpGetOptions): Promise<HttpJsonResponse>;
  /** Closes idle keep-alive connections. */
  close(): Promise<void>;
}

/** Options of {@link createHttpClient}. */
export interface HttpClientOptions {
  /** Per-request timeout (ms): connect + headers + body. Default 30 s. */
  readonly timeoutMs?: number;
  /** Largest accepted response body after decompression (bytes). Default 20 MiB. */
  readonly maxResponseBytes?: number;
  readonly userAgent?: string;
  /**
   * The clock (epoch ms), for a `Retry-After` HTTP date from a server that sends no `Date`
   * header. Providers never read the clock themselves; without it such a date is not read (the
   * poller's backoff applies instead).
   */
  readonly now?: () => number;
}

const DEFAULT_TIMEOUT_MS = 30_000;
const DEFAULT_MAX_RESPONSE_BYTES = 20 * 1024 * 1024;
const DETAIL_MAX_CHARS = 200;

/** Creates the shared client. One per process: it owns the keep-alive connection pool. */
export function createHttpClient(options: HttpClientOptions = {}): HttpClient {
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const maxResponseBytes = options.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES;
  const userAgent = options.userAgent ?? 'Burnrate (+https://github.com/burnrate)';
  // undici and the Agent come at the first request: a command answering from the spend database
  // never loads them (tens of ms of a cold start). undici's decompress interceptor is experimental
  // (it warns); zlib with maxOutputLength gives the same result and size limit after decompression.
  // Only undici's Agent and request are loaded (./undiciParts.ts).
  let undici: { agent: Agent; request: UndiciParts['request'] } | undefined;
  const loadUndici = () => {
    if (undici === undefined) {
      const { Agent, request } = loadUndiciParts();
      undici = {
        agent: new Agent({
          keepAliveTimeout: 30_000,
          connections: 8,
          // HTTP/1.1 only; undici's HTTP/2 client is not even loaded (./undiciParts.ts).
          allowH2: false,
          connectTimeout: Math.min(timeoutMs, 10_000),
          maxResponseSize: maxResponseBytes,
        }),
        request,
      };
    }
    return undici;
  };

  return {
    async getJson(get: HttpGetOptions): Promise<HttpJsonResponse> {
      const secrets = get.secrets ?? [];
      const clean = (text: string): string => redact(text, secrets);
      const requestTimeoutMs = get.timeoutMs ?? timeoutMs;
      const timeoutSignal = AbortSignal.timeout(requestTimeoutMs);
      const signal = get.signal ? AbortSignal.any([get.signal, timeoutSignal]) : timeoutSignal;
      const host = get.url.host;

      const { agent, request } = loadUndici();
      let response: Dispatcher.ResponseData;
      let text: string;
      const send = () =>
        request(agent, {
          origin: get.url.origin,
          path: `${get.url.pathname}${get.url.search}`,
          method: 'GET',
          signal,
          headersTimeout: requestTimeoutMs,
          bodyTimeout: requestTimeoutMs,
          headers: {
            accept: 'application/json',
            'accept-encoding': 'gzip, deflate, br',
            'user-agent': userAgent,
            ...get.headers,
          },
        });
      try {
        try {
          response = await send();
        } catch (error) {
          // Reset before any answer: a kept-alive connection the server closed just as the request
          // went out. A GET is sent once more, on a fresh connection (as browsers and Go's net/http
          // do); a second reset is the provider's, and is reported.
          if (!isResetBeforeAnswer(error) || signal.aborted) throw error;
          response = await send();
        }
        const limit = Math.min(get.maxBytes ?? maxResponseBytes, maxResponseBytes);
        const raw = await readBody(response, limit);
        text = decode(raw, response.headers['content-encoding'], limit);
      } catch (error) {
        throw transportError(error, {
          provider: get.provider,
          host,
          timeoutMs: requestTimeoutMs,
          callerAborted: get.signal?.aborted ?? false,
          timedOut: timeoutSignal.aborted,
          clean,
        });
      }

      const headers = flattenHeaders(response.headers);
      const contentType = headers['content-type'] ?? '';
      const body = parseJsonOrUndefined(text);
      const status = response.statusCode;

      if (status >= 200 && status < 300) {
        if (body === undefined) {
          const what = contentType ? contentType.split(';')[0] : 'an empty or unreadable body';
          throw new ProviderError('bad_response', `${get.provider} answered with ${what} instead of JSON (${status})`, {
            status,
          });
        }
        return { status, headers, body };
      }

      const detailOf = get.errorDetail ?? defaultErrorDetail;
      const rawDetail = body === undefined ? undefined : safeDetail(detailOf, body);
      // Redact, then cut: cutting first could split a key and leave its first part in the message.
      const detail = rawDetail ? cleanDetail(rawDetail, secrets) : undefined;
      const retryAfterMs = status === 429 || status === 503 ? readRetryAfterMs(headers, body, options.now?.()) : undefined;
      const kind = kindForStatus(status);
      throw new ProviderError(kind, clean(statusMessage(get.provider, kind, status, detail, retryAfterMs)), {
        status,
        ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
      });
    },
    async close() {
      if (undici !== undefined) await undici.agent.close();
    },
  };
}

/** Maps an HTTP status to an error kind (PROVIDERS.md §0 common rules). */
export function kindForStatus(status: number): ProviderErrorKind {
  if (status === 401 || status === 403) return 'auth';
  if (status === 429) return 'rate_limited';
  if (status >= 500) return 'server';
  if (status >= 400) return 'bad_request';
  // 1xx/3xx: we never follow redirects (they could carry the auth header elsewhere).
  return 'bad_response';
}

function statusMessage(
  provider: string,
  kind: ProviderErrorKind,
  status: number,
  detail: string | undefined,
  retryAfterMs: number | undefined,
): string {
  const suffix = detail ? `: ${detail}` : '';
  switch (kind) {
    case 'auth':
      return status === 403
        ? `${provider} refused access with this API key (403)${suffix}`
        : `${provider} rejected the API key (${status})${suffix}`;
    case 'rate_limited': {
      const wait = retryAfterMs === undefined ? '' : `; retry in ${Math.ceil(retryAfterMs / 1000)} s`;
      return `${provider} is rate limiting requests (429)${wait}${suffix}`;
    }
    case 'server':
      return `${provider} had a server error (${status})${suffix}`;
    case 'bad_request':
      return status === 404
        ? `${provider} does not know this endpoint or resource (404)${suffix}`
        : `${provider} rejected the request (${status})${suffix}`;
    default:
      return `${provider} answered with an unexpected status (${status})`;
  }
}

function flattenHeaders(headers: Dispatcher.ResponseData['headers']): Record<string, string> {
  const flat: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined) continue;
    flat[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
  }
  return flat;
}

function parseJsonOrUndefined(text: string): unknown {
  if (text.trim() === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    // Not JSON (an HTML error page, a proxy's text): the caller reports it by status, without the body.
    return undefined;
  }
}

function safeDetail(detailOf: (body: unknown) => string | undefined, body: unknown): string | undefined {
  try {
    return detailOf(body);
  } catch {
    // A detail extractor must never turn an error report into a crash; the status alone is enough.
    return undefined;
  }
}

/**
 * A provider's explanation made fit for a message: one line, secrets removed, then cut to 200
 * characters. Redact, then cut: cutting first could split a key and leave its first part.
 * @example cleanDetail('bad key sk_1234567890\n', ['sk_1234567890']) //=> 'bad key [redacted]'
 */
export function cleanDetail(text: string, secrets: readonly string[]): string {
  return truncate(redact(oneLine(text), secrets));
}

function oneLine(text: string): string {
  // A hostile provider may send megabytes of detail; only the start can be shown, but redaction
  // must see whole keys, so keep a generous margin beyond the cut (keys are far shorter).
  return text.slice(0, 64 * 1024).replace(/\s+/g, ' ').trim();
}

function truncate(text: string): string {
  if (text.length <= DETAIL_MAX_CHARS) return text;
  // Never end inside a redaction marker: "[reda…" would look like a key fragment.
  let cut = text.slice(0, DETAIL_MAX_CHARS - 1);
  const open = cut.lastIndexOf('[');
  if (open >= 0 && !cut.slice(open).includes(']')) cut = cut.slice(0, open);
  return `${cut}…`;
}

/** Reads the provider's explanation from the usual error fields of the five APIs. */
export function defaultErrorDetail(body: unknown): string | undefined {
  if (!body || typeof body !== 'object' || Array.isArray(body)) return undefined;
  const record = body as Record<string, unknown>;
  for (const key of ['errorDescription', 'detail', 'message', 'error']) {
    const value = record[key];
    if (typeof value === 'string' && value.trim()) return value;
  }
  return undefined;
}

/** A provider's wait is believed up to a year; anything longer reads as a year (it is shown, never armed as a timer). */
export const MAX_RETRY_AFTER_MS = 366 * 24 * 60 * 60_000;

/**
 * Reads how long to wait from a `Retry-After` header (seconds or HTTP date), else from
 * `retry_after` / `details.retry_after` (seconds) in the JSON body. An HTTP date is measured
 * against the server's `Date` header, else against `nowMs` (else it is not read). At most
 * {@link MAX_RETRY_AFTER_MS}.
 * @example readRetryAfterMs({ 'retry-after': '37' }, undefined) //=> 37_000
 */
export function readRetryAfterMs(headers: Readonly<Record<string, string>>, body: unknown, nowMs?: number): number | undefined {
  const ms = readRawRetryAfterMs(headers, body, nowMs);
  return ms === undefined ? undefined : Math.min(ms, MAX_RETRY_AFTER_MS);
}

function readRawRetryAfterMs(headers: Readonly<Record<string, string>>, body: unknown, nowMs?: number): number | undefined {
  const header = headers['retry-after'];
  if (header !== undefined) {
    const seconds = Number(header.trim());
    if (header.trim() !== '' && Number.isFinite(seconds) && seconds >= 0) return Math.round(seconds * 1000);
    const dateMs = Date.parse(header);
    if (Number.isFinite(dateMs)) {
      // An HTTP date is relative to the server's clock: measure against its Date header when present.
      const serverNowMs = headers.date ? Date.parse(headers.date) : Number.NaN;
      const baseMs = Number.isFinite(serverNowMs) ? serverNowMs : nowMs;
      if (baseMs !== undefined) return Math.max(0, dateMs - baseMs);
    }
  }
  if (body && typeof body === 'object' && !Array.isArray(body)) {
    const record = body as Record<string, unknown>;
    const details = record.details;
    const candidates = [
      record.retry_after,
      details && typeof details === 'object' ? (details as Record<string, unknown>).retry_after : undefined,
    ];
    for (const candidate of candidates) {
      const seconds = typeof candidate === 'string' ? Number(candidate) : candidate;
      if (typeof seconds === 'number' && Number.isFinite(seconds) && seconds >= 0) return Math.round(seconds * 1000);
    }
  }
  return undefined;
}
