/**
 * `burnrate serve` hardening, kept under test (issue 10): loopback bind, constant-time token
 * compare, strict Host, no CORS, 431 on huge requests, limits on concurrent connections and on
 * the time to send headers (slowloris). Real sockets against the real server; every wait is on
 * a socket event, never on a clock.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StatusDocument } from '../../preload/api';
import { INLINE_STATUS_ID, inlineJson, isLoopbackHost, startStatusServer, tokenMatches, type StatusServer } from './httpServer';

const TOKEN = 'test-token-0123456789abcdefghijklmnop';
const status = (): StatusDocument => ({ generatedAt: '2026-11-26T00:00:00.000Z', workspaces: [] }) as unknown as StatusDocument;
const silent = { info: () => undefined, warn: () => undefined, error: () => undefined };

interface Answer {
  readonly status: number;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly body: string;
}

function get(port: number, path: string, headers: Record<string, string> = {}, method = 'GET'): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, method, headers, agent: false }, (res) => {
      let body = '';
      res.setEncoding('utf8').on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

/** Sends raw bytes and resolves with everything the server wrote before it closed the socket. */
function raw(port: number, text: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => socket.write(text));
    let answer = '';
    socket.setEncoding('utf8').on('data', (chunk: string) => (answer += chunk));
    socket.on('close', () => resolve(answer));
    socket.on('error', (error: NodeJS.ErrnoException) => (error.code === 'ECONNRESET' ? resolve(answer) : reject(error)));
  });
}

describe('isLoopbackHost', () => {
  it.each(['127.0.0.1', '127.0.0.1:8080', 'localhost', 'LOCALHOST:1', '[::1]', '[::1]:65535'])('accepts %s', (host) => {
    expect(isLoopbackHost(host)).toBe(true);
  });

  it.each([
    '[::1]evil.com',
    '[::1]evil.com:80',
    '[::1].evil.com',
    'localhost.evil.com',
    'localhost.',
    '127.0.0.1.nip.io',
    '127.0.0.1@evil.com',
    'evil.com#127.0.0.1',
    'localhost:80:81',
    'localhost:',
    'localhost:0',
    'localhost:65536',
    'localhost:8080 ',
    ' localhost',
    '[::ffff:127.0.0.1]',
    '[::1',
    '127.1',
    '',
  ])('refuses %j', (host) => {
    expect(isLoopbackHost(host)).toBe(false);
  });
});

describe('tokenMatches', () => {
  it('accepts only the exact token, whatever the length of a wrong one', () => {
    expect(tokenMatches(TOKEN, TOKEN)).toBe(true);
    for (const wrong of ['', 't', TOKEN.slice(0, -1), `${TOKEN}x`, TOKEN.toUpperCase(), 'x'.repeat(10_000)]) expect(tokenMatches(wrong, TOKEN)).toBe(false);
    expect(tokenMatches(undefined, TOKEN)).toBe(false);
  });
});

describe('the status server', () => {
  let server: StatusServer;
  beforeAll(async () => {
    server = await startStatusServer({
      status,
      rendererDir: '/nonexistent',
      token: TOKEN,
      port: 0,
      logger: silent,
      limits: { maxConnections: 4, headersTimeoutMs: 300, requestTimeoutMs: 600, checkIntervalMs: 50 },
    });
  });
  afterAll(async () => {
    await server.close();
  });

  it('listens on 127.0.0.1 only and gives out a 127.0.0.1 URL', () => {
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/\?token=/);
  });

  it('refuses a Host such as [::1]evil.com even with the token (403)', async () => {
    const answer = await get(server.port, '/api/status', { host: '[::1]evil.com', authorization: `Bearer ${TOKEN}` });
    expect(answer.status).toBe(403);
    expect(answer.body).not.toContain('workspaces');
  });

  it('sends no CORS headers, not even to a preflight or a request with an Origin', async () => {
    const withOrigin = await get(server.port, '/api/status', { origin: 'https://evil.example', authorization: `Bearer ${TOKEN}` });
    expect(withOrigin.status).toBe(200);
    const preflight = await get(server.port, '/api/status', { origin: 'https://evil.example', 'access-control-request-method': 'GET' }, 'OPTIONS');
    expect(preflight.status).toBe(405);
    for (const answer of [withOrigin, preflight]) expect(Object.keys(answer.headers).filter((name) => name.startsWith('access-control-'))).toEqual([]);
  });

  it('answers 431 to request headers over 16 KiB', async () => {
    const answer = await raw(server.port, `GET /api/status HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Big: ${'a'.repeat(20 * 1024)}\r\n\r\n`);
    expect(answer).toMatch(/^HTTP\/1\.1 431 /);
  });

  it('closes a connection that does not finish its headers in time (slowloris)', async () => {
    const answer = await raw(server.port, 'GET /api/status HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: 1\r\n');
    expect(answer).toMatch(/^HTTP\/1\.1 408 |^$/);
  });

  it('accepts no more connections than its limit at once', async () => {
    const held: Socket[] = [];
    try {
      for (let i = 0; i < 4; i += 1) {
        held.push(
          await new Promise<Socket>((resolve, reject) => {
            const socket = connect(server.port, '127.0.0.1', () => resolve(socket));
            socket.on('error', reject);
          }),
        );
      }
      // The fifth is accepted by the kernel and closed by the server at once, unanswered.
      const fifth = await raw(server.port, `GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n`);
      expect(fifth).toBe('');
    } finally {
      for (const socket of held) socket.destroy();
    }
  });
});

