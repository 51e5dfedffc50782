/**
 * Fast paths for the large provider answers (issue 11, "Cheaper parsing"). zod validates every
 * field of every array item through several layers of closures and allocates per item; on the
 * heavy month (85,000 Civis runs, Simplismart's hourly points) that cost ten times `JSON.parse`.
 *
 * A fast parser is a hand-written check of the same shape built from these combinators: it returns
 * the output zod would return, or {@link FAIL} at the first thing it does not accept *for certain*
 * (a wrong type, a value out of range, an `undefined`, anything unusual). `parseAnswer`
 * (./schema.ts) tries the fast parser registered for a schema ({@link withFastPath}) and on FAIL
 * runs zod on the whole answer, so every error is zod's own typed error naming the field, exactly as
 * before. The money and instant leaves call the very functions the zod transforms call.
 * fastParse.test.ts proves fast parser == zod over the fakes' answers and generated mutations of them.
 */
import type { z } from 'zod';
import { isoInstantToMs } from './timestamps';

/** A fast parser's refusal: not necessarily invalid, only not accepted for certain (zod decides). */
export const FAIL: unique symbol = Symbol('fast parse: let zod decide');

/** A fast parser: the parsed value, or {@link FAIL}. */
export type Fast<T> = (value: unknown) => T | typeof FAIL;

const fastPaths = new WeakMap<z.ZodType, Fast<unknown>>();

/**
 * Registers `fast` as the fast path of `schema` (used by `parseAnswer`); returns `schema`. The
 * combinators are not typed as precisely as zod: fastParse.test.ts proves the outputs equal.
 */
export function withFastPath<T extends z.ZodType>(schema: T, fast: Fast<unknown>): T {
  fastPaths.set(schema, fast);
  return schema;
}

/** The fast path registered for `schema`, if any. */
export function fastPathOf<T extends z.ZodType>(schema: T): Fast<z.output<T>> | undefined {
  return fastPaths.get(schema) as Fast<z.output<T>> | undefined;
}

/** zod's object test: an object, not null, not an array. */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** `z.number()`. */
export const number: Fast<number> = (v) => (typeof v === 'number' && Number.isFinite(v) ? v : FAIL);
/** `z.number().nonnegative()`. */
export const nonNegativeNumber: Fast<number> = (v) => (typeof v === 'number' && Number.isFinite(v) && v >= 0 ? v : FAIL);
/** `z.number().int()` (zod's int is a safe integer). */
export const int: Fast<number> = (v) => (Number.isSafeInteger(v) ? (v as number) : FAIL);
/** `z.number().int().nonnegative()`. */
export const count: Fast<number> = (v) => (Number.isSafeInteger(v) && (v as number) >= 0 ? (v as number) : FAIL);
/** `z.string()`. */
export const string: Fast<string> = (v) => (typeof v === 'string' ? v : FAIL);
/** `z.string().min(1)`. */
export const nonEmptyString: Fast<string> = (v) => (typeof v === 'string' && v.length >= 1 ? v : FAIL);
/** `isoInstantMs` of ./schema.ts: an ISO-8601 instant with a zone, to epoch ms. */
export const instant: Fast<number> = (v) => {
  if (typeof v !== 'string') return FAIL;
  const ms = isoInstantToMs(v);
  return Number.isFinite(ms) ? ms : FAIL;
};

/**
 * A leaf made of a conversion that throws on bad input (money): the conversion's result when it
 * returns and `accept` agrees, else FAIL.
 */
export function converted<T>(accepts: (v: unknown) => boolean, convert: (v: unknown) => T, accept: (out: T) => boolean = () => true): Fast<T> {
  return (v) => {
    if (!accepts(v)) return FAIL;
    let out: T;
    try {
      out = convert(v);
    } catch {
      return FAIL;
    }
    return accept(out) ? out : FAIL;
  };
}

/** How an object field is read: zod's required, `.optional()`, `.nullish()`, `.nullable().optional()` or `.default(…)`. */
export type FieldMode = 'required' | 'optional' | 'nullish' | 'default';

interface Field {
  readonly key: string;
  readonly fast: Fast<unknown>;
  readonly mode: FieldMode;
  readonly fallback?: () => unknown;
}

/** An optional field (`.optional()`): absent stays absent. */
export const optional = <T>(fast: Fast<T>) => ({ fast, mode: 'optional' as const });
/** A nullish field (`.nullish()`, `.nullable().optional()`): absent stays absent, null stays null. */
export const nullish = <T>(fast: Fast<T>) => ({ fast, mode: 'nullish' as const });
/** A field with a default (`.default(value)`): absent becomes a fresh `make()`. */
export const withDefault = <T>(fast: Fast<T>, make: () => T) => ({ fast, mode: 'default' as const, fallback: make });

type FieldSpec = Fast<unknown> | { readonly fast: Fast<unknown>; readonly mode: FieldMode; readonly fallback?: () => unknown };

/**
 * `z.object(shape)` (unknown keys stripped, output keys in shape order). A present `undefined` is
 * left to zod (JSON has none).
 */
export function object(shape: Readonly<Record<string, FieldSpec>>): Fast<Record<string, unknown>> {
  const fields: Field[] = Object.entries(shape).map(([key, spec]) =>
    typeof spec === 'function' ? { key, fast: spec, mode: 'required' } : { key, fast: spec.fast, mode: spec.mode, ...(spec.fallback ? { fallback: spec.fallback } : {}) },
  );
  return (v) => {
    if (!isRecord(v)) return FAIL;
    const out: Record<string, unknown> = {};
    for (const field of fields) {
      const key = field.key;
      if (!(key in v)) {
        if (field.mode === 'required') return FAIL;
        if (field.mode === 'default') out[key] = field.fallback!();
        continue;
      }
      const value = v[key];
      if (value === undefined) return FAIL;
      if (value === null && field.mode === 'nullish') {
        out[key] = null;
        continue;
      }
      const parsed = field.fast(value);
      if (parsed === FAIL) return FAIL;
      out[key] = parsed;
    }
    return out;
  };
}

/** `z.array(item)`. */
export function array<T>(item: Fast<T>): Fast<T[]> {
  return (v) => {
    if (!Array.isArray(v)) return FAIL;
    const out: T[] = [];
    for (let i = 0; i < v.length; i += 1) {
      const parsed = item(v[i]);
      if (parsed === FAIL) return FAIL;
      out.push(parsed);
    }
    return out;
  };
}

/** A part left to zod (rare, small parts of a large answer): zod's output, or FAIL when zod refuses. */
export function viaZod<T extends z.ZodType>(schema: T): Fast<z.output<T>> {
  return (v) => {
    const result = schema.safeParse(v);
    return result.success ? result.data : FAIL;
  };
}
