/**
 * The desktop harness, test side: starts the BUILT main bundle (out/main/index.js) in its own
 * Node 24 process with `electron` and `node-notifier` resolved to the stand-ins
 * (standIn/register.ts), and plays the desktop around it:
 *
 * - every BrowserWindow is a real Chromium page (Playwright, /usr/bin/chromium) that loads the
 *   real built renderer, with the real built preload in an isolated world (pageScripts.ts);
 * - IPC crosses two process boundaries (page ⇄ this process over CDP, this process ⇄ app over
 *   Node's IPC channel), so main's sender checks and zod validation run on real messages;
 * - the tray, menu, global shortcuts, power events and notifications are observable and
 *   clickable through {@link DesktopApp}.
 *
 * See test/desktop/README.md for how to drive it.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { dirname, extname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, BrowserContext, CDPSession, Page, Route } from 'playwright/test';
import { IPC_BINDING, mainWorldScript, PRELOAD_WORLD, preloadWorldScript, type BindingMessage } from './pageScripts';
import { Peer, type PeerMessage } from './standIn/peer';
import type { AppState, HarnessConfig, MenuItemState, NotificationRecord, TrayState, WindowCreate } from './standIn/protocol';

const HERE = dirname(fileURLToPath(import.meta.url));
const ROOT = resolve(HERE, '../..');
const MAIN_BUNDLE = join(ROOT, 'out/main/index.js');
const REGISTER = join(HERE, 'standIn/register.ts');
/** Origin the harness serves `loadFile` pages from (Chromium refuses module scripts from file://). */
export const APP_ORIGIN = 'http://burnrate.invalid';

/** Options of {@link launchDesktop}. */
export interface LaunchOptions {
  /** userData folder; reuse one to relaunch "the same installation". Default: a new folder under `dir`. */
  readonly userData?: string;
  /** Scratch folder of the test (HOME, XDG dirs, userData); `testInfo.outputPath()` is a good choice. */
  readonly dir: string;
  readonly platform?: HarnessConfig['platform'];
  readonly isPackaged?: boolean;
  readonly safeStorage?: Partial<HarnessConfig['safeStorage']>;
  readonly refusedShortcuts?: readonly string[];
  readonly notificationFailure?: string | null;
  /** Extra environment of the app process (BURNRATE_*, ELECTRON_RENDERER_URL…). */
  readonly env?: Readonly<Record<string, string>>;
}

const running = new Set<DesktopApp>();

/** Starts the app. Resolves once the app process is up (not necessarily ready: use waitFor…). */
export async function launchDesktop(browser: Browser, options: LaunchOptions): Promise<DesktopApp> {
  const major = Number(process.versions.node.split('.')[0]);
  if (major < 24) throw new Error(`The desktop harness needs Node 24 (type stripping, module.registerHooks); this is ${process.version}. Run it through npx/npm.`);
  if (!existsSync(MAIN_BUNDLE)) throw new Error('out/main/index.js is missing: run `npx electron-vite build` first.');
  const dir = resolve(options.dir);
  const home = join(dir, 'home');
  const userData = resolve(options.userData ?? join(dir, 'userData'));
  const resourcesPath = join(dir, 'resources');
  for (const folder of [home, userData, resourcesPath]) mkdirSync(folder, { recursive: true });
  if (!existsSync(join(resourcesPath, 'tray'))) cpSync(join(ROOT, 'build/tray'), join(resourcesPath, 'tray'), { recursive: true });
  const packageJson = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { name: string; version: string };
  const config: HarnessConfig = {
    platform: options.platform ?? 'darwin',
    userData,
    appVersion: packageJson.version,
    appName: packageJson.name,
    isPackaged: options.isPackaged ?? false,
    resourcesPath,
    safeStorage: { available: true, backend: 'gnome_libsecret', ...options.safeStorage },
    refusedShortcuts: options.refusedShortcuts ?? [],
    notificationFailure: options.notificationFailure ?? null,
  };
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(process.env)) {
    // The app must not see the developer's config, keys or dev server.
    if (value === undefined || key.startsWith('BURNRATE_') || key.startsWith('ELECTRON_') || key.startsWith('XDG_')) continue;
    env[key] = value;
  }
  Object.assign(env, {
    HOME: home,
    XDG_CONFIG_HOME: join(home, '.config'),
    XDG_STATE_HOME: join(home, '.local/state'),
    XDG_CACHE_HOME: join(home, '.cache'),
    XDG_DATA_HOME: join(home, '.local/share'),
    BURNRATE_HARNESS_CONFIG: JSON.stringify(config),
    NODE_OPTIONS: '',
    ...options.env,
  });
  const child = fork(MAIN_BUNDLE, [], {
    cwd: ROOT,
    env,
    execPath: process.execPath,
    execArgv: ['--import', REGISTER, '--disable-warning=ExperimentalWarning'],
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  });
  const app = new DesktopApp(browser, child, config);
  running.add(app);
  return app;
}

