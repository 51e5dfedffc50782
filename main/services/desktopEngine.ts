/**
 * The tray app's engine across settings changes: one SpendService for the shell, behind which a
 * Runtime is started, stopped and replaced whenever the settings say so (a connection added, demo
 * data chosen, a config imported). Plain Node, so onboarding is tested without Electron.
 *
 * Modes (`AppSnapshot.setup`): `unconfigured` and `invalid` run no engine and show an empty
 * status with the setup state; `demo` runs the built-in fakes; `configured` the person's
 * workspaces. A configuration problem is never hidden behind demo data.
 */
import type { AppSnapshot, SetupState } from '../../preload/api';
import type { BurnrateConfig } from './config';
import type { SettingsResolution } from './desktopSettings';
import type { ActivityState, Clock, Logger, SpendService } from './ports';

/** A running engine: the Runtime, seen through what the shell needs. */
export interface EngineRuntime extends SpendService {
  start(): Promise<void>;
}

/** Builds engines; the Electron shell passes real ones, tests pass small fakes or real Runtimes. */
export interface EngineFactory {
  /** A Runtime over this configuration (`demo` labels its numbers as demo data). */
  runtime(config: BurnrateConfig, demo: boolean): EngineRuntime;
  /** Starts the demo's loopback fakes and returns their configuration. */
  startDemo(): Promise<{ readonly config: BurnrateConfig; stop(): Promise<void> }>;
}

/** SpendService that follows the settings: see the file comment. */
export class DesktopEngine implements SpendService {
  private runtime: EngineRuntime | undefined;
  private demo: { stop(): Promise<void> } | undefined;
  private unsubscribe: (() => void) | undefined;
  private setup: SetupState = { mode: 'unconfigured', problems: [] };
  private activity: Partial<ActivityState> = {};
  private selectedWorkspaceId: string | null = null;
  private readonly listeners = new Set<(snapshot: AppSnapshot) => void>();
  /** Changes run one after another: a second apply waits for the first engine to be stopped. */
  private chain: Promise<void> = Promise.resolve();
  private stopped = false;

  constructor(
    private readonly factory: EngineFactory,
    private readonly clock: Clock,
    private readonly logger: Logger,
  ) {}

  /**
   * Runs what the settings resolved to: stops the current engine (it saves its snapshots), then
   * starts the new one. Resolves once the new engine has been started (not its first refresh).
   */
  apply(resolution: SettingsResolution): Promise<void> {
    const next = this.chain.then(() => this.switchTo(resolution));
    this.chain = next.catch((error: unknown) => this.logger.error('Could not apply the settings.', { message: (error as Error).message }));
    return next;
  }

  /** Resolves once every change applied so far has been carried out (the engine runs what the settings say). */
  settled(): Promise<void> {
    return this.chain;
  }

  private async switchTo(resolution: SettingsResolution): Promise<void> {
    if (this.stopped) return;
    await this.stopEngine();
    this.setup = { mode: resolution.mode, problems: resolution.problems };
    if (resolution.mode === 'demo') {
      const demo = await this.factory.startDemo();
      this.demo = demo;
      this.attach(this.factory.runtime(demo.config, true));
    } else if (resolution.mode === 'configured') {
      this.attach(this.factory.runtime(resolution.config, false));
    }
    this.emit();
    // Cache first (the runtime loaded its snapshots), then revalidate in the background.
    if (this.runtime) void this.runtime.start();
  }

  private attach(runtime: EngineRuntime): void {
    this.runtime = runtime;
    runtime.setActivity(this.activity);
    const known = this.selectedWorkspaceId !== null && runtime.snapshot().status.workspaces.some((w) => w.id === this.selectedWorkspaceId);
    if (this.selectedWorkspaceId !== null && !known) this.selectedWorkspaceId = null;
    if (this.selectedWorkspaceId !== null) runtime.selectWorkspace(this.selectedWorkspaceId);
    this.unsubscribe = runtime.onSnapshot((snapshot) => this.forward(snapshot));
  }

  private async stopEngine(): Promise<void> {
    this.unsubscribe?.();
    this.unsubscribe = undefined;
    const runtime = this.runtime;
    const demo = this.demo;
    this.runtime = undefined;
    this.demo = undefined;
    await runtime?.stop();
    await demo?.stop();
  }

  private forward(snapshot: AppSnapshot): void {
    const full = { ...snapshot, setup: this.setup };
    for (const listener of this.listeners) listener(full);
  }

  private emit(): void {
    const snapshot = this.snapshot();
    for (const listener of this.listeners) listener(snapshot);
  }

  /** The setup state shown by the popover. */
  get setupState(): SetupState {
    return this.setup;
  }

  snapshot(): AppSnapshot {
    if (this.runtime) return { ...this.runtime.snapshot(), setup: this.setup };
    return {
      status: { generatedAt: new Date(this.clock.now()).toISOString(), workspaces: [] },
      selectedWorkspaceId: null,
      refreshing: false,
      fromCache: false,
      setup: this.setup,
    };
  }

  async refreshNow(): Promise<void> {
    await this.runtime?.refreshNow();
  }

  selectWorkspace(workspaceId: string | null): void {
    if (!this.runtime) {
      if (workspaceId !== null) throw new Error(`Unknown workspace "${workspaceId}".`);
      return;
    }
    this.runtime.selectWorkspace(workspaceId);
    this.selectedWorkspaceId = workspaceId;
  }

  setActivity(patch: Partial<ActivityState>): void {
    this.activity = { ...this.activity, ...patch };
    this.runtime?.setActivity(patch);
  }

  onSnapshot(listener: (snapshot: AppSnapshot) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Stops the engine for good (quit): waits for changes in progress and the final save. */
  async stop(): Promise<void> {
    await this.chain;
    this.stopped = true;
    await this.stopEngine();
  }
}
