/**
 * The access token of `burnrate serve`: stable when asked for, random otherwise.
 * - `--token-file FILE`: the file's content; created with a random token (mode 0600) on first use.
 * - else `$BURNRATE_TOKEN`;
 * - else a new random token per start.
 */
import { randomBytes } from 'node:crypto';
import { chmodSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { UsageError } from './args';

/** Shortest token accepted from the environment or a file. */
export const MIN_TOKEN_LENGTH = 16;

/** A fresh random token (32 bytes, base64url). */
export function randomToken(): string {
  return randomBytes(32).toString('base64url');
}

function checked(token: string, where: string): string {
  if (token.length < MIN_TOKEN_LENGTH) throw new UsageError(`${where} must hold a token of at least ${MIN_TOKEN_LENGTH} characters`, 'serve');
  if (!/^[\x21-\x7e]+$/.test(token)) throw new UsageError(`${where} must hold a token of printable ASCII characters without spaces`, 'serve');
  return token;
}

/** Result of {@link resolveToken}: the token, where it came from, and warnings for stderr. */
export interface ResolvedToken {
  readonly token: string | undefined;
  readonly source: 'file' | 'created' | 'env' | 'random';
  readonly warnings: readonly string[];
}

/** Picks the token for a serve run (undefined = let the server pick a random one). */
export function resolveToken(tokenFile: string | undefined, env: Readonly<Record<string, string | undefined>>): ResolvedToken {
  if (tokenFile !== undefined) {
    let text: string | undefined;
    try {
      text = readFileSync(tokenFile, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw new UsageError(`cannot read --token-file ${tokenFile}: ${(error as NodeJS.ErrnoException).code ?? 'error'}`, 'serve');
    }
    if (text === undefined) {
      const token = randomToken();
      try {
        writeFileSync(tokenFile, `${token}\n`, { flag: 'wx', mode: 0o600 });
        if (process.platform !== 'win32') chmodSync(tokenFile, 0o600);
      } catch (error) {
        throw new UsageError(`cannot create --token-file ${tokenFile}: ${(error as NodeJS.ErrnoException).code ?? 'error'}`, 'serve');
      }
      return { token, source: 'created', warnings: [] };
    }
    const warnings: string[] = [];
    if (process.platform !== 'win32' && (statSync(tokenFile).mode & 0o077) !== 0) warnings.push(`${tokenFile} is accessible by other users: run chmod 600 "${tokenFile}"`);
    return { token: checked(text.trim(), `--token-file ${tokenFile}`), source: 'file', warnings };
  }
  const fromEnv = env.BURNRATE_TOKEN;
  if (fromEnv !== undefined && fromEnv !== '') return { token: checked(fromEnv.trim(), 'BURNRATE_TOKEN'), source: 'env', warnings: [] };
  return { token: undefined, source: 'random', warnings: [] };
}