/** A window of the app: its Chromium page and what the harness knows about it. */
export interface HarnessWindow {
  readonly id: number;
  readonly page: Page;
  readonly context: BrowserContext;
  readonly cdp: CDPSession;
  /** Execution context of the preload world in the current document (set by its 'ready'). */
  preloadContextId: number | undefined;
  readonly pendingPushes: { channel: string; args: unknown[] }[];
  readonly consoleErrors: string[];
  /** Loads resolved so far (the first one is the app's own; later documents are navigations). */
  loads: number;
  /** Folder served at APP_ORIGIN (of the last loadFile). */
  root: string;
  routed: boolean;
}

/** The running app, as a test sees and drives it. */
export class DesktopApp {
  readonly config: HarnessConfig;
  /** Resolves with the exit code when the app process ends. */
  readonly exited: Promise<number>;
  private readonly browser: Browser;
  private readonly child: ChildProcess;
  private readonly peer: Peer;
  private latest: AppState | undefined;
  private readonly waiters = new Set<() => void>();
  private readonly windows = new Map<number, Promise<HarnessWindow>>();
  private output = '';
  /** window.open calls of the pages and the app's answer (setWindowOpenHandler). */
  readonly openRequests: { url: string; allowed: boolean }[] = [];
  /** Every IPC message main sent a renderer, as JSON: invoke answers (`invoke <channel> → …`) and pushes (`push <channel> …`). */
  readonly ipcToRenderer: string[] = [];
  /** Every console message of every window (all levels), `<type>: <text>`. */
  readonly rendererConsole: string[] = [];
  private exitCode: number | undefined;

  constructor(browser: Browser, child: ChildProcess, config: HarnessConfig) {
    this.browser = browser;
    this.child = child;
    this.config = config;
    child.stdout?.on('data', (chunk: Buffer) => this.log(chunk));
    child.stderr?.on('data', (chunk: Buffer) => this.log(chunk));
    this.peer = new Peer({
      send: (message: PeerMessage) => {
        if (!child.connected) return;
        // An answer to a request of an app that is quitting can meet a pipe the child already
        // closed (EPIPE, seen under a CPU hog in the quit test): the child is gone and its exit is
        // what the tests wait on, so the loss is logged, not thrown into the test as an unhandled error.
        child.send(message, (error) => {
          if (error) this.log(Buffer.from(`[harness] message to the app not delivered (${(error as NodeJS.ErrnoException).code ?? error.message}): the app process is gone\n`));
        });
      },
      onMessage: (listener) => child.on('message', (message) => listener(message as PeerMessage)),
    });
    this.exited = new Promise((resolveExit) => {
      child.on('exit', (code, signal) => {
        this.exitCode = code ?? (signal ? 128 : 1);
        this.peer.close(`the app process exited (code ${code}, signal ${signal})`);
        running.delete(this);
        for (const waiter of this.waiters) waiter();
        void this.closeWindows();
        resolveExit(this.exitCode);
      });
    });
    this.peer.handle('state', (state: AppState) => {
      this.latest = state;
      for (const waiter of [...this.waiters]) waiter();
    });
    this.peer.handle('window.create', (create: WindowCreate) => this.createWindow(create).then(() => null));
    this.peer.handle('window.load', (params: { id: number; url?: string; file?: string }) => this.load(params));
    this.peer.handle('window.send', async (params: { id: number; channel: string; args: unknown[] }) => {
      const window = await this.window(params.id);
      await this.push(window, params.channel, params.args);
    });
    this.peer.handle('window.destroy', async (params: { id: number }) => {
      const window = await this.windows.get(params.id);
      this.windows.delete(params.id);
      await window?.context.close();
    });
    this.peer.handle('window.visibility', () => undefined);
    this.peer.handle('second-instance', (params: { owner: number; argv: string[]; cwd: string }) => {
      for (const other of running) if (other.pid === params.owner) void other.peer.request('app.second-instance', params).catch(() => undefined);
    });
  }

