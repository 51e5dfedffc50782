/**
 * Zod building blocks shared by the provider schemas: exact money fields and the one function
 * that turns a schema failure into ProviderError('bad_response') naming the field.
 */
import { z } from 'zod';
import { ProviderError } from '../core/errors';
import { centsToMicros, MoneyParseError, toMicros } from '../core/money';
import { redact } from '../core/redact';
import { converted, FAIL, fastPathOf } from './fastParse';
import { isoInstantToMs } from './timestamps';
import type { SettingField } from './types';

/** The message of a negative amount where the provider documents no credit or refund. */
export const NEGATIVE_AMOUNT_MESSAGE =
  'expected an amount of 0 or more, got a negative one (the provider documents no credit or refund here)';

function moneyField(convert: (value: unknown) => number, what: string, signed = false) {
  return z.union([z.number(), z.string()]).transform((value, ctx) => {
    try {
      const micros = convert(value);
      if (micros < 0 && !signed) {
        // A negative usage amount would silently lower the total: refuse it, naming the field.
        ctx.addIssue({ code: 'custom', message: NEGATIVE_AMOUNT_MESSAGE });
        return z.NEVER;
      }
      return micros;
    } catch (error) {
      // The message never quotes the value: a provider could echo anything (even a key) into a field.
      const reason = error instanceof MoneyParseError && /too large/.test(error.message) ? 'too large to track exactly' : 'not a decimal amount';
      ctx.addIssue({ code: 'custom', message: `expected ${what}, got something ${reason === 'not a decimal amount' ? 'that is not a decimal amount' : reason}` });
      return z.NEVER;
    }
  });
}

/**
 * A money amount in major units, as a JSON number or a decimal string; parsed to integer micros.
 * Never negative: a negative amount is a `bad_response` naming the field (issue 9, item 7).
 */
export const moneyMicros = moneyField((value) => toMicros(value), 'an amount');

/**
 * A money amount that may be negative, only for fields where the provider documents credits or
 * refunds (Baseten's `credits_used` and the section `subtotal` after credits).
 */
export const signedMoneyMicros = moneyField((value) => toMicros(value), 'an amount', true);

/** An amount in cents (possibly fractional); parsed to integer micro-USD. Never negative. */
export const centsMicros = moneyField((value) => centsToMicros(value), 'an amount in cents');

const numberOrText = (value: unknown): boolean => (typeof value === 'number' && Number.isFinite(value)) || typeof value === 'string';
/** The fast path of {@link moneyMicros} (./fastParse.ts). */
export const fastMoneyMicros = converted(numberOrText, (value) => toMicros(value), (micros) => micros >= 0);
/** The fast path of {@link signedMoneyMicros}. */
export const fastSignedMoneyMicros = converted(numberOrText, (value) => toMicros(value));
/** The fast path of {@link centsMicros}. */
export const fastCentsMicros = converted(numberOrText, (value) => centsToMicros(value), (micros) => micros >= 0);

/** An ISO-8601 date-time with an explicit offset or `Z`, parsed to epoch ms. */
export const isoInstantMs = z.string().transform((value, ctx) => {
  const ms = isoInstantToMs(value);
  if (!Number.isFinite(ms)) {
    ctx.addIssue({ code: 'custom', message: 'expected an ISO-8601 date-time with a time zone' });
    return z.NEVER;
  }
  return ms;
});

/** A calendar date `YYYY-MM-DD`, parsed to the epoch ms of its UTC midnight. */
export const utcDateMs = z.string().transform((value, ctx) => {
  const ms = utcDateToMs(value);
  if (Number.isNaN(ms)) {
    ctx.addIssue({ code: 'custom', message: 'expected a date YYYY-MM-DD' });
    return z.NEVER;
  }
  return ms;
});

/** The epoch ms of the UTC midnight of a real calendar date `YYYY-MM-DD`, else NaN. */
function utcDateToMs(value: string): number {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  const ms = match ? Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])) : Number.NaN;
  if (!match || !Number.isFinite(ms) || new Date(ms).toISOString().slice(0, 10) !== value) return Number.NaN;
  return ms;
}

/** The fast path of {@link utcDateMs}. */
export const fastUtcDateMs = (value: unknown): number | typeof FAIL => {
  if (typeof value !== 'string') return FAIL;
  const ms = utcDateToMs(value);
  return Number.isNaN(ms) ? FAIL : ms;
};

/** Renders a zod issue path as `a.b[0].c`. */
export function formatIssuePath(path: readonly PropertyKey[]): string {
  let text = '';
  for (const segment of path) {
    if (typeof segment === 'number') text += `[${segment}]`;
    else text += text ? `.${String(segment)}` : String(segment);
  }
  return text || '(root)';
}

/**
 * Validates a raw answer at the boundary, through the schema's fast path when it has one
 * (./fastParse.ts: the same output, or zod decides). A failure becomes ProviderError('bad_response')
 * whose message names the first bad field, never the raw body. The zod error is not kept as
 * `cause`: its issues may quote raw values, and a cause travels into logs.
 * @example parseAnswer(schema, body, 'Baseten', 'usage summary', [apiKey])
 */
export function parseAnswer<T extends z.ZodType>(
  schema: T,
  body: unknown,
  provider: string,
  what: string,
  secrets: readonly string[] = [],
): z.output<T> {
  const fast = fastPathOf(schema);
  if (fast !== undefined) {
    // The hand-written check of the same shape (./fastParse.ts); on any doubt zod decides.
    const parsed = fast(body);
    if (parsed !== FAIL) return parsed;
  }
  const result = schema.safeParse(body);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const where = issue ? formatIssuePath(issue.path) : '(root)';
  const why = issue ? issue.message : 'invalid';
  throw new ProviderError('bad_response', redact(`${provider} sent a ${what} Burnrate does not understand: ${where}: ${why}`, secrets));
}

/**
 * The `baseUrl` field of a settings form, the same for every provider but for its default and hint.
 * Pair it with {@link baseUrlSetting} in the settings schema.
 */
export function baseUrlField(defaultUrl: string, help: string): SettingField {
  return { key: 'baseUrl', label: 'API base URL', kind: 'url', required: false, defaultValue: defaultUrl, help };
}

/** A base URL setting: absolute http(s) URL, trailing slashes removed. */
export const baseUrlSetting = (defaultUrl: string) =>
  z
    .url({ protocol: /^https?$/, error: 'must be an http(s) URL' })
    .default(defaultUrl)
    .transform((url) => url.replace(/\/+$/, ''));

/**
 * Joins a base URL (which may carry a path, e.g. Limitry's `/v1`) and an endpoint path.
 * @example joinUrl('https://api.limitry.com/v1', '/usage/summary').href //=> 'https://api.limitry.com/v1/usage/summary'
 */
export function joinUrl(baseUrl: string, path: string): URL {
  return new URL(`${baseUrl.replace(/\/+$/, '')}/${path.replace(/^\/+/, '')}`);
}
