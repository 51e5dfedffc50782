import { useEffect, useLayoutEffect, useRef } from 'react';
import { tabId } from './WorkspaceTabs';

/** Actions bound to single keys. */
export interface WorkspaceKeyActions {
  /** Workspace ids in tab order. */
  readonly workspaceIds: readonly string[];
  readonly selectedId: string | null;
  readonly onSelect: (workspaceId: string | null) => void;
  /** Null when refreshing is not possible. */
  readonly onRefresh: (() => void) | null;
}

function isTyping(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  return target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName);
}

/**
 * One keystroke per action, anywhere in the window: 1–9 pick a workspace, 0 or A pick All,
 * ←/→ cycle through the tabs (moving focus along when it is on a tab), R refreshes.
 */
export function useWorkspaceKeys(actions: WorkspaceKeyActions): void {
  // One listener for the page's lifetime, reading the latest actions: re-subscribing after each
  // render left a moment, right after new data painted, in which a key press met the old list.
  const latest = useRef(actions);
  useLayoutEffect(() => {
    latest.current = actions;
  });
  useEffect(() => {
    const onKeyDown = (event: KeyboardEvent): void => {
      const { workspaceIds, selectedId, onSelect, onRefresh } = latest.current;
      if (event.defaultPrevented || event.metaKey || event.ctrlKey || event.altKey || isTyping(event.target)) return;
      const order: (string | null)[] = [null, ...workspaceIds];
      let next: string | null | undefined;
      if (/^[1-9]$/.test(event.key)) {
        next = workspaceIds[Number(event.key) - 1];
      } else if (event.key === '0' || event.key === 'a' || event.key === 'A') {
        next = null;
      } else if (event.key === 'ArrowRight' || event.key === 'ArrowLeft') {
        const step = event.key === 'ArrowRight' ? 1 : -1;
        const index = order.indexOf(selectedId);
        next = order[(Math.max(0, index) + step + order.length) % order.length];
      } else if ((event.key === 'r' || event.key === 'R') && onRefresh) {
        event.preventDefault();
        onRefresh();
        return;
      } else if (event.key === 'Home' || event.key === 'End') {
        if (!(event.target instanceof HTMLElement && event.target.getAttribute('role') === 'tab')) return;
        next = event.key === 'Home' ? null : order[order.length - 1];
      }
      if (next === undefined) return;
      event.preventDefault();
      const focusOnTab = event.target instanceof HTMLElement && event.target.getAttribute('role') === 'tab';
      if (next !== selectedId) onSelect(next);
      if (focusOnTab) document.getElementById(tabId(next))?.focus();
    };
    window.addEventListener('keydown', onKeyDown);
    return () => window.removeEventListener('keydown', onKeyDown);
  }, []);
}