  /** Process id of the app. */
  get pid(): number | undefined {
    return this.child.pid;
  }

  /** Everything the app printed (stdout and stderr). */
  get logs(): string {
    return this.output;
  }

  /** The latest state the app reported (throws before the first report). */
  get state(): AppState {
    if (!this.latest) throw new Error('The app has not reported its state yet.');
    return this.latest;
  }

  /** Waits until `predicate` holds for the app's state; fails when the app exits first. */
  waitFor<T>(description: string, predicate: (state: AppState) => T | undefined | null | false): Promise<T> {
    return new Promise<T>((resolveWait, reject) => {
      const check = (): void => {
        const value = this.latest ? predicate(this.latest) : undefined;
        if (value !== undefined && value !== null && value !== false) {
          this.waiters.delete(check);
          resolveWait(value as T);
        } else if (this.exitCode !== undefined) {
          this.waiters.delete(check);
          reject(new Error(`Waiting for ${description}: the app exited with code ${this.exitCode}.\n${this.output.slice(-3000)}`));
        }
      };
      this.waiters.add(check);
      check();
    });
  }

  /** Waits for a tray that satisfies `predicate`. */
  waitForTray(description: string, predicate: (tray: TrayState) => boolean): Promise<TrayState> {
    return this.waitFor(`tray: ${description}`, (state) => (state.tray && predicate(state.tray) ? state.tray : undefined));
  }

  /** The popover: the first window the app created, once its page has loaded. */
  async popover(): Promise<Page> {
    const id = await this.waitFor('the popover window', (state) => state.windows[0]?.id);
    const window = await this.window(id);
    await this.waitFor('the popover page to load', () => window.loads > 0 || undefined);
    return window.page;
  }

  /** The harness view of window `id` (waits until the page exists). */
  async window(id: number): Promise<HarnessWindow> {
    await this.waitFor(`window ${id}`, () => this.windows.has(id) || undefined);
    return this.windows.get(id)!;
  }

  /** Console errors of window `id` so far. */
  async consoleErrors(id = 1): Promise<readonly string[]> {
    return (await this.window(id)).consoleErrors;
  }

  /** Left click on the tray icon. */
  clickTray(): Promise<void> {
    return this.peer.request('tray.click');
  }

  /**
   * Clicks a tray menu item by its label (one label per submenu level). A label also matches an
   * item that starts with it followed by " — " ("Research" clicks "Research — $1,234").
   */
  clickMenuItem(...labels: string[]): Promise<void> {
    let items = this.state.tray?.menu ?? [];
    const exact: string[] = [];
    for (const label of labels) {
      const item = items.find((i) => i.label === label) ?? items.find((i) => i.label.startsWith(`${label} — `));
      exact.push(item?.label ?? label);
      items = item?.submenu ?? [];
    }
    return this.peer.request('tray.clickMenuItem', { labels: exact });
  }

  /** Asks the app for its state now (after everything it did before this request) and returns it. */
  async syncState(): Promise<AppState> {
    const state = await this.peer.request<AppState>('state');
    this.latest = state;
    for (const waiter of [...this.waiters]) waiter();
    return state;
  }

  /** Presses a registered global shortcut. */
  fireShortcut(accelerator: string): Promise<void> {
    return this.peer.request('shortcut.fire', { accelerator });
  }

  /** Emits a powerMonitor event after setting battery/idle state. */
  power(event: 'on-battery' | 'on-ac' | 'suspend' | 'resume' | 'lock-screen' | 'unlock-screen', state: { onBattery?: boolean; idleState?: 'active' | 'idle' | 'locked' } = {}): Promise<void> {
    return this.peer.request('power.emit', { event, ...state });
  }

  /** Clicks a notification (node-notifier reports 'activate' to the app). */
  clickNotification(id: number): Promise<void> {
    return this.peer.request('notification.click', { id });
  }

  /** Lets a waiting notification time out unclicked. */
  timeoutNotification(id: number): Promise<void> {
    return this.peer.request('notification.timeout', { id });
  }

  /** Waits for the n-th notification (1-based count). */
  waitForNotifications(count: number): Promise<readonly NotificationRecord[]> {
    return this.waitFor(`${count} notification(s)`, (state) => (state.notifications.length >= count ? state.notifications : undefined));
  }

