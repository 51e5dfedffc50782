/**
 * What the served dashboard's page itself carries: the status document in its JSON data block
 * (`#burnrate-status`, written by main/services/httpServer.ts) and the selected workspace in the
 * URL hash (`#w=<id>`). Its own module, free of React and of the transport: the first paint
 * (./firstPaint.ts) reads them before the app's script has run, and spendApi.ts re-exports them.
 */
import type { StatusDocument } from '../../preload/api';
import { INLINE_STATUS_ID, KEPT_ATTRIBUTE } from '../../preload/servedPage';

export { INLINE_STATUS_ID } from '../../preload/servedPage';

/** Reads `#w=<id>` from a URL hash; null when absent or `all`. */
export function workspaceFromHash(hash: string): string | null {
  const value = new URLSearchParams(hash.replace(/^#/, '')).get('w');
  return value && value !== 'all' ? value : null;
}

/** True for a value shaped like a status document (its generatedAt and workspaces). */
export function isStatusDocument(value: unknown): value is StatusDocument {
  if (typeof value !== 'object' || value === null) return false;
  const candidate = value as { generatedAt?: unknown; workspaces?: unknown };
  return typeof candidate.generatedAt === 'string' && Array.isArray(candidate.workspaces);
}

/** The status document in the page's `#burnrate-status` data block; null when absent or not a status document. */
export function inlineStatus(doc: Pick<Document, 'getElementById'>): StatusDocument | null {
  const text = doc.getElementById(INLINE_STATUS_ID)?.textContent;
  if (!text) return null;
  try {
    const value: unknown = JSON.parse(text);
    return isStatusDocument(value) ? value : null;
  } catch {
    return null;
  }
}

/** True when the page's data block holds the document an earlier run kept, not a live one (its `data-kept` attribute). */
export function inlineStatusIsKept(doc: Pick<Document, 'getElementById'>): boolean {
  return doc.getElementById(INLINE_STATUS_ID)?.hasAttribute(KEPT_ATTRIBUTE) ?? false;
}
