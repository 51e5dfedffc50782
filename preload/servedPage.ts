/**
 * The served dashboard's page, as `burnrate serve` writes it (main/services/dashboardPage.ts) and
 * the page reads it (renderer/src/servedPage.ts, spendApi.ts): part of the contract, so both
 * sides take these from here.
 */
import type { StatusDocument } from './statusDocument';

/** The id of the page's JSON data block holding the status document it was served with. */
export const INLINE_STATUS_ID = 'burnrate-status';

/**
 * The data block's attribute saying its document is the one an earlier run kept in the spend
 * database (`serve` shows it at once when it starts), not a live one: the page asks for a live one soon.
 */
export const KEPT_ATTRIBUTE = 'data-kept';

/**
 * True when some connection has neither numbers nor an error yet: its first refresh is still
 * running. The server then leaves the data block out, and the page polls sooner.
 */
export function awaitingFirstRefresh(document: StatusDocument): boolean {
  return document.workspaces.some((workspace) => workspace.connections.some((connection) => connection.fetchedAt === null && !connection.error));
}
