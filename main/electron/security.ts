/**
 * Process-wide hardening (VS Code / Electron security checklist): every web contents may not
 * navigate, open windows, attach webviews or get permissions; only our own renderer is loaded.
 */
import type { App, Session, WebContents } from 'electron';

/** Denies navigation, new windows, webviews and permission requests for every web contents. */
export function hardenWebContents(app: App, session: Session): void {
  session.setPermissionRequestHandler((_webContents, _permission, callback) => callback(false));
  session.setPermissionCheckHandler(() => false);
  app.on('web-contents-created', (_event, contents: WebContents) => {
    contents.on('will-navigate', (event) => event.preventDefault());
    contents.on('will-redirect', (event) => event.preventDefault());
    contents.on('will-attach-webview', (event) => event.preventDefault());
    contents.setWindowOpenHandler(() => ({ action: 'deny' }));
  });
}

/** The Content-Security-Policy of the popover (also set as a meta tag in renderer/index.html). */
export const CONTENT_SECURITY_POLICY =
  "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

/** Adds the CSP header to every response of the session (file:// pages also carry the meta tag). */
export function enforceContentSecurityPolicy(session: Session): void {
  session.webRequest.onHeadersReceived((details, callback) => {
    callback({
      responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [CONTENT_SECURITY_POLICY] },
    });
  });
}
