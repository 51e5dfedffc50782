/** Where bundled files live: packaged as extra resources, or in build/ of a development checkout. */
import { join } from 'node:path';
import { app } from 'electron';

/** Tray icons folder. */
export function resolveResourcesDir(devDir: string): string {
  return app.isPackaged ? join(process.resourcesPath, 'tray') : devDir;
}
