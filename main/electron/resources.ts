/** Where bundled files live: packaged as extra resources, or in build/ of a development checkout. */
import { join } from 'node:path';
import { app } from 'electron';

/** Tray icons folder. */
export function resolveResourcesDir(devDir: string): string {
  return app.isPackaged ? join(process.resourcesPath, 'tray') : devDir;
}

/** Windows notification identity: the `build.appId` of package.json (electron-builder sets it on the shortcut). */
export const APP_USER_MODEL_ID = 'dev.burnrate.app';
