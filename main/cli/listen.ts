/**
 * Where `burnrate serve` listens: `--listen HOST:PORT` (default 127.0.0.1:8787) or `--port N`
 * (127.0.0.1:N). A non-loopback address turns it into a team server, which needs a stable token
 * and the names clients use for it (`--public-host`, for the Host check that stops DNS rebinding).
 */
import { isIP } from 'node:net';
import { UsageError } from './args';

/** The address to bind and whether it is this machine's loopback interface. */
export interface ListenAddress {
  /** Bind address without brackets: `127.0.0.1`, `0.0.0.0`, `::`, `10.0.0.5`, `localhost`… */
  readonly host: string;
  readonly port: number;
  readonly loopback: boolean;
}

/** True for 127.0.0.0/8, ::1 and `localhost`. */
export function isLoopbackAddress(host: string): boolean {
  const name = host.toLowerCase();
  if (name === 'localhost' || name === '::1') return true;
  return isIP(name) === 4 && name.startsWith('127.');
}

function parsePortNumber(value: string, flag: string): number {
  const port = Number(value);
  if (!/^\d+$/.test(value) || port > 65_535) throw new UsageError(`${flag} needs a port from 0 to 65535 (0 picks a free port), got "${value}"`, 'serve');
  return port;
}

/**
 * Parses `--listen HOST:PORT`; IPv6 addresses go in brackets (`[::]:8787`).
 * @example parseListen('0.0.0.0:9000') //=> { host: '0.0.0.0', port: 9000, loopback: false }
 */
export function parseListen(value: string): ListenAddress {
  const match = /^(?:\[([0-9A-Fa-f:.]+)\]|([A-Za-z0-9.-]+)):(\d+)$/.exec(value);
  if (!match) throw new UsageError(`--listen must be HOST:PORT (IPv6 in brackets, e.g. [::]:8787), got "${value}"`, 'serve');
  const host = (match[1] ?? match[2])!;
  if (match[1] !== undefined && isIP(host) !== 6) throw new UsageError(`--listen: "${host}" is not an IPv6 address`, 'serve');
  return { host, port: parsePortNumber(match[3]!, '--listen'), loopback: isLoopbackAddress(host) };
}

/** Default: 127.0.0.1:8787. `--port N` is 127.0.0.1:N; giving both is an error. */
export function listenAddress(listen: string | undefined, port: string | undefined, defaultPort: number): ListenAddress {
  if (listen !== undefined && port !== undefined) throw new UsageError('give --listen HOST:PORT or --port N, not both', 'serve');
  if (listen !== undefined) return parseListen(listen);
  return { host: '127.0.0.1', port: port === undefined ? defaultPort : parsePortNumber(port, '--port'), loopback: true };
}

/**
 * The names accepted in the Host header besides the loopback ones: `--public-host` values,
 * comma-separated or repeated, lower-cased, without ports.
 * @example publicHosts('burnrate.example.com,10.0.0.5') //=> ['burnrate.example.com', '10.0.0.5']
 */
export function publicHosts(value: string | undefined): string[] {
  if (value === undefined) return [];
  const names = value
    .split(',')
    .map((name) => name.trim().toLowerCase())
    .filter((name) => name !== '');
  for (const name of names) {
    const ok = /^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*$/.test(name) || isIP(name) === 4 || /^\[[0-9a-f:.]+\]$/.test(name);
    if (!ok) throw new UsageError(`--public-host: "${name}" is not a host name or address (no port, no scheme; IPv6 in brackets)`, 'serve');
  }
  return names;
}
