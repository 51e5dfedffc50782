/**
 * A one-entry cache for derived values: the result of the last computation, kept while its inputs
 * stay the same objects. With structural sharing (shareStructure.ts), a part of the status
 * document that did not change keeps its identity, so what is derived from it alone (the All
 * tab's summed hourly series, its list of resources) is not derived again when another part
 * (the headline) changed, and keeps its own identity for the memoized sections.
 */

/** A cache made by {@link lastResult}. */
export type LastResult<R> = (inputs: readonly unknown[], compute: () => R) => R;

/**
 * A cache of one result: `cached(inputs, compute)` answers the previous result while `inputs` hold
 * the same values as at the previous call (`Object.is`, position by position, same length), else
 * runs `compute()` and keeps its result. `compute` must depend on nothing but `inputs`.
 * @example
 * const hourly = lastResult<number>();
 * hourly([a, b], () => sum(a, b)); // computes
 * hourly([a, b], () => sum(a, b)); // the same result, not computed again
 */
export function lastResult<R>(): LastResult<R> {
  let last: { readonly inputs: readonly unknown[]; readonly result: R } | null = null;
  return (inputs, compute) => {
    if (last !== null && sameInputs(last.inputs, inputs)) return last.result;
    const result = compute();
    last = { inputs, result };
    return result;
  };
}

function sameInputs(a: readonly unknown[], b: readonly unknown[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i += 1) if (!Object.is(a[i], b[i])) return false;
  return true;
}