/** A workspace name that breaks out of a script element, an HTML comment, a JS string or a replacement pattern when not escaped. */
const HOSTILE = '</script><script>alert(1)</script><!-- $& $\' \u2028\u2029 & "q" \\';

describe('the status document inlined in the dashboard page', () => {
  it('escapes every character that could end the data block, and parses back to the same value', () => {
    const value = { name: HOSTILE, n: 1.5, list: ['<', '>', '&'] };
    const text = inlineJson(value);
    expect(text).not.toMatch(/[<>&\u2028\u2029]/);
    expect(JSON.parse(text)).toEqual(value);
  });

  it('sends the page with the current document in a JSON data block, under the same CSP', async () => {
    const renderer = mkdtempSync(join(tmpdir(), 'burnrate-inline-'));
    mkdirSync(join(renderer, 'assets'));
    writeFileSync(join(renderer, 'index.html'), '<!doctype html><html><head><title>B</title><script type="module" src="./assets/a.js"></script></head><body></body></html>');
    writeFileSync(join(renderer, 'assets', 'a.js'), '');
    let calls = 0;
    // A connection with numbers, one that failed, and (later) one still waiting for its first answer.
    const connections: Array<{ id: string; status: 'ok' | 'error'; fetchedAt: string | null; error: { kind: string; message: string } | null }> = [
      { id: 'a', status: 'ok', fetchedAt: '2026-11-26T00:00:00.000Z', error: null },
      { id: 'b', status: 'error', fetchedAt: null, error: { kind: 'network', message: 'refused' } },
    ];
    const document = (): StatusDocument => {
      calls += 1;
      return { generatedAt: '2026-11-26T00:00:00.000Z', workspaces: [{ id: 'w', name: HOSTILE, connections }] } as unknown as StatusDocument;
    };
    const served = await startStatusServer({ status: document, rendererDir: renderer, token: TOKEN, port: 0, logger: silent });
    try {
      const page = await get(served.port, `/?token=${TOKEN}`, { host: '127.0.0.1' });
      expect(page.status).toBe(200);
      expect(calls).toBe(1);
      const blocks = [...page.body.matchAll(/<script type="application\/json" id="([^"]+)">([\s\S]*?)<\/script>/g)];
      expect(blocks.map((b) => b[1])).toEqual([INLINE_STATUS_ID]);
      expect(JSON.parse(blocks[0]![2]!)).toEqual(document());
      // The hostile name ends nothing: one data block, then the page's own module script, in the head.
      expect(page.body.match(/<script/g)).toHaveLength(2);
      expect(page.body.indexOf(INLINE_STATUS_ID)).toBeLessThan(page.body.indexOf('</head>'));
      expect(page.headers['content-security-policy']).toContain("script-src 'self';");
      expect(page.headers['content-security-policy']).not.toContain('unsafe-inline');
      // While a connection waits for its first answer, the page asks /api/status itself (no block).
      connections.push({ id: 'c', status: 'ok', fetchedAt: null, error: null });
      const waiting = await get(served.port, `/?token=${TOKEN}`, { host: '127.0.0.1' });
      expect(waiting.status).toBe(200);
      expect(waiting.body).not.toContain(INLINE_STATUS_ID);
      expect(waiting.body).toContain('./assets/a.js?token=');
      // Without the token, no data at all.
      const refused = await get(served.port, '/', { host: '127.0.0.1' });
      expect(refused.status).toBe(401);
      expect(refused.body).not.toContain(INLINE_STATUS_ID);
    } finally {
      await served.close();
      rmSync(renderer, { recursive: true, force: true });
    }
  });
});
