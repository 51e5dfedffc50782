/**
 * A line logger that redacts every secret from the message and the fields before writing.
 * Used by the CLI (stderr) and the desktop app (a log file).
 */
import { redact } from '../core/redact';
import type { Logger } from './ports';

/** Options of {@link createLogger}. */
export interface LoggerOptions {
  /** Where lines go (stderr, a file…). */
  readonly write: (line: string) => void;
  /** Secrets to remove; a function so keys added later are covered too. */
  readonly secrets: () => Iterable<string>;
  /** Prefix each line with an ISO timestamp. */
  readonly timestamps?: boolean;
  readonly now?: () => number;
  /** Drop `info` lines (quiet mode). */
  readonly quiet?: boolean;
}

/** Creates a redacting logger. */
export function createLogger(options: LoggerOptions): Logger {
  const line = (level: string, message: string, fields?: Readonly<Record<string, unknown>>) => {
    const extra = fields && Object.keys(fields).length > 0 ? ` ${JSON.stringify(fields)}` : '';
    const stamp = options.timestamps ? `${new Date((options.now ?? Date.now)()).toISOString()} ` : '';
    // One event, one line: multi-line messages (a child process's error output) break line-based log readers.
    options.write(redact(`${stamp}${level}${message}${extra}`, options.secrets()).replace(/\s*[\r\n]+\s*/g, ' '));
  };
  return {
    info: (message, fields) => {
      if (!options.quiet) line('', message, fields);
    },
    warn: (message, fields) => line('warning: ', message, fields),
    error: (message, fields) => line('error: ', message, fields),
  };
}
