/**
 * Files that may reveal something about a person's accounts (settings, exports, snapshots) are
 * created private: mode 0600 in a folder created 0700. POSIX modes only; on Windows the profile
 * folder's ACL already keeps other users out, and `chmod` there only toggles read-only.
 */
import { chmodSync, mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

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
