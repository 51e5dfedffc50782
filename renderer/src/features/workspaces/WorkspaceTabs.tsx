import { memo, useEffect, useRef, useState } from 'react';
import type { WorkspaceStatus } from '../../../../preload/api';
import { tabFlag } from '../overview/tone';
import './workspaces.css';

/** Props of {@link WorkspaceTabs}. */
export interface WorkspaceTabsProps {
  readonly workspaces: readonly WorkspaceStatus[];
  /** Null = "All". */
  readonly selectedId: string | null;
  readonly onSelect: (workspaceId: string | null) => void;
  /** Id of the tab panel the tabs control. */
  readonly panelId: string;
}

/** The DOM id of a workspace's tab (null = All). */
export function tabId(workspaceId: string | null): string {
  return workspaceId === null ? 'tab-all' : `tab-ws-${workspaceId.replace(/[^A-Za-z0-9_-]/g, '_')}`;
}

function shortcutFor(index: number): string | undefined {
  return index < 9 ? String(index + 1) : undefined;
}

/**
 * "All" plus one tab per workspace. Each tab names its shortcut (1–9, A) and carries a dot when
 * a connection fails or the budget is in danger. Keys are handled by {@link useWorkspaceKeys}.
 */
export const WorkspaceTabs = memo(function WorkspaceTabs({ workspaces, selectedId, onSelect, panelId }: WorkspaceTabsProps) {
  const listRef = useRef<HTMLDivElement>(null);
  // Which sides have hidden tabs: shown as a fade with an arrow, so a strip of 4+ workspaces
  // visibly scrolls instead of silently cutting tabs off.
  const [hidden, setHidden] = useState({ left: false, right: false });

  // Keep the selected tab in view when selection moves by keyboard, clear of the fade arrows:
  // the first and last tabs scroll the strip to its ends, others to the middle.
  useEffect(() => {
    const list = listRef.current;
    const selected = list?.querySelector<HTMLElement>('[aria-selected="true"]');
    if (!list || !selected) return;
    if (list.scrollWidth <= list.clientWidth) return;
    if (selected === list.firstElementChild) list.scrollLeft = 0;
    else if (selected === list.lastElementChild) list.scrollLeft = list.scrollWidth;
    else selected.scrollIntoView?.({ block: 'nearest', inline: 'center' });
  }, [selectedId]);

  useEffect(() => {
    const list = listRef.current;
    if (!list) return undefined;
    const update = () => {
      const left = list.scrollLeft > 1;
      const right = list.scrollLeft + list.clientWidth < list.scrollWidth - 1;
      setHidden((old) => (old.left === left && old.right === right ? old : { left, right }));
    };
    update();
    list.addEventListener('scroll', update, { passive: true });
    const observer = typeof ResizeObserver === 'function' ? new ResizeObserver(update) : null;
    observer?.observe(list);
    return () => {
      list.removeEventListener('scroll', update);
      observer?.disconnect();
    };
  }, [workspaces.length]);

  const scrollBy = (direction: -1 | 1) => listRef.current?.scrollBy({ left: direction * 160, behavior: 'smooth' });

  return (
    <div className={`tabs-wrap${hidden.left ? ' tabs-wrap--more-left' : ''}${hidden.right ? ' tabs-wrap--more-right' : ''}`} data-testid="tabs">
      {hidden.left ? (
        <button type="button" className="tabs__more tabs__more--left" tabIndex={-1} aria-hidden="true" onClick={() => scrollBy(-1)} data-testid="tabs-more-left">
          ‹
        </button>
      ) : null}
    <div className="tabs" role="tablist" aria-label="Workspaces" ref={listRef}>
      <button
        type="button"
        role="tab"
        id={tabId(null)}
        className="tab"
        aria-selected={selectedId === null}
        aria-controls={panelId}
        tabIndex={selectedId === null ? 0 : -1}
        aria-keyshortcuts="0 A"
        title="All workspaces (A)"
        onClick={() => onSelect(null)}
      >
        All
      </button>
      {workspaces.map((workspace, index) => {
        const { flag, text: flagText } = tabFlag(workspace);
        const shortcut = shortcutFor(index);
        return (
          <button
            key={workspace.id}
            type="button"
            role="tab"
            id={tabId(workspace.id)}
            className="tab"
            aria-selected={selectedId === workspace.id}
            aria-controls={panelId}
            tabIndex={selectedId === workspace.id ? 0 : -1}
            aria-keyshortcuts={shortcut}
            title={`${workspace.name}${shortcut ? ` (${shortcut})` : ''}${flagText ? `: ${flagText}` : ''}`}
            onClick={() => onSelect(workspace.id)}
          >
            {shortcut ? <kbd className="tab__key" aria-hidden="true">{shortcut}</kbd> : null}
            <span className="tab__name">{workspace.name}</span>
            {flag ? (
              <span className={`tab__flag tab__flag--${flag}`}>
                <span className="visually-hidden">, {flagText}</span>
              </span>
            ) : null}
          </button>
        );
      })}
    </div>
      {hidden.right ? (
        <button type="button" className="tabs__more tabs__more--right" tabIndex={-1} aria-hidden="true" onClick={() => scrollBy(1)} data-testid="tabs-more-right">
          ›
        </button>
      ) : null}
    </div>
  );
});
