/**
 * Reading a configuration file from disk (main/services/config.ts): only a regular file within the
 * size limit, as JSON, with syntax errors explained by line and column and never by quoting the
 * file (its text may hold API keys).
 */
import { closeSync, constants as fsConstants, fstatSync, openSync, readSync } from 'node:fs';
import { CONFIG_LIMITS, ConfigError } from './configLimits';

/**
 * Explains a JSON syntax error by line and column, WITHOUT quoting the file: V8's messages quote
 * the text around the error ("Unexpected token 'b', ..."apiKey": bt_live_12"..."), and the text
 * around a typo in a config file is often an API key.
 * @example describeJsonError('{"a": tru}', "Unexpected token '}', ...") //=> "not valid JSON: unexpected '}' at line 1, column 10"
 */
export function describeJsonError(text: string, message: string): string {
  let position: number | undefined;
  let reason: string;
  const token = /^Unexpected token '([^']+)', (\.\.\.)?"([\s\S]*?)"(?:\.\.\.)? is not valid JSON$/.exec(message);
  if (token) {
    const [, character = '', ellipsis, excerpt = ''] = token;
    reason = `unexpected '${character}'`;
    // V8 shows up to 10 characters before the offending one; locate the excerpt to get the offset.
    const index = text.indexOf(excerpt);
    if (index >= 0 && excerpt) position = index + (ellipsis ? Math.min(10, excerpt.length - 1) : Math.max(0, excerpt.indexOf(character)));
  } else {
    const at = /\bat position (\d+)/.exec(message);
    if (at) position = Number(at[1]);
    // Keep V8's explanation, drop its position (reported as line and column) and any quoted text.
    reason = message.replace(/\s*(?:in JSON )?at position[\s\S]*$/, '').replace(/,?\s*(?:\.\.\.)?"[\s\S]*$/, '');
    reason = reason.charAt(0).toLowerCase() + reason.slice(1);
  }
  if (position === undefined || position > text.length) return `not valid JSON: ${reason}`;
  const before = text.slice(0, position);
  const line = before.split('\n').length;
  const column = position - before.lastIndexOf('\n');
  return `not valid JSON: ${reason} at line ${line}, column ${column}`;
}

/**
 * Reads a configuration file's text: only a regular file (a FIFO would block forever, a device
 * never end) of at most {@link CONFIG_LIMITS}.maxFileBytes. Opened non-blocking and checked on
 * the open descriptor, so a FIFO put in place between a check and the read cannot hang it.
 * Throws ConfigError for those two limits and the file system's error (with `code`) otherwise.
 */
export function readConfigText(file: string): string {
  const nonBlocking = process.platform === 'win32' ? 0 : fsConstants.O_NONBLOCK;
  const fd = openSync(file, fsConstants.O_RDONLY | nonBlocking);
  try {
    const stat = fstatSync(fd);
    if (stat.isDirectory()) throw Object.assign(new Error('is a directory'), { code: 'EISDIR' });
    if (!stat.isFile()) {
      throw new ConfigError(file, [{ path: '(file)', message: 'is not a regular file (a FIFO, socket or device); only regular files are read' }]);
    }
    if (stat.size > CONFIG_LIMITS.maxFileBytes) {
      throw new ConfigError(file, [{ path: '(file)', message: `is ${stat.size} bytes, more than the 1 MiB limit of a configuration file` }]);
    }
    const buffer = Buffer.alloc(CONFIG_LIMITS.maxFileBytes + 1);
    let length = 0;
    for (;;) {
      const read = readSync(fd, buffer, length, buffer.length - length, null);
      if (read === 0) break;
      length += read;
      if (length > CONFIG_LIMITS.maxFileBytes) {
        throw new ConfigError(file, [{ path: '(file)', message: `is more than the 1 MiB limit of a configuration file` }]);
      }
    }
    return buffer.subarray(0, length).toString('utf8');
  } finally {
    closeSync(fd);
  }
}

/**
 * Reads a configuration file as JSON, without validating its content. Throws ConfigError naming
 * the file for anything unreadable; a syntax error is explained by line and column, never by
 * quoting the file (its text may hold API keys).
 */
export function readConfigJson(file: string): unknown {
  let text: string;
  try {
    text = readConfigText(file);
  } catch (error) {
    if (error instanceof ConfigError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    const message =
      code === 'ENOENT'
        ? 'file not found (create it, or pass --config FILE; see README "Configuration")'
        : code === 'EACCES'
          ? 'permission denied'
          : code === 'EISDIR'
            ? 'is a directory, not a file'
            : `cannot be read (${code ?? 'unknown error'})`;
    throw new ConfigError(file, [{ path: '(file)', message }]);
  }
  try {
    // A byte-order mark (Notepad's UTF-8) is not JSON, but nobody means anything by it.
    return JSON.parse(text.replace(/^\uFEFF/, '')) as unknown;
  } catch (error) {
    throw new ConfigError(file, [{ path: '(root)', message: describeJsonError(text, (error as Error).message) }]);
  }
}
