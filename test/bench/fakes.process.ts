/**
 * The benchmark's fakes in their own process, so their CPU and memory never count as Burnrate's.
 * Serves the heavy month on a clock frozen at HEAVY_NOW_MS and prints one JSON line
 * `{ keys, urls }`; then answers `stats` on stdin with `{ requests, bytes }` per provider
 * (response bytes as sent on the wire), and exits on `stop` or when stdin closes.
 */
import { ServerResponse } from 'node:http';
import { createInterface } from 'node:readline';
import { BENCH_PROVIDERS, HEAVY_NOW_MS, startBenchFakes, type BenchProvider } from './heavy';

const bytesByPort = new Map<number, number>();
const count = (response: ServerResponse, chunk: unknown): void => {
  if (chunk === undefined || chunk === null || typeof chunk === 'function') return;
  const port = response.socket?.localPort;
  if (port === undefined) return;
  const length = typeof chunk === 'string' ? Buffer.byteLength(chunk) : (chunk as Uint8Array).byteLength;
  bytesByPort.set(port, (bytesByPort.get(port) ?? 0) + length);
};
const originalEnd = ServerResponse.prototype.end;
ServerResponse.prototype.end = function end(this: ServerResponse, ...args: unknown[]) {
  count(this, args[0]);
  return (originalEnd as (...a: unknown[]) => ServerResponse).apply(this, args);
} as typeof ServerResponse.prototype.end;

// `light`: the providers' default accounts (a few resources each) instead of the heavy month.
const fakes = await startBenchFakes(() => HEAVY_NOW_MS, process.argv.includes('light') ? 0 : undefined);
process.stdout.write(`${JSON.stringify({ keys: fakes.keys, urls: fakes.urls })}\n`);

const portOf = (provider: BenchProvider): number => Number(new URL(fakes.urls[provider]).port);
const lines = createInterface({ input: process.stdin });
lines.on('line', (line) => {
  if (line === 'stats') {
    const requests = fakes.requests();
    const bytes = Object.fromEntries(BENCH_PROVIDERS.map((p) => [p, bytesByPort.get(portOf(p)) ?? 0]));
    process.stdout.write(`${JSON.stringify({ requests, bytes })}\n`);
  } else if (line === 'stop') {
    lines.close();
  }
});
lines.on('close', () => {
  void fakes.stop().then(() => process.exit(0));
});
