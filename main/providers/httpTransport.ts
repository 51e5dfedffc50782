/**
 * How the HTTP client reads a failure below HTTP (refused, reset, timed out, too large, undecodable):
 * undici's error codes become a ProviderError whose message is for people, with the secrets removed.
 */
import { ProviderError } from '../core/errors';

/** What {@link transportError} needs to know about the request that failed. */
export interface TransportContext {
  readonly provider: string;
  readonly host: string;
  readonly timeoutMs: number;
  readonly callerAborted: boolean;
  readonly timedOut: boolean;
  readonly clean: (text: string) => string;
}

const NETWORK_REASONS: Readonly<Record<string, string>> = {
  ECONNREFUSED: 'connection refused',
  ECONNRESET: 'the connection was reset',
  EPIPE: 'the connection was reset',
  UND_ERR_SOCKET: 'the connection was closed unexpectedly',
  ENOTFOUND: 'host not found',
  EAI_AGAIN: 'DNS lookup failed',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
  ETIMEDOUT: 'the connection timed out',
  UND_ERR_CONNECT_TIMEOUT: 'the connection timed out',
  CERT_HAS_EXPIRED: 'its TLS certificate has expired',
  DEPTH_ZERO_SELF_SIGNED_CERT: 'its TLS certificate is not trusted',
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: 'its TLS certificate is not trusted',
  ERR_TLS_CERT_ALTNAME_INVALID: 'its TLS certificate does not match the host',
};

/** The ProviderError of a failed request: `network` with a reason in words, or `bad_response` for a body too large or undecodable. */
export function transportError(error: unknown, ctx: TransportContext): ProviderError {
  const code = errorCode(error);
  if (code === 'UND_ERR_RES_EXCEEDED_MAX_SIZE' || code === 'ERR_BUFFER_TOO_LARGE') {
    return new ProviderError('bad_response', `${ctx.provider} sent an answer larger than Burnrate accepts`, {
      cause: error,
    });
  }
  if (code === 'Z_DATA_ERROR' || code === 'Z_BUF_ERROR' || code === 'UNSUPPORTED_ENCODING') {
    return new ProviderError('bad_response', `${ctx.provider} sent a compressed answer that could not be decoded`, {
      cause: error,
    });
  }
  if (ctx.callerAborted) {
    return new ProviderError('network', `The request to ${ctx.provider} was cancelled`, {
      cause: error,
      aborted: true,
    });
  }
  if (
    ctx.timedOut ||
    code === 'UND_ERR_HEADERS_TIMEOUT' ||
    code === 'UND_ERR_BODY_TIMEOUT' ||
    code === 'UND_ERR_ABORTED' ||
    code === 'ABORT_ERR'
  ) {
    return new ProviderError(
      'network',
      `${ctx.provider} did not answer within ${Math.round(ctx.timeoutMs / 1000)} s (${ctx.host})`,
      { cause: error },
    );
  }
  const reason = (code && NETWORK_REASONS[code]) ?? (code ? `network error ${code}` : 'network error');
  return new ProviderError('network', ctx.clean(`Could not reach ${ctx.provider} at ${ctx.host}: ${reason}`), {
    cause: error,
  });
}

function errorCode(error: unknown): string | undefined {
  // undici wraps socket errors; branch on codes, never on messages.
  let current: unknown = error;
  for (let depth = 0; depth < 4 && current && typeof current === 'object'; depth += 1) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string' && code !== 'UND_ERR_SOCKET') return code;
    if (code === 'UND_ERR_SOCKET') {
      const inner = errorCode((current as { cause?: unknown }).cause);
      return inner ?? code;
    }
    if ((current as { name?: unknown }).name === 'AbortError' || (current as { name?: unknown }).name === 'TimeoutError') {
      return 'ABORT_ERR';
    }
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}

const TOO_LARGE_CODES: ReadonlySet<string> = new Set(['UND_ERR_RES_EXCEEDED_MAX_SIZE', 'ERR_BUFFER_TOO_LARGE']);

/**
 * True for the error of an answer larger than the request's limit (its `maxBytes`, else the client's
 * cap): the provider has more to say than one answer may carry, so ask for less.
 */
export function isResponseTooLarge(error: unknown): boolean {
  if (!(error instanceof ProviderError) || error.kind !== 'bad_response') return false;
  const code = errorCode(error.cause);
  return typeof code === 'string' && TOO_LARGE_CODES.has(code);
}

const RESET_CODES: ReadonlySet<string> = new Set(['ECONNRESET', 'EPIPE', 'UND_ERR_SOCKET']);

/**
 * True when the connection was reset or closed before any answer came: the request may never have
 * reached the server (a kept-alive connection it closed as the request went out), so a GET may be
 * sent again. Not for refused connections, timeouts or aborts.
 */
export function isResetBeforeAnswer(error: unknown): boolean {
  const code = errorCode(error);
  return code !== undefined && RESET_CODES.has(code);
}
