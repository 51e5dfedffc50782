/**
 * The latest status document an engine made, kept in its store for the next start: `serve` shows
 * it at once, before its engine has made a summary (README "serve"). Only documents someone asked
 * for are kept (the tray, the page, `status`): keeping one never costs a summary.
 */
import type { StatusDocument } from '../../preload/api';
import type { RuntimeStore } from './spendStore';

/** While running, the latest document is written at most this often (and always at stop). */
export const KEPT_DOCUMENT_INTERVAL_MS = 10 * 60_000;

/** The engine's latest document and when it was last written. */
export class KeptDocument {
  private latest: StatusDocument | undefined;
  private saved: StatusDocument | undefined;
  private savedAtMs: number | undefined;

  /** Records `document` as the latest made, and returns it. */
  made(document: StatusDocument): StatusDocument {
    this.latest = document;
    return document;
  }

  /** Writes the latest document to `store` if it is new and the interval has passed since the last write, or `final` (at stop). */
  save(store: Pick<RuntimeStore, 'saveStatus'>, nowMs: number, final: boolean): void {
    const latest = this.latest;
    if (latest === undefined || latest === this.saved || !store.saveStatus) return;
    if (!final && this.savedAtMs !== undefined && nowMs - this.savedAtMs < KEPT_DOCUMENT_INTERVAL_MS) return;
    store.saveStatus(latest);
    this.saved = latest;
    this.savedAtMs = nowMs;
  }
}
