/**
 * "Did you mean" for typed names (commands, flags, config keys): the closest known name by edit
 * distance, when it is close enough to be a typo. Pure.
 */

/**
 * Damerau–Levenshtein (optimal string alignment) distance: insertions, deletions, substitutions
 * and swaps of two neighbours each cost 1, so "stauts" is 1 from "status".
 * @example editDistance('stauts', 'status') //=> 1
 */
export function editDistance(a: string, b: string): number {
  const rows = a.length + 1;
  const cols = b.length + 1;
  const d: number[][] = Array.from({ length: rows }, (_, i) => Array.from({ length: cols }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i < rows; i += 1) {
    for (let j = 1; j < cols; j += 1) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) best = Math.min(best, d[i - 2]![j - 2]! + 1);
      d[i]![j] = best;
    }
  }
  return d[a.length]![b.length]!;
}

/**
 * The known name closest to `input` (case-insensitive), or null when none is within a typo's
 * reach: at most 1 edit for names up to 4 characters, 2 up to 8, else 3.
 * @example suggest('stauts', ['status', 'watch', 'serve']) //=> 'status'
 * @example suggest('xyz', ['status']) //=> null
 */
export function suggest(input: string, candidates: readonly string[]): string | null {
  const needle = input.toLowerCase();
  const limit = needle.length <= 4 ? 1 : needle.length <= 8 ? 2 : 3;
  let best: string | null = null;
  let bestDistance = Infinity;
  for (const candidate of candidates) {
    const distance = editDistance(needle, candidate.toLowerCase());
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return best !== null && bestDistance <= limit ? best : null;
}
