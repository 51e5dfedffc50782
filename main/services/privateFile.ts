/**
 * Files that may reveal something about a person's accounts (settings, exports, snapshots) are
 * created private: mode 0600 in a folder created 0700. POSIX modes only; on Windows the profile
 * folder's ACL already keeps other users out, and `chmod` there only toggles read-only.
 *
 * At every start {@link securePrivateDir} checks a folder of state or settings and repairs it
 * with a warning (a file created by an older version, a copy or a restore from backup may be
 * looser), and removes temporary files a crash left between write and rename, but never one a
 * running process is still writing.
 */
import { chmodSync, lstatSync, mkdirSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Logger } from './ports';

/** Mode of private files: owner read/write only. */
export const PRIVATE_FILE_MODE = 0o600;
/** Mode of folders Burnrate creates: owner only. */
export const PRIVATE_DIR_MODE = 0o700;

/**
 * Writes a file atomically (temp file, rename) with mode 0600, creating its folder 0700 when
 * missing. An existing file gets mode 0600 too, whatever it had. Throws the fs error.
 */
export function writePrivateFile(file: string, text: string): void {
  mkdirSync(dirname(file), { recursive: true, mode: PRIVATE_DIR_MODE });
  const temporary = `${file}.${process.pid}.tmp`;
  writeFileSync(temporary, text, { mode: PRIVATE_FILE_MODE });
  // writeFileSync's mode applies only when it creates the file, and the umask may narrow it: set it.
  if (process.platform !== 'win32') chmodSync(temporary, PRIVATE_FILE_MODE);
  renameSync(temporary, file);
}


/** Options of {@link securePrivateDir}. */
export interface PrivateDirOptions {
  /** Which files of the folder are Burnrate's to tighten (default: every regular file). */
  readonly owns?: (name: string) => boolean;
  /** Platform, for tests (modes mean nothing on Windows, where ACLs protect the profile). */
  readonly platform?: NodeJS.Platform;
  /** Whether a process id is running (default: `process.kill(pid, 0)`). */
  readonly isRunning?: (pid: number) => boolean;
}

/** What {@link securePrivateDir} changed. */
export interface PrivateDirReport {
  /** Paths whose mode was tightened. */
  readonly repaired: readonly string[];
  /** Leftover temporary files removed. */
  readonly removedTemp: readonly string[];
}

/** `<name>.<pid>.tmp`: the snapshot store's atomic-write temp file of process `pid`. */
const PID_TEMP = /\.(\d+)\.tmp$/;
/** `<name>.tmp-<10 digits><6 hex>`: electron-store's (atomically's) temp file. */
const STORE_TEMP = /\.tmp-\d{10}[a-f0-9]{6}$/;

function defaultIsRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to someone else; only ESRCH means it is gone.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Creates `dir` (0700) if missing, tightens it and the files Burnrate owns in it to 0700/0600 with
 * a warning for each repair, and removes temporary files left by crashed processes. Never throws
 * for a file it cannot fix: it warns and goes on (the caller's own read or write reports real trouble).
 */
export function securePrivateDir(dir: string, logger: Logger, options: PrivateDirOptions = {}): PrivateDirReport {
  const repaired: string[] = [];
  const removedTemp: string[] = [];
  const platform = options.platform ?? process.platform;
  const owns = options.owns ?? (() => true);
  const isRunning = options.isRunning ?? defaultIsRunning;
  try {
    mkdirSync(dir, { recursive: true, mode: PRIVATE_DIR_MODE });
  } catch (error) {
    logger.warn(`Could not create the folder ${dir}.`, { code: (error as NodeJS.ErrnoException).code });
    return { repaired, removedTemp };
  }
  const tighten = (path: string, wanted: number, what: string): void => {
    if (platform === 'win32') return;
    try {
      const mode = lstatSync(path).mode & 0o777;
      if ((mode & ~wanted) === 0) return;
      chmodSync(path, wanted);
      repaired.push(path);
      logger.warn(`The ${what} ${path} was mode ${mode.toString(8)} (other users could read it); set it to ${wanted.toString(8)}.`);
    } catch (error) {
      logger.warn(`Could not set the ${what} ${path} to mode ${wanted.toString(8)}.`, { code: (error as NodeJS.ErrnoException).code });
    }
  };
  tighten(dir, PRIVATE_DIR_MODE, 'folder');
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch (error) {
    logger.warn(`Could not list the folder ${dir}.`, { code: (error as NodeJS.ErrnoException).code });
    return { repaired, removedTemp };
  }
  for (const name of names) {
    const path = join(dir, name);
    let isFile: boolean;
    try {
      // lstat: a symlink is never followed (it could point at someone else's file).
      isFile = lstatSync(path).isFile();
    } catch {
      // Removed between the listing and now (another process's temp file): nothing to check.
      continue;
    }
    if (!isFile) continue;
    const pidTemp = PID_TEMP.exec(name);
    const stale = pidTemp ? !isRunning(Number(pidTemp[1])) || Number(pidTemp[1]) === process.pid : STORE_TEMP.test(name);
    if ((pidTemp || STORE_TEMP.test(name)) && owns(name.replace(pidTemp ? PID_TEMP : STORE_TEMP, ''))) {
      if (stale) {
        rmSync(path, { force: true });
        removedTemp.push(path);
      }
      continue;
    }
    if (owns(name)) tighten(path, PRIVATE_FILE_MODE, 'file');
  }
  if (removedTemp.length > 0) logger.info(`Removed ${removedTemp.length} temporary file(s) left by an interrupted write in ${dir}.`);
  return { repaired, removedTemp };
}
