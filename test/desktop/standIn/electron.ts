/**
 * The Electron stand-in: what `import … from 'electron'` resolves to when the desktop harness runs
 * the BUILT main bundle (out/main/index.js) under plain Node 24 (see register.ts).
 *
 * It implements exactly the part of Electron's main-process API the app (and electron-store) uses,
 * each piece typed against node_modules/electron/electron.d.ts (`implements Pick<Electron.X, …>`),
 * so a signature that drifts from Electron's fails the typecheck. Every other member throws when
 * touched, naming the API ("Electron stand-in: BrowserWindow.setVibrancy is not implemented"), so
 * an app change that needs more of Electron fails the desktop tests loudly instead of silently.
 *
 * Windows are real Chromium pages owned by the test process: this side keeps the window state
 * and forwards loads, pushes (`webContents.send`) and IPC over the Node IPC channel (peer.ts).
 * Runs under Node's type stripping: no parameter properties, no enums, `import type` only.
 */
import { EventEmitter } from 'node:events';
import { closeSync, existsSync, openSync, readFileSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { Peer, type PeerMessage } from './peer.ts';
import type { AppState, HarnessConfig, MenuItemState, NotificationRecord, WindowCreate, WindowState } from './protocol.ts';

// ---------------------------------------------------------------------------------------------
// Connection to the test process and the observable state

const config = JSON.parse(process.env.BURNRATE_HARNESS_CONFIG ?? 'null') as HarnessConfig | null;
if (!config) throw new Error('Electron stand-in: BURNRATE_HARNESS_CONFIG is missing (start the app through test/desktop/harness.ts).');

/** The peer to the test process (Node IPC channel of the forked app process). */
export const peer = new Peer({
  send: (message: PeerMessage) => {
    if (process.connected) process.send?.(message);
  },
  onMessage: (listener) => process.on('message', (message) => listener(message as PeerMessage)),
});
process.on('disconnect', () => process.exit(70));

const NOT_IMPLEMENTED_PASS = new Set(['then', 'toJSON', 'constructor', 'asymmetricMatch', 'nodeType', '$$typeof', '__esModule', 'inspect']);

/** Wraps a stand-in so that touching anything it does not implement throws, naming the API. */
export function guard<T extends object>(name: string, target: T): T {
  return new Proxy(target, {
    get(object, property, receiver) {
      if (typeof property === 'symbol' || property in object || NOT_IMPLEMENTED_PASS.has(property)) return Reflect.get(object, property, receiver);
      throw new Error(`Electron stand-in: ${name}.${property} is not implemented (add it to test/desktop/standIn/electron.ts).`);
    },
  });
}

function notImplemented(api: string): never {
  throw new Error(`Electron stand-in: ${api} is not implemented (add it to test/desktop/standIn/electron.ts).`);
}

/** An Electron-style event with preventDefault. */
function makeEvent(): { preventDefault: () => void; defaultPrevented: boolean } {
  const event = {
    defaultPrevented: false,
    preventDefault: () => {
      event.defaultPrevented = true;
    },
  };
  return event;
}

const observable = {
  notifications: [] as NotificationRecord[],
  shellCalls: [] as { api: string; target: string }[],
  loginItem: { openAtLogin: false, args: [] as string[] },
  quitting: false,
};

let publishQueued = false;
/** Sends the whole state to the test process after the current turn (changes are coalesced). */
export function publishState(): void {
  if (publishQueued) return;
  publishQueued = true;
  setImmediate(() => {
    publishQueued = false;
    peer.notify('state', currentState());
  });
}

function currentState(): AppState {
  return {
    ready: appReady,
    tray: trays.length > 0 ? trays[trays.length - 1]!.describe() : null,
    windows: windows.map((w) => w.describe()),
    notifications: [...observable.notifications],
    shortcuts: [...shortcuts.keys()],
    shellCalls: [...observable.shellCalls],
    loginItem: { ...observable.loginItem, args: [...observable.loginItem.args] },
    quitting: observable.quitting,
  };
}

/** Records a notification (node-notifier stand-in) and publishes the state. */
export function recordNotification(record: NotificationRecord): void {
  const index = observable.notifications.findIndex((n) => n.id === record.id);
  if (index >= 0) observable.notifications[index] = record;
  else observable.notifications.push(record);
  publishState();
}

/** Harness configuration of this app process. */
export const harnessConfig: HarnessConfig = config;

// ---------------------------------------------------------------------------------------------
// nativeImage

type NativeImageMembers = 'isEmpty' | 'getSize' | 'setTemplateImage' | 'isTemplateImage' | 'toPNG' | 'isMacTemplateImage';

class NativeImageStandIn implements Pick<Electron.NativeImage, NativeImageMembers> {
  readonly path: string | null;
  private template = false;
  private readonly png: Buffer | null;

  constructor(path: string | null) {
    this.path = path;
    this.png = path !== null && existsSync(path) ? readFileSync(path) : null;
  }

  isEmpty(): boolean {
    return this.png === null;
  }

  getSize(_scaleFactor?: number): Electron.Size {
    // PNG: width and height are the first two fields of the IHDR chunk.
    if (!this.png || this.png.length < 24) return { width: 0, height: 0 };
    return { width: this.png.readUInt32BE(16), height: this.png.readUInt32BE(20) };
  }

  setTemplateImage(option: boolean): void {
    this.template = option;
  }

  isTemplateImage(): boolean {
    return this.template;
  }

  get isMacTemplateImage(): boolean {
    return this.template;
  }

  toPNG(_options?: Electron.ToPNGOptions): Buffer {
    return this.png ?? Buffer.alloc(0);
  }
}

const nativeImageModule = {
  createFromPath: (path: string): Electron.NativeImage => guard('NativeImage', new NativeImageStandIn(path)) as unknown as Electron.NativeImage,
  createEmpty: (): Electron.NativeImage => guard('NativeImage', new NativeImageStandIn(null)) as unknown as Electron.NativeImage,
} satisfies Pick<typeof Electron.NativeImage, 'createFromPath' | 'createEmpty'>;

function imageOf(image: Electron.NativeImage | string): NativeImageStandIn {
  const standIn = typeof image === 'string' ? new NativeImageStandIn(image) : (image as unknown as NativeImageStandIn);
  if (!(standIn instanceof NativeImageStandIn)) notImplemented('nativeImage (only images from nativeImage.createFromPath/createEmpty are supported)');
  return standIn;
}

// ---------------------------------------------------------------------------------------------
// Menu

type MenuItemMembers = 'label' | 'type' | 'checked' | 'enabled' | 'visible' | 'accelerator' | 'toolTip' | 'submenu' | 'click' | 'id' | 'role' | 'sublabel';

class MenuItemStandIn implements Pick<Electron.MenuItem, MenuItemMembers> {
  label: string;
  type: Electron.MenuItem['type'];
  checked: boolean;
  enabled: boolean;
  visible: boolean;
  accelerator: Electron.Accelerator | null;
  toolTip: string;
  sublabel: string;
  submenu: Electron.Menu | undefined;
  id: string;
  role: Electron.MenuItem['role'];
  click: (event: KeyboardEvent, focusedWindow: Electron.BaseWindow | undefined, focusedWebContents: Electron.WebContents) => void;

  constructor(options: Electron.MenuItemConstructorOptions) {
    const role = options.role;
    this.role = role as Electron.MenuItem['role'];
    this.label = options.label ?? (role ? roleLabel(role) : '');
    this.type = options.type ?? (options.submenu ? 'submenu' : 'normal');
    this.checked = options.checked ?? false;
    this.enabled = options.enabled ?? true;
    this.visible = options.visible ?? true;
    this.accelerator = options.accelerator ?? null;
    this.toolTip = options.toolTip ?? '';
    this.sublabel = options.sublabel ?? '';
    this.id = options.id ?? '';
    this.submenu = options.submenu
      ? options.submenu instanceof MenuStandIn
        ? (options.submenu as unknown as Electron.Menu)
        : (MenuStandIn.buildFromTemplate(options.submenu as Electron.MenuItemConstructorOptions[]) as Electron.Menu)
      : undefined;
    const click = options.click;
    this.click = (event, focusedWindow, focusedWebContents) => {
      if (click) click(this as unknown as Electron.MenuItem, focusedWindow, event);
      else if (role === 'quit') app.quit();
      else if (role) notImplemented(`MenuItem role "${role}"`);
      void focusedWebContents;
    };
  }

  describe(): MenuItemState {
    return {
      label: this.label,
      type: this.type,
      enabled: this.enabled,
      visible: this.visible,
      checked: this.checked,
      accelerator: this.accelerator,
      toolTip: this.toolTip,
      submenu: this.submenu ? (this.submenu as unknown as MenuStandIn).describe() : null,
    };
  }
}

function roleLabel(role: string): string {
  if (role === 'quit') return 'Quit';
  return role;
}

class MenuStandIn extends EventEmitter implements Pick<Electron.Menu, 'items'> {
  items: Electron.MenuItem[];

  constructor(items: Electron.MenuItem[] = []) {
    super();
    this.items = items;
  }

  static buildFromTemplate(template: Array<Electron.MenuItemConstructorOptions | Electron.MenuItem>): Electron.Menu {
    const items = template.map((entry) =>
      entry instanceof MenuItemStandIn ? entry : guard('MenuItem', new MenuItemStandIn(entry as Electron.MenuItemConstructorOptions)),
    );
    return guard('Menu', new MenuStandIn(items as unknown as Electron.MenuItem[])) as unknown as Electron.Menu;
  }

  describe(): MenuItemState[] {
    return this.items.map((item) => (item as unknown as MenuItemStandIn).describe());
  }

  /** Clicks the item reached by `labels` (one label per menu level), as a person would. */
  clickPath(labels: readonly string[]): void {
    const [label, ...rest] = labels;
    const index = this.items.findIndex((item) => item.label === label && item.visible);
    if (index < 0) throw new Error(`No menu item "${label}" (items: ${this.items.map((i) => JSON.stringify(i.label)).join(', ')}).`);
    const item = this.items[index] as unknown as MenuItemStandIn;
    if (rest.length > 0) {
      if (!item.submenu) throw new Error(`Menu item "${label}" has no submenu.`);
      (item.submenu as unknown as MenuStandIn).clickPath(rest);
      return;
    }
    if (!item.enabled) throw new Error(`Menu item "${label}" is disabled.`);
    if (item.type === 'separator') throw new Error('Separators cannot be clicked.');
    // What the OS does before the handler runs: a radio item checks itself and unchecks its
    // group (adjacent radio items); a checkbox flips.
    if (item.type === 'radio') {
      let start = index;
      while (start > 0 && this.items[start - 1]!.type === 'radio') start -= 1;
      for (let i = start; i < this.items.length && this.items[i]!.type === 'radio'; i += 1) this.items[i]!.checked = i === index;
    } else if (item.type === 'checkbox') {
      item.checked = !item.checked;
    }
    const focused = windows.find((w) => w.focusedState && !w.destroyed);
    item.click({} as KeyboardEvent, focused as unknown as Electron.BaseWindow | undefined, focused?.webContents as unknown as Electron.WebContents);
  }
}

// ---------------------------------------------------------------------------------------------
// Tray

type TrayMembers = 'setTitle' | 'getTitle' | 'setToolTip' | 'setImage' | 'setContextMenu' | 'getBounds' | 'destroy' | 'isDestroyed' | 'setPressedImage';

const trays: TrayStandIn[] = [];

class TrayStandIn extends EventEmitter implements Pick<Electron.Tray, TrayMembers> {
  private title = '';
  private tooltip = '';
  private image: NativeImageStandIn;
  private menu: MenuStandIn | null = null;
  private destroyed = false;

  constructor(...[image]: ConstructorParameters<typeof Electron.Tray>) {
    super();
    this.image = imageOf(image);
    trays.push(this);
    publishState();
    return guard('Tray', this);
  }

  setTitle(title: string, _options?: Electron.TitleOptions): void {
    if (harnessConfig.platform !== 'darwin') notImplemented(`Tray.setTitle on ${harnessConfig.platform} (macOS only)`);
    this.title = title;
    publishState();
  }

  getTitle(): string {
    return this.title;
  }

  setToolTip(toolTip: string): void {
    this.tooltip = toolTip;
    publishState();
  }

  setImage(image: Electron.NativeImage | string): void {
    this.image = imageOf(image);
    publishState();
  }

  setPressedImage(image: Electron.NativeImage | string): void {
    void imageOf(image);
  }

  setContextMenu(menu: Electron.Menu | null): void {
    this.menu = menu as unknown as MenuStandIn | null;
    publishState();
  }

  getBounds(): Electron.Rectangle {
    // Near the right end of a 1440-wide menu bar.
    return { x: 1200, y: 0, width: 24, height: 24 };
  }

  destroy(): void {
    this.destroyed = true;
    publishState();
  }

  isDestroyed(): boolean {
    return this.destroyed;
  }

  describe(): NonNullable<AppState['tray']> {
    return {
      title: this.title,
      tooltip: this.tooltip,
      iconPath: this.image.path,
      iconIsTemplate: this.image.isTemplateImage(),
      menu: this.menu ? this.menu.describe() : null,
      destroyed: this.destroyed,
    };
  }

  /** The person clicks the icon. */
  click(): void {
    if (this.destroyed) throw new Error('The tray was destroyed.');
    this.emit('click', {} as KeyboardEvent, this.getBounds(), { x: 1212, y: 12 });
  }

  clickMenuItem(labels: readonly string[]): void {
    if (!this.menu) throw new Error('The tray has no context menu.');
    this.menu.clickPath(labels);
    publishState();
  }
}

// ---------------------------------------------------------------------------------------------
// Windows (pages in the test process)

const windows: BrowserWindowStandIn[] = [];
let nextWebContentsId = 1;

type WebFrameMainMembers = 'url' | 'processId' | 'routingId' | 'frameTreeNodeId' | 'isDestroyed' | 'top' | 'parent';

class WebFrameMainStandIn implements Pick<Electron.WebFrameMain, WebFrameMainMembers> {
  url = '';
  readonly processId: number;
  readonly routingId: number;
  readonly frameTreeNodeId: number;
  top: Electron.WebFrameMain | null = null;
  parent: Electron.WebFrameMain | null = null;

  constructor(processId: number, routingId: number) {
    this.processId = processId;
    this.routingId = routingId;
    this.frameTreeNodeId = routingId;
  }

  isDestroyed(): boolean {
    return false;
  }
}

type WebContentsMembers = 'id' | 'send' | 'mainFrame' | 'isDevToolsOpened' | 'setWindowOpenHandler' | 'isDestroyed' | 'getURL' | 'session';

class WebContentsStandIn extends EventEmitter implements Pick<Electron.WebContents, WebContentsMembers> {
  readonly id: number;
  readonly mainFrame: Electron.WebFrameMain;
  readonly owner: BrowserWindowStandIn;
  windowOpenHandler: ((details: Electron.HandlerDetails) => Electron.WindowOpenHandlerResponse) | null = null;

  constructor(owner: BrowserWindowStandIn) {
    super();
    this.id = nextWebContentsId++;
    this.owner = owner;
    this.mainFrame = guard('WebFrameMain', new WebFrameMainStandIn(1000 + this.id, 1)) as unknown as Electron.WebFrameMain;
  }

  get session(): Electron.Session {
    return defaultSession as unknown as Electron.Session;
  }

  send(channel: string, ...args: unknown[]): void {
    if (this.owner.destroyed) throw new Error('Object has been destroyed');
    peer.notify('window.send', { id: this.owner.id, channel, args: JSON.parse(JSON.stringify(args)) as unknown });
  }

  isDevToolsOpened(): boolean {
    return false;
  }

  setWindowOpenHandler(handler: (details: Electron.HandlerDetails) => Electron.WindowOpenHandlerResponse): void {
    this.windowOpenHandler = handler;
  }

  isDestroyed(): boolean {
    return this.owner.destroyed;
  }

  getURL(): string {
    return this.owner.url ?? '';
  }
}

type BrowserWindowMembers =
  | 'id'
  | 'webContents'
  | 'show'
  | 'hide'
  | 'focus'
  | 'blur'
  | 'isVisible'
  | 'isFocused'
  | 'isDestroyed'
  | 'setPosition'
  | 'getPosition'
  | 'getBounds'
  | 'getSize'
  | 'loadURL'
  | 'loadFile'
  | 'close'
  | 'destroy'
  | 'showInactive'
  | 'setSkipTaskbar';

let nextWindowId = 1;

class BrowserWindowStandIn extends EventEmitter implements Pick<Electron.BrowserWindow, BrowserWindowMembers> {
  readonly id: number;
  readonly webContents: Electron.WebContents;
  url: string | null = null;
  visible = false;
  focusedState = false;
  destroyed = false;
  private position: [number, number] = [0, 0];
  private readonly size: [number, number];
  private readonly created: Promise<void>;

  constructor(options: Electron.BrowserWindowConstructorOptions = {}) {
    super();
    this.id = nextWindowId++;
    const prefs = options.webPreferences ?? {};
    // The harness can only load pages the way a hardened app does; anything else is a finding.
    if (prefs.contextIsolation === false) notImplemented('BrowserWindow webPreferences.contextIsolation=false (the harness always isolates)');
    if (prefs.nodeIntegration === true) notImplemented('BrowserWindow webPreferences.nodeIntegration=true');
    if (prefs.sandbox === false) notImplemented('BrowserWindow webPreferences.sandbox=false');
    this.size = [options.width ?? 800, options.height ?? 600];
    this.visible = options.show ?? true;
    const contents = guard('WebContents', new WebContentsStandIn(this));
    this.webContents = contents as unknown as Electron.WebContents;
    windows.push(this);
    const create: WindowCreate = {
      id: this.id,
      width: this.size[0],
      height: this.size[1],
      preload: prefs.preload ?? null,
      backgroundColor: options.backgroundColor ?? null,
    };
    this.created = peer.request<null>('window.create', create).then(() => undefined);
    const self = guard('BrowserWindow', this);
    app.emit('web-contents-created', makeEvent(), contents);
    publishState();
    return self;
  }

  describe(): WindowState {
    return { id: this.id, visible: this.visible, destroyed: this.destroyed, focused: this.focusedState, position: this.position, url: this.url };
  }

  private assertAlive(): void {
    if (this.destroyed) throw new Error('Object has been destroyed');
  }

  async loadURL(url: string, _options?: Electron.LoadURLOptions): Promise<void> {
    this.assertAlive();
    this.url = url;
    publishState();
    await this.created;
    await peer.request('window.load', { id: this.id, url });
    (this.webContents.mainFrame as unknown as WebFrameMainStandIn).url = url;
    this.webContents.emit('did-finish-load');
  }

  async loadFile(filePath: string, _options?: Electron.LoadFileOptions): Promise<void> {
    this.assertAlive();
    this.url = `file://${filePath}`;
    publishState();
    await this.created;
    const url = await peer.request<string>('window.load', { id: this.id, file: filePath });
    (this.webContents.mainFrame as unknown as WebFrameMainStandIn).url = url;
    this.webContents.emit('did-finish-load');
  }

  show(): void {
    this.assertAlive();
    const wasVisible = this.visible;
    this.visible = true;
    this.focusedState = true;
    for (const other of windows) if (other !== this) other.focusedState = false;
    if (!wasVisible) this.emit('show');
    this.emit('focus');
    peer.notify('window.visibility', { id: this.id, visible: true });
    publishState();
  }

  showInactive(): void {
    this.assertAlive();
    const wasVisible = this.visible;
    this.visible = true;
    if (!wasVisible) this.emit('show');
    peer.notify('window.visibility', { id: this.id, visible: true });
    publishState();
  }

  hide(): void {
    this.assertAlive();
    const wasVisible = this.visible;
    this.visible = false;
    this.focusedState = false;
    if (wasVisible) this.emit('hide');
    peer.notify('window.visibility', { id: this.id, visible: false });
    publishState();
  }

  focus(): void {
    this.assertAlive();
    this.focusedState = true;
    this.emit('focus');
    publishState();
  }

  blur(): void {
    this.assertAlive();
    if (!this.focusedState) return;
    this.focusedState = false;
    this.emit('blur');
    publishState();
  }

  isVisible(): boolean {
    return this.visible;
  }

  isFocused(): boolean {
    return this.focusedState;
  }

  isDestroyed(): boolean {
    return this.destroyed;
  }

  setPosition(x: number, y: number, _animate?: boolean): void {
    this.position = [x, y];
    publishState();
  }

  getPosition(): number[] {
    return [...this.position];
  }

  getSize(): number[] {
    return [...this.size];
  }

  getBounds(): Electron.Rectangle {
    return { x: this.position[0], y: this.position[1], width: this.size[0], height: this.size[1] };
  }

  setSkipTaskbar(_skip: boolean): void {
    // Nothing to show here: the harness has no taskbar.
  }

  close(): void {
    if (this.destroyed) return;
    const event = makeEvent();
    this.emit('close', event);
    if (event.defaultPrevented) return;
    this.destroy();
  }

  destroy(): void {
    if (this.destroyed) return;
    this.destroyed = true;
    this.visible = false;
    peer.notify('window.destroy', { id: this.id });
    this.emit('closed');
    publishState();
  }
}

// ---------------------------------------------------------------------------------------------
// ipcMain

type IpcHandler = (event: Electron.IpcMainInvokeEvent, ...args: unknown[]) => unknown;

class IpcMainStandIn extends EventEmitter implements Pick<Electron.IpcMain, 'handle' | 'removeHandler' | 'handleOnce'> {
  readonly handlers = new Map<string, IpcHandler>();

  handle(channel: string, listener: Parameters<Electron.IpcMain['handle']>[1]): void {
    // Electron refuses a second handler for one channel; so does the stand-in.
    if (this.handlers.has(channel)) throw new Error(`Attempted to register a second handler for '${channel}'`);
    this.handlers.set(channel, listener);
  }

  handleOnce(channel: string, listener: Parameters<Electron.IpcMain['handleOnce']>[1]): void {
    this.handle(channel, (event, ...args) => {
      this.removeHandler(channel);
      return listener(event, ...args);
    });
  }

  removeHandler(channel: string): void {
    this.handlers.delete(channel);
  }
}

const ipcMainStandIn = new IpcMainStandIn();

function ipcEvent(window: BrowserWindowStandIn, frame: 'main' | 'subframe'): Electron.IpcMainInvokeEvent {
  const contents = window.webContents;
  const senderFrame = frame === 'main' ? contents.mainFrame : (guard('WebFrameMain', new WebFrameMainStandIn(1000 + contents.id, 2)) as unknown as Electron.WebFrameMain);
  return {
    ...makeEvent(),
    sender: contents,
    senderFrame,
    frameId: senderFrame.routingId,
    processId: senderFrame.processId,
    type: 'frame',
  } as unknown as Electron.IpcMainInvokeEvent;
}

// ---------------------------------------------------------------------------------------------
// app

let appReady = false;
const userDataDir = harnessConfig.userData;

class DockStandIn implements Pick<Electron.Dock, 'hide' | 'show' | 'isVisible'> {
  private shown = true;

  hide(): void {
    this.shown = false;
  }

  async show(): Promise<void> {
    this.shown = true;
  }

  isVisible(): boolean {
    return this.shown;
  }
}

type AppMembers =
  | 'whenReady'
  | 'isReady'
  | 'quit'
  | 'exit'
  | 'getPath'
  | 'getVersion'
  | 'getName'
  | 'getAppPath'
  | 'getLocale'
  | 'isPackaged'
  | 'requestSingleInstanceLock'
  | 'hasSingleInstanceLock'
  | 'releaseSingleInstanceLock'
  | 'setLoginItemSettings'
  | 'getLoginItemSettings'
  | 'setAppUserModelId'
  | 'setAboutPanelOptions'
  | 'showAboutPanel'
  | 'dock';

class AppStandIn extends EventEmitter implements Pick<Electron.App, AppMembers> {
  readonly isPackaged: boolean = harnessConfig.isPackaged;
  readonly dock: Electron.Dock | undefined = harnessConfig.platform === 'darwin' ? (guard('Dock', new DockStandIn()) as unknown as Electron.Dock) : undefined;
  private readonly ready: Promise<void>;
  private quitQueued = false;
  private lockFile: string | null = null;

  constructor() {
    super();
    // Ready once the bundle's top level has run, like Electron's 'ready' after the main script.
    this.ready = new Promise((resolve) => {
      setImmediate(() => {
        appReady = true;
        this.emit('ready', makeEvent(), {});
        resolve();
        publishState();
      });
    });
  }

  whenReady(): Promise<void> {
    return this.ready;
  }

  isReady(): boolean {
    return appReady;
  }

  getPath(name: Parameters<Electron.App['getPath']>[0]): string {
    switch (name) {
      case 'userData':
        return userDataDir;
      case 'logs':
        return join(userDataDir, 'logs');
      case 'appData':
        return dirname(userDataDir);
      case 'temp':
        return tmpdir();
      case 'home':
        return process.env.HOME ?? tmpdir();
      default:
        return notImplemented(`app.getPath('${name}')`);
    }
  }

  getVersion(): string {
    return harnessConfig.appVersion;
  }

  getName(): string {
    return harnessConfig.appName;
  }

  getAppPath(): string {
    return process.cwd();
  }

  getLocale(): string {
    return 'en-US';
  }

  private aboutPanel: Electron.AboutPanelOptionsOptions = {};

  setAboutPanelOptions(options: Electron.AboutPanelOptionsOptions): void {
    this.aboutPanel = { ...options };
  }

  /** Recorded as a shell call: `showAboutPanel` with "name version". */
  showAboutPanel(): void {
    observable.shellCalls.push({ api: 'showAboutPanel', target: `${this.aboutPanel.applicationName ?? ''} ${this.aboutPanel.applicationVersion ?? ''}`.trim() });
    publishState();
  }

  setAppUserModelId(_id: string): void {
    // Windows notification identity: nothing to do off Windows.
  }

  /** A lock file in userData; a second process with the same userData tells the first one. */
  requestSingleInstanceLock(_additionalData?: Parameters<Electron.App['requestSingleInstanceLock']>[0]): boolean {
    const file = join(userDataDir, 'SingletonLock');
    for (;;) {
      try {
        const fd = openSync(file, 'wx');
        writeSync(fd, String(process.pid));
        closeSync(fd);
        this.lockFile = file;
        process.on('exit', () => this.releaseSingleInstanceLock());
        return true;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
        const owner = Number(readFileSync(file, 'utf8'));
        if (owner > 0 && isAlive(owner)) {
          peer.notify('second-instance', { owner, argv: process.argv, cwd: process.cwd() });
          return false;
        }
        rmSync(file, { force: true });
      }
    }
  }

  hasSingleInstanceLock(): boolean {
    return this.lockFile !== null;
  }

  releaseSingleInstanceLock(): void {
    if (this.lockFile) rmSync(this.lockFile, { force: true });
    this.lockFile = null;
  }

  setLoginItemSettings(settings: Electron.Settings): void {
    observable.loginItem = { openAtLogin: settings.openAtLogin ?? false, args: [...(settings.args ?? [])] };
    publishState();
  }

  getLoginItemSettings(_options?: Electron.LoginItemSettingsOptions): Electron.LoginItemSettings {
    return {
      openAtLogin: observable.loginItem.openAtLogin,
      wasOpenedAtLogin: false,
      status: observable.loginItem.openAtLogin ? 'enabled' : 'not-registered',
      executableWillLaunchAtLogin: observable.loginItem.openAtLogin,
      launchItems: [],
    };
  }

  /** Electron's order: before-quit (may be prevented), windows close, will-quit (may be prevented), quit, exit. */
  quit(): void {
    if (this.quitQueued) return;
    this.quitQueued = true;
    setImmediate(() => {
      this.quitQueued = false;
      observable.quitting = true;
      const beforeQuit = makeEvent();
      this.emit('before-quit', beforeQuit);
      if (beforeQuit.defaultPrevented) {
        publishState();
        return;
      }
      for (const window of [...windows]) window.close();
      const willQuit = makeEvent();
      this.emit('will-quit', willQuit);
      if (willQuit.defaultPrevented) {
        publishState();
        return;
      }
      this.emit('quit', makeEvent(), 0);
      this.exit(0);
    });
  }

  /** Exits at once, without quit events (like Electron's app.exit). The state is sent first. */
  exit(exitCode = 0): void {
    observable.quitting = true;
    this.releaseSingleInstanceLock();
    if (!process.connected) process.exit(exitCode);
    process.send?.({ kind: 'notify', method: 'state', params: currentState() } satisfies PeerMessage, () => process.exit(exitCode));
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

const appStandIn = new AppStandIn();

// ---------------------------------------------------------------------------------------------
// session, screen, powerMonitor, globalShortcut, safeStorage, shell, nativeTheme

type HeadersListener = (details: Electron.OnHeadersReceivedListenerDetails, callback: (response: Electron.HeadersReceivedResponse) => void) => void;

class WebRequestStandIn implements Pick<Electron.WebRequest, 'onHeadersReceived'> {
  headersListener: HeadersListener | null = null;

  onHeadersReceived(...args: [HeadersListener | null] | [Electron.WebRequestFilter, HeadersListener | null]): void {
    this.headersListener = (args.length === 1 ? args[0] : args[1]) ?? null;
  }
}

class SessionStandIn extends EventEmitter implements Pick<Electron.Session, 'setPermissionRequestHandler' | 'setPermissionCheckHandler' | 'webRequest'> {
  readonly webRequest: Electron.WebRequest = guard('WebRequest', new WebRequestStandIn()) as unknown as Electron.WebRequest;
  permissionRequestHandler: Parameters<Electron.Session['setPermissionRequestHandler']>[0] = null;
  permissionCheckHandler: Parameters<Electron.Session['setPermissionCheckHandler']>[0] = null;

  setPermissionRequestHandler(handler: Parameters<Electron.Session['setPermissionRequestHandler']>[0]): void {
    this.permissionRequestHandler = handler;
  }

  setPermissionCheckHandler(handler: Parameters<Electron.Session['setPermissionCheckHandler']>[0]): void {
    this.permissionCheckHandler = handler;
  }
}

const defaultSession = guard('Session', new SessionStandIn());

const display: Electron.Display = {
  id: 1,
  label: 'Harness display',
  bounds: { x: 0, y: 0, width: 1440, height: 900 },
  workArea: { x: 0, y: 25, width: 1440, height: 875 },
  size: { width: 1440, height: 900 },
  workAreaSize: { width: 1440, height: 875 },
  scaleFactor: 2,
  rotation: 0,
  internal: true,
  monochrome: false,
  accelerometerSupport: 'unknown',
  colorDepth: 24,
  colorSpace: 'srgb',
  depthPerComponent: 8,
  detected: true,
  displayFrequency: 60,
  touchSupport: 'unknown',
  maximumCursorSize: { width: 64, height: 64 },
  nativeOrigin: { x: 0, y: 0 },
};

class ScreenStandIn extends EventEmitter implements Pick<Electron.Screen, 'getDisplayNearestPoint' | 'getPrimaryDisplay' | 'getAllDisplays' | 'getCursorScreenPoint' | 'getDisplayMatching'> {
  getDisplayNearestPoint(_point: Electron.Point): Electron.Display {
    return display;
  }

  getDisplayMatching(_rect: Electron.Rectangle): Electron.Display {
    return display;
  }

  getPrimaryDisplay(): Electron.Display {
    return display;
  }

  getAllDisplays(): Electron.Display[] {
    return [display];
  }

  getCursorScreenPoint(): Electron.Point {
    return { x: 1212, y: 12 };
  }
}

const power = { onBattery: false, idleState: 'active' as 'active' | 'idle' | 'locked' | 'unknown', idleSeconds: 0 };

class PowerMonitorStandIn extends EventEmitter implements Pick<Electron.PowerMonitor, 'isOnBatteryPower' | 'getSystemIdleState' | 'getSystemIdleTime' | 'onBatteryPower'> {
  isOnBatteryPower(): boolean {
    return power.onBattery;
  }

  get onBatteryPower(): boolean {
    return power.onBattery;
  }

  getSystemIdleState(_idleThreshold: number): 'active' | 'idle' | 'locked' | 'unknown' {
    return power.idleState;
  }

  getSystemIdleTime(): number {
    return power.idleSeconds;
  }
}

const powerMonitorStandIn = guard('powerMonitor', new PowerMonitorStandIn());

const shortcuts = new Map<string, () => void>();

class GlobalShortcutStandIn implements Pick<Electron.GlobalShortcut, 'register' | 'unregister' | 'unregisterAll' | 'isRegistered'> {
  register(accelerator: Electron.Accelerator, callback: () => void): boolean {
    if (!appReady) throw new Error('globalShortcut cannot be used before the app is ready');
    // Another application holds it, or it is already ours: Electron answers false.
    if (harnessConfig.refusedShortcuts.includes(accelerator) || shortcuts.has(accelerator)) return false;
    shortcuts.set(accelerator, callback);
    publishState();
    return true;
  }

  unregister(accelerator: Electron.Accelerator): void {
    shortcuts.delete(accelerator);
    publishState();
  }

  unregisterAll(): void {
    shortcuts.clear();
    publishState();
  }

  isRegistered(accelerator: Electron.Accelerator): boolean {
    return shortcuts.has(accelerator);
  }
}

const safeStorageSetup = { ...harnessConfig.safeStorage };
let usePlainText = false;
/** Marks stand-in ciphertext; the bytes after it are the plain text XOR 0x5a (reversible, not secret). */
export const TEST_CIPHER_PREFIX = 'burnrate-test-cipher:';

class SafeStorageStandIn implements Pick<Electron.SafeStorage, 'isEncryptionAvailable' | 'encryptString' | 'decryptString' | 'getSelectedStorageBackend' | 'setUsePlainTextEncryption' | 'isAsyncEncryptionAvailable'> {
  isEncryptionAvailable(): boolean {
    if (!appReady) throw new Error('safeStorage cannot be used before the app is ready');
    return safeStorageSetup.available || usePlainText;
  }

  isAsyncEncryptionAvailable(): Promise<boolean> {
    return Promise.resolve(this.isEncryptionAvailable());
  }

  encryptString(plainText: string): Buffer {
    if (!this.isEncryptionAvailable()) throw new Error('Error while encrypting the text provided to safeStorage.encryptString. Encryption is not available.');
    const bytes = Buffer.from(plainText, 'utf8').map((byte) => byte ^ 0x5a);
    return Buffer.concat([Buffer.from(TEST_CIPHER_PREFIX), bytes]);
  }

  decryptString(encrypted: Buffer): string {
    if (!this.isEncryptionAvailable()) throw new Error('Error while decrypting the ciphertext provided to safeStorage.decryptString. Decryption is not available.');
    const prefix = Buffer.from(TEST_CIPHER_PREFIX);
    if (!encrypted.subarray(0, prefix.length).equals(prefix)) throw new Error('Error while decrypting the ciphertext provided to safeStorage.decryptString. Ciphertext does not appear to be encrypted.');
    return Buffer.from(encrypted.subarray(prefix.length).map((byte) => byte ^ 0x5a)).toString('utf8');
  }

  getSelectedStorageBackend(): 'basic_text' | 'gnome_libsecret' | 'kwallet' | 'kwallet5' | 'kwallet6' | 'unknown' {
    if (harnessConfig.platform !== 'linux') notImplemented(`safeStorage.getSelectedStorageBackend on ${harnessConfig.platform} (Linux only)`);
    return safeStorageSetup.backend;
  }

  setUsePlainTextEncryption(usePlainTextEncryption: boolean): void {
    usePlainText = usePlainTextEncryption;
  }
}

class ShellStandIn implements Pick<Electron.Shell, 'openExternal' | 'openPath' | 'showItemInFolder'> {
  async openExternal(url: string, _options?: Electron.OpenExternalOptions): Promise<void> {
    observable.shellCalls.push({ api: 'openExternal', target: url });
    publishState();
  }

  async openPath(path: string): Promise<string> {
    observable.shellCalls.push({ api: 'openPath', target: path });
    publishState();
    return existsSync(path) ? '' : `Failed to open path: ${path} does not exist`;
  }

  showItemInFolder(fullPath: string): void {
    observable.shellCalls.push({ api: 'showItemInFolder', target: fullPath });
    publishState();
  }
}

class NativeThemeStandIn extends EventEmitter implements Pick<Electron.NativeTheme, 'shouldUseDarkColors' | 'themeSource'> {
  shouldUseDarkColors = false;
  themeSource: Electron.NativeTheme['themeSource'] = 'system';
}

// ---------------------------------------------------------------------------------------------
// Requests from the test process

function windowById(id: number): BrowserWindowStandIn {
  const window = windows.find((w) => w.id === id);
  if (!window) throw new Error(`No window ${id}.`);
  return window;
}

function currentTray(): TrayStandIn {
  const tray = trays[trays.length - 1];
  if (!tray || tray.isDestroyed()) throw new Error('The app has no tray (yet).');
  return tray;
}

peer.handle('state', () => currentState());
peer.handle('tray.click', () => currentTray().click());
peer.handle('tray.clickMenuItem', (params: { labels: string[] }) => currentTray().clickMenuItem(params.labels));
peer.handle('shortcut.fire', (params: { accelerator: string }) => {
  const callback = shortcuts.get(params.accelerator);
  if (!callback) throw new Error(`No global shortcut ${params.accelerator} is registered (registered: ${[...shortcuts.keys()].join(', ') || 'none'}).`);
  callback();
});
peer.handle('power.emit', (params: { event: string; onBattery?: boolean; idleState?: typeof power.idleState }) => {
  if (params.onBattery !== undefined) power.onBattery = params.onBattery;
  if (params.idleState !== undefined) power.idleState = params.idleState;
  powerMonitorStandIn.emit(params.event, makeEvent());
});
peer.handle('safeStorage.configure', (params: Partial<HarnessConfig['safeStorage']>) => {
  Object.assign(safeStorageSetup, params);
});
peer.handle('app.quit', () => appStandIn.quit());
peer.handle('app.second-instance', (params: { argv: string[]; cwd: string }) => {
  appStandIn.emit('second-instance', makeEvent(), params.argv, params.cwd, {});
});
peer.handle('window.blur', (params: { id: number }) => windowById(params.id).blur());
peer.handle('window.user-close', (params: { id: number }) => windowById(params.id).close());
peer.handle('ipc.invoke', async (params: { id: number; frame: 'main' | 'subframe'; channel: string; args: unknown[] }) => {
  const window = windowById(params.id);
  const handler = ipcMainStandIn.handlers.get(params.channel);
  if (!handler) throw new Error(`Error invoking remote method '${params.channel}': Error: No handler registered for '${params.channel}'`);
  try {
    const value = await handler(ipcEvent(window, params.frame), ...params.args);
    return JSON.parse(JSON.stringify(value ?? null)) as unknown;
  } catch (error) {
    throw new Error(`Error invoking remote method '${params.channel}': ${String(error)}`, { cause: error });
  }
});
peer.handle('ipc.send', (params: { id: number; frame: 'main' | 'subframe'; channel: string; args: unknown[] }) => {
  const event = ipcEvent(windowById(params.id), params.frame);
  ipcMainStandIn.emit(params.channel, event, ...params.args);
});
peer.handle('session.headers', (params: { url: string; headers: Record<string, string[]> }) => {
  const listener = (defaultSession.webRequest as unknown as WebRequestStandIn).headersListener;
  if (!listener) return params.headers;
  return new Promise<Record<string, string[]>>((resolve) => {
    listener(
      { url: params.url, responseHeaders: params.headers, statusCode: 200, statusLine: 'HTTP/1.1 200 OK', method: 'GET', resourceType: 'mainFrame' } as unknown as Electron.OnHeadersReceivedListenerDetails,
      (response) => resolve((response.responseHeaders as Record<string, string[]> | undefined) ?? params.headers),
    );
  });
});
peer.handle('navigation.request', (params: { id: number; url: string }) => {
  const window = windowById(params.id);
  const event = makeEvent();
  window.webContents.emit('will-navigate', event, params.url);
  return { allowed: !event.defaultPrevented };
});
peer.handle('window.open-request', (params: { id: number; url: string }) => {
  const contents = windowById(params.id).webContents as unknown as WebContentsStandIn;
  const answer = contents.windowOpenHandler?.({ url: params.url, frameName: '', features: '', disposition: 'new-window', referrer: { url: '', policy: 'default' } } as Electron.HandlerDetails);
  return { allowed: answer?.action === 'allow' };
});
peer.handle('permission.request', (params: { id: number; permission: string }) => {
  const handler = (defaultSession as unknown as SessionStandIn).permissionRequestHandler;
  if (!handler) return { granted: true };
  return new Promise<{ granted: boolean }>((resolve) =>
    handler(windowById(params.id).webContents, params.permission as never, (granted) => resolve({ granted }), {} as never),
  );
});
peer.handle('fs.write', (params: { path: string; text: string }) => writeFileSync(params.path, params.text));

// ---------------------------------------------------------------------------------------------
// The module's exports (named, as the bundle imports them, and default, as electron-store does)

export const app = guard('app', appStandIn) as unknown as Electron.App;
export const BrowserWindow = BrowserWindowStandIn as unknown as typeof Electron.BrowserWindow;
export const Menu = MenuStandIn as unknown as typeof Electron.Menu;
export const MenuItem = MenuItemStandIn as unknown as typeof Electron.MenuItem;
export const Tray = TrayStandIn as unknown as typeof Electron.Tray;
export const ipcMain = guard('ipcMain', ipcMainStandIn) as unknown as Electron.IpcMain;
export const nativeImage = guard('nativeImage', nativeImageModule) as unknown as typeof Electron.NativeImage;
export const safeStorage = guard('safeStorage', new SafeStorageStandIn()) as unknown as Electron.SafeStorage;
export const screen = guard('screen', new ScreenStandIn()) as unknown as Electron.Screen;
export const powerMonitor = powerMonitorStandIn as unknown as Electron.PowerMonitor;
export const globalShortcut = guard('globalShortcut', new GlobalShortcutStandIn()) as unknown as Electron.GlobalShortcut;
export const shell = guard('shell', new ShellStandIn()) as unknown as Electron.Shell;
export const session = guard('session', { defaultSession: defaultSession as unknown as Electron.Session }) as unknown as typeof Electron.Session;
export const nativeTheme = guard('nativeTheme', new NativeThemeStandIn()) as unknown as Electron.NativeTheme;

const electronModule = { app, BrowserWindow, Menu, MenuItem, Tray, ipcMain, nativeImage, safeStorage, screen, powerMonitor, globalShortcut, shell, session, nativeTheme };
export default guard('electron', electronModule);
