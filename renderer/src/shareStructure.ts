/**
 * Structural sharing of JSON values: a new status document is merged against the previous one so
 * that every part that did not change keeps the previous object's identity. Memoized sections
 * (React.memo, useMemo) then compare by identity and skip what did not change: a new document in
 * which only the headline moved re-renders the headline, not the period table, the connections or
 * the list of resources.
 */

/**
 * `next`, with each object or array that is deep-equal to the one at the same place in
 * `previous` replaced by that one; `previous` itself when the two are deep-equal. Objects and
 * arrays that changed are new (shallow copies holding the shared parts), so neither input is
 * mutated. For JSON-like values (plain objects, arrays, primitives); key order is ignored.
 * Numbers compare with Object.is-like equality for NaN (JSON has none; snapshots may).
 * @example
 * const a = { spent: 1, hours: [{ usd: 2 }] };
 * const b = shareStructure(a, { spent: 3, hours: [{ usd: 2 }] });
 * b.hours === a.hours; //=> true
 */
export function shareStructure<T>(previous: unknown, next: T): T {
  return share(previous, next) as T;
}

function share(previous: unknown, next: unknown): unknown {
  if (previous === next) return next;
  if (typeof previous !== 'object' || typeof next !== 'object' || previous === null || next === null) {
    return typeof previous === 'number' && typeof next === 'number' && Number.isNaN(previous) && Number.isNaN(next) ? previous : next;
  }
  const previousIsArray = Array.isArray(previous);
  if (previousIsArray !== Array.isArray(next)) return next;
  if (previousIsArray) {
    const before = previous as readonly unknown[];
    const after = next as readonly unknown[];
    let same = before.length === after.length;
    let copy: unknown[] | null = null;
    for (let i = 0; i < after.length; i += 1) {
      const old = before[i];
      const value = share(old, after[i]);
      if (value !== old) same = false;
      if (value !== after[i]) (copy ??= after.slice())[i] = value;
    }
    return same ? previous : (copy ?? next);
  }
  if (!isPlain(previous) || !isPlain(next)) return next;
  const before = previous as Readonly<Record<string, unknown>>;
  const after = next as Readonly<Record<string, unknown>>;
  let same = true;
  let count = 0;
  let copy: Record<string, unknown> | null = null;
  for (const key in after) {
    count += 1;
    const old = before[key];
    const value = share(old, after[key]);
    // An absent key reads undefined: the same only when `previous` has it too.
    if (value !== old || (old === undefined && !(key in before))) same = false;
    if (value !== after[key]) (copy ??= { ...after })[key] = value;
  }
  // Same values for every key of `next`: the same object when `previous` has no other key.
  if (same) same = Object.keys(before).length === count;
  return same ? previous : (copy ?? next);
}

function isPlain(value: object): boolean {
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === Object.prototype || proto === null;
}
