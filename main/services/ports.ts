/**
 * Ports: the roles the stateful services talk to. Implementations live at the edges
 * (main/electron for the desktop app, main/cli for the headless one, fakes in tests).
 */
import type { AppSnapshot } from '../../preload/api';
import { capDelayMs } from '../core/refreshPolicy';

/** Source of "now" (epoch ms). Tests pass a fake clock. */
export interface Clock {
  now(): number;
}

/** The system clock. */
export const systemClock: Clock = { now: () => Date.now() };

/** Timer functions (real ones by default; tests pass fakes driven by a fake clock). */
export interface Timers {
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

/** The system's timers. */
export const systemTimers: Timers = {
  // Node fires a timer over 2^31 - 1 ms after 1 ms (TimeoutOverflowWarning); every delay is capped first.
  setTimeout: (callback, ms) => setTimeout(callback, capDelayMs(ms)),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

/** A native notification to show. */
export interface NotificationMessage {
  readonly title: string;
  readonly body: string;
  readonly severity: 'info' | 'warning' | 'critical';
  /** Workspace the notification is about: clicking it opens the popover there. */
  readonly workspaceId?: string;
}

/** Shows native notifications. Resolves when the OS accepted it; rejects with a readable error otherwise. */
export interface Notifier {
  notify(message: NotificationMessage): Promise<void>;
}

/** How well a vault protects secrets at rest. */
export type SecretProtection = 'os-keychain' | 'obfuscation-only' | 'environment';

/** Stores API keys. The Electron implementation keeps safeStorage ciphertext in electron-store. */
export interface SecretVault {
  readonly protection: SecretProtection;
  get(connectionId: string): Promise<string | undefined>;
  set(connectionId: string, secret: string): Promise<void>;
  delete(connectionId: string): Promise<void>;
}

/** Structured log lines. Implementations must pass every message through secret redaction. */
export interface Logger {
  info(message: string, fields?: Readonly<Record<string, unknown>>): void;
  warn(message: string, fields?: Readonly<Record<string, unknown>>): void;
  error(message: string, fields?: Readonly<Record<string, unknown>>): void;
}

/** Inputs from the shell that slow or speed up polling (battery, idle/lock, popover). */
export interface ActivityState {
  readonly onBattery: boolean;
  readonly systemIdle: boolean;
  readonly popoverOpen: boolean;
}

/** What the desktop shell needs from the running engine. */
export interface SpendService {
  snapshot(): AppSnapshot;
  refreshNow(): Promise<void>;
  selectWorkspace(workspaceId: string | null): void;
  setActivity(patch: Partial<ActivityState>): void;
  /** Subscribes to snapshot changes; returns the unsubscribe function. */
  onSnapshot(listener: (snapshot: AppSnapshot) => void): () => void;
  stop(): Promise<void>;
}
