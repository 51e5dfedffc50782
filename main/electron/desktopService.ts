/**
 * Builds the desktop app's SpendService (replaced by the engine runtime once it lands).
 */
import type { AppSnapshot } from '../../preload/api';
import type { SpendService } from '../services/ports';

export async function createDesktopService(_options: { mainDir: string }): Promise<SpendService> {
  const snapshot: AppSnapshot = {
    status: { generatedAt: new Date().toISOString(), workspaces: [] },
    selectedWorkspaceId: null,
    refreshing: false,
    fromCache: false,
  };
  return {
    snapshot: () => snapshot,
    refreshNow: async () => undefined,
    selectWorkspace: () => undefined,
    setActivity: () => undefined,
    onSnapshot: () => () => undefined,
    stop: async () => undefined,
  };
}
