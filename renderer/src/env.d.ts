/// <reference types="vite/client" />
import type { SpendApi } from '../../preload/api';

declare global {
  interface Window {
    /** Present in the Electron popover (preload); absent when the dashboard is served over HTTP. */
    burnrate?: SpendApi;
  }
}
