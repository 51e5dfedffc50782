/**
 * What the app process (built main bundle + Electron stand-in) and the test process tell each
 * other. JSON only. The app process reports its whole visible state ({@link AppState}) after
 * every change; the test process drives it with the requests named in {@link AppRequests}.
 */

/** How the stand-in behaves; passed to the app process in BURNRATE_HARNESS_CONFIG. */
export interface HarnessConfig {
  /** `process.platform` the app sees (tray title and template icons are macOS-only). */
  readonly platform: 'darwin' | 'linux' | 'win32';
  /** app.getPath('userData'); logs go to `<userData>/logs`. */
  readonly userData: string;
  readonly appVersion: string;
  readonly appName: string;
  readonly isPackaged: boolean;
  /** Folder standing in for `process.resourcesPath` (packaged builds). */
  readonly resourcesPath: string;
  /** safeStorage: whether encryption is available and which Linux backend is selected. */
  readonly safeStorage: SafeStorageSetup;
  /** Accelerators the "OS" refuses to register (another app holds them). */
  readonly refusedShortcuts: readonly string[];
  /** node-notifier: accept notifications, or fail every delivery with this message. */
  readonly notificationFailure: string | null;
}

/** safeStorage behaviour. */
export interface SafeStorageSetup {
  readonly available: boolean;
  /** What `getSelectedStorageBackend()` answers on Linux. */
  readonly backend: 'basic_text' | 'gnome_libsecret' | 'kwallet' | 'kwallet5' | 'kwallet6' | 'unknown';
}

/** A menu item as built by the app. */
export interface MenuItemState {
  readonly label: string;
  readonly type: 'normal' | 'separator' | 'submenu' | 'checkbox' | 'radio' | 'header' | 'palette';
  readonly enabled: boolean;
  readonly visible: boolean;
  readonly checked: boolean;
  readonly accelerator: string | null;
  readonly toolTip: string;
  readonly submenu: readonly MenuItemState[] | null;
}

/** The tray as a person would see it. */
export interface TrayState {
  readonly title: string;
  readonly tooltip: string;
  /** Path the icon was loaded from (null for an empty image). */
  readonly iconPath: string | null;
  readonly iconIsTemplate: boolean;
  readonly menu: readonly MenuItemState[] | null;
  readonly destroyed: boolean;
}

/** A BrowserWindow's state. */
export interface WindowState {
  readonly id: number;
  readonly visible: boolean;
  readonly destroyed: boolean;
  readonly focused: boolean;
  readonly position: readonly [number, number];
  readonly url: string | null;
}

/** One notification handed to node-notifier. */
export interface NotificationRecord {
  readonly id: number;
  readonly title: string;
  readonly message: string;
  /** Whether the app asked to be told about clicks (`wait: true`). */
  readonly wait: boolean;
  readonly delivered: boolean;
  /** All options as passed (JSON). */
  readonly options: Readonly<Record<string, unknown>>;
}

/** Everything the test can observe. */
export interface AppState {
  readonly ready: boolean;
  readonly tray: TrayState | null;
  readonly windows: readonly WindowState[];
  readonly notifications: readonly NotificationRecord[];
  /** Accelerators registered with globalShortcut. */
  readonly shortcuts: readonly string[];
  /** Calls of shell.openExternal / openPath / showItemInFolder, in order. */
  readonly shellCalls: readonly { readonly api: string; readonly target: string }[];
  readonly loginItem: { readonly openAtLogin: boolean; readonly args: readonly string[] };
  readonly quitting: boolean;
}

/** Window options the test side needs to build the page. */
export interface WindowCreate {
  readonly id: number;
  readonly width: number;
  readonly height: number;
  readonly preload: string | null;
  readonly backgroundColor: string | null;
}
