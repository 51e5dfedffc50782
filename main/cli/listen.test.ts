import { describe, expect, it } from 'vitest';
import { UsageError } from './args';
import { isLoopbackAddress, listenAddress, parseListen, publicHosts } from './listen';

describe('--listen and --public-host', () => {
  it.each([
    ['127.0.0.1:8787', { host: '127.0.0.1', port: 8787, loopback: true }],
    ['localhost:0', { host: 'localhost', port: 0, loopback: true }],
    ['[::1]:9000', { host: '::1', port: 9000, loopback: true }],
    ['0.0.0.0:8787', { host: '0.0.0.0', port: 8787, loopback: false }],
    ['[::]:8787', { host: '::', port: 8787, loopback: false }],
    ['10.1.2.3:80', { host: '10.1.2.3', port: 80, loopback: false }],
    ['burnrate.internal:8787', { host: 'burnrate.internal', port: 8787, loopback: false }],
  ])('parses %s', (value, expected) => {
    expect(parseListen(value)).toEqual(expected);
  });

  it.each(['0.0.0.0', ':8787', '0.0.0.0:65536', '[zz]:80', '::1:80', 'http://x:80', '0.0.0.0:-1', ''])('refuses %j with a usage error', (value) => {
    expect(() => parseListen(value)).toThrow(UsageError);
  });

  it('defaults to 127.0.0.1:8787, takes --port as 127.0.0.1:N, and refuses both flags together', () => {
    expect(listenAddress(undefined, undefined, 8787)).toEqual({ host: '127.0.0.1', port: 8787, loopback: true });
    expect(listenAddress(undefined, '0', 8787)).toEqual({ host: '127.0.0.1', port: 0, loopback: true });
    expect(() => listenAddress('127.0.0.1:1', '2', 8787)).toThrow(/not both/);
  });

  it('counts all of 127.0.0.0/8, ::1 and localhost as loopback, nothing else', () => {
    expect(['127.0.0.1', '127.9.9.9', '::1', 'LOCALHOST'].every(isLoopbackAddress)).toBe(true);
    expect(['0.0.0.0', '::', '128.0.0.1', '127.example', 'localhost.evil'].some(isLoopbackAddress)).toBe(false);
  });

  it('lower-cases public names, splits commas, and refuses ports, schemes and paths', () => {
    expect(publicHosts('Burnrate.Example.com, 10.0.0.5,[::1]')).toEqual(['burnrate.example.com', '10.0.0.5', '[::1]']);
    expect(publicHosts(undefined)).toEqual([]);
    for (const bad of ['host:80', 'https://host', 'host/path', 'a..b', '-host']) expect(() => publicHosts(bad)).toThrow(UsageError);
  });
});