  /** Moves focus away from window `id` (a click elsewhere on the desktop). */
  blurWindow(id = 1): Promise<void> {
    return this.peer.request('window.blur', { id });
  }

  /** Changes safeStorage's availability or Linux backend while running. */
  configureSafeStorage(setup: Partial<HarnessConfig['safeStorage']>): Promise<void> {
    return this.peer.request('safeStorage.configure', setup);
  }

  /** Quit from outside (like the OS at logout); resolves with the exit code. */
  async quit(): Promise<number> {
    await this.peer.request('app.quit').catch(() => undefined);
    return this.exited;
  }

  /** Kills the app process (a crash). */
  async kill(): Promise<number> {
    this.child.kill('SIGKILL');
    return this.exited;
  }

  /** The tray menu as text, one item per line (for screenshots in test-results/desktop/). */
  menuText(): string {
    const menu = this.state.tray?.menu;
    if (!menu) return '(no menu)';
    return renderMenu(menu, 0).join('\n');
  }

  private log(chunk: Buffer): void {
    const text = chunk.toString('utf8');
    this.output += text;
    if (process.env.BURNRATE_HARNESS_VERBOSE) process.stderr.write(`[app ${this.child.pid}] ${text}`);
  }

  private async createWindow(create: WindowCreate): Promise<HarnessWindow> {
    const creating = (async () => {
      const context = await this.browser.newContext({ viewport: { width: create.width, height: create.height } });
      const page = await context.newPage();
      const cdp = await context.newCDPSession(page);
      const window: HarnessWindow = { id: create.id, page, context, cdp, preloadContextId: undefined, pendingPushes: [], consoleErrors: [], loads: 0, root: ROOT, routed: false };
      page.on('console', (message) => {
        this.rendererConsole.push(`${message.type()}: ${message.text()}`);
        if (message.type() === 'error') window.consoleErrors.push(message.text());
      });
      page.on('pageerror', (error) => window.consoleErrors.push(`pageerror: ${error.message}`));
      page.on('popup', (popup) => {
        // Electron asks setWindowOpenHandler before a window opens; here the popup is closed when refused.
        const url = popup.url();
        void this.peer
          .request<{ allowed: boolean }>('window.open-request', { id: create.id, url })
          .then((answer) => {
            this.openRequests.push({ url, allowed: answer.allowed });
            if (!answer.allowed) return popup.close();
            return undefined;
          })
          .catch(() => popup.close());
      });
      await cdp.send('Runtime.enable');
      await cdp.send('Page.enable');
      await cdp.send('Runtime.addBinding', { name: IPC_BINDING, executionContextName: PRELOAD_WORLD });
      cdp.on('Runtime.bindingCalled', (event) => {
        if (event.name !== IPC_BINDING) return;
        void this.onBinding(window, event.executionContextId, JSON.parse(event.payload) as BindingMessage);
      });
      await cdp.send('Page.addScriptToEvaluateOnNewDocument', { source: mainWorldScript() });
      if (create.preload) {
        const source = readFileSync(create.preload, 'utf8');
        await cdp.send('Page.addScriptToEvaluateOnNewDocument', { source: preloadWorldScript(source), worldName: PRELOAD_WORLD });
      }
      return window;
    })();
    this.windows.set(create.id, creating);
    for (const waiter of [...this.waiters]) waiter();
    return creating;
  }

  private async onBinding(window: HarnessWindow, contextId: number, message: BindingMessage): Promise<void> {
    if (message.type === 'ready') {
      window.preloadContextId = contextId;
      const queued = window.pendingPushes.splice(0);
      for (const push of queued) await this.push(window, push.channel, push.args);
      return;
    }
    if (message.type === 'send') {
      await this.peer.request('ipc.send', { id: window.id, frame: 'main', channel: message.channel, args: message.args }).catch(() => undefined);
      return;
    }
    let settle: string;
    try {
      const value = await this.peer.request('ipc.invoke', { id: window.id, frame: 'main', channel: message.channel, args: message.args });
      this.ipcToRenderer.push(`invoke ${message.channel} → ${JSON.stringify(value)}`);
      settle = `globalThis.__burnrateHarness.settle(${message.id}, true, ${JSON.stringify(value)}, '')`;
    } catch (error) {
      settle = `globalThis.__burnrateHarness.settle(${message.id}, false, null, ${JSON.stringify((error as Error).message)})`;
    }
    await window.cdp.send('Runtime.evaluate', { expression: settle, contextId }).catch(() => undefined);
  }

