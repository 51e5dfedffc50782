/**
 * Electron composition root: build the objects, wire the ports, start. No logic here.
 */
import { join } from 'node:path';
import { runDesktopApp } from './electron/app';
import { createDesktopService } from './electron/desktopService';

runDesktopApp({
  mainDir: __dirname,
  resourcesDir: join(__dirname, '../../build/tray'),
  ...(process.env.ELECTRON_RENDERER_URL ? { rendererUrl: process.env.ELECTRON_RENDERER_URL } : {}),
  createService: (hooks) => createDesktopService({ mainDir: __dirname, onNotificationClick: hooks.onNotificationClick }),
});
