import { useRef } from 'react';
import { shareStructure } from './shareStructure';

/**
 * `value`, structurally shared with what this hook returned at the previous render
 * ({@link shareStructure}): the parts that did not change keep their identity, so memoized children
 * (React.memo, useMemo) skip them. Costs nothing when `value` is the same object as last time.
 * The ref is written during render on purpose: the result is a pure function of the previous
 * result and `value`, so a render that runs twice (StrictMode) or is thrown away yields the same
 * (deep-equal) value.
 */
export function useShared<T>(value: T): T {
  const previous = useRef(value);
  const shared = shareStructure(previous.current, value);
  previous.current = shared;
  return shared;
}