  private async push(window: HarnessWindow, channel: string, args: unknown[]): Promise<void> {
    if (window.preloadContextId === undefined) {
      window.pendingPushes.push({ channel, args });
      return;
    }
    this.ipcToRenderer.push(`push ${channel} ${JSON.stringify(args)}`);
    const expression = `globalThis.__burnrateHarness.deliver(${JSON.stringify(channel)}, ${JSON.stringify(args)})`;
    await window.cdp.send('Runtime.evaluate', { expression, contextId: window.preloadContextId }).catch(() => undefined);
  }

  private async load(params: { id: number; url?: string; file?: string }): Promise<string> {
    const window = await this.window(params.id);
    let url: string;
    if (params.file) {
      window.root = dirname(params.file);
      url = `${APP_ORIGIN}/${relative(window.root, params.file).split(sep).join('/')}`;
      if (!window.routed) {
        window.routed = true;
        // The app can exit (or be killed at the end of a test) while the page still loads assets:
        // the request to it then fails, and the route is aborted instead of failing the next test.
        await window.context.route(`${APP_ORIGIN}/**`, (route) => this.serve(window, route).catch(() => route.abort('failed').catch(() => undefined)));
      }
    } else {
      url = params.url ?? 'about:blank';
    }
    window.preloadContextId = undefined;
    await window.page.goto(url, { waitUntil: 'load' });
    window.loads += 1;
    for (const waiter of [...this.waiters]) waiter();
    return url;
  }

  /** Serves the folder of the last loadFile, with the session's headers (the app's CSP). */
  private async serve(window: HarnessWindow, route: Route): Promise<void> {
    const request = route.request();
    const root = window.root;
    const path = resolve(root, decodeURIComponent(new URL(request.url()).pathname.slice(1)));
    if (request.isNavigationRequest() && request.frame() === window.page.mainFrame() && window.loads > 0) {
      // A navigation away from the loaded page: Electron asks will-navigate first.
      const answer = await this.peer.request<{ allowed: boolean }>('navigation.request', { id: window.id, url: request.url() });
      if (!answer.allowed) return route.abort('aborted');
    }
    if (!path.startsWith(root + sep) || !existsSync(path)) return route.fulfill({ status: 404, body: 'not found' });
    const headers = await this.peer.request<Record<string, string[]>>('session.headers', { url: request.url(), headers: { 'Content-Type': [contentType(path)] } });
    const flat: Record<string, string> = {};
    for (const [name, values] of Object.entries(headers)) flat[name] = values.join(', ');
    return route.fulfill({ status: 200, headers: flat, body: readFileSync(path) });
  }

  private async closeWindows(): Promise<void> {
    const all = [...this.windows.values()];
    this.windows.clear();
    for (const window of all) await (await window).context.close().catch(() => undefined);
  }
}

function contentType(path: string): string {
  const types: Record<string, string> = {
    '.html': 'text/html; charset=utf-8',
    '.js': 'text/javascript; charset=utf-8',
    '.css': 'text/css; charset=utf-8',
    '.svg': 'image/svg+xml',
    '.png': 'image/png',
    '.json': 'application/json',
    '.woff2': 'font/woff2',
  };
  return types[extname(path)] ?? 'application/octet-stream';
}

function renderMenu(items: readonly MenuItemState[], depth: number): string[] {
  const lines: string[] = [];
  for (const item of items) {
    if (!item.visible) continue;
    const indent = '  '.repeat(depth);
    if (item.type === 'separator') {
      lines.push(`${indent}────────────`);
      continue;
    }
    const mark = item.type === 'radio' ? (item.checked ? '(•) ' : '( ) ') : item.type === 'checkbox' ? (item.checked ? '[x] ' : '[ ] ') : '    ';
    const accelerator = item.accelerator ? `   ${item.accelerator}` : '';
    const disabled = item.enabled ? '' : '   (disabled)';
    lines.push(`${indent}${mark}${item.label}${item.submenu ? ' ▸' : ''}${accelerator}${disabled}`);
    if (item.submenu) lines.push(...renderMenu(item.submenu, depth + 1));
  }
  return lines;
}

/** Stops every app still running (afterEach safety net: a failed test must not leave processes). */
export async function stopAll(): Promise<void> {
  await Promise.all([...running].map((app) => app.kill()));
}
