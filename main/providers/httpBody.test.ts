import { brotliCompressSync, deflateSync, gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { decode } from './httpBody';

const text = JSON.stringify({ items: Array.from({ length: 200 }, (_, i) => ({ id: `resource-${i}`, cost: '0.123456' })) });
const raw = Buffer.from(text);

describe('decode (a body by its Content-Encoding)', () => {
  const encodings: Array<[string, Buffer]> = [
    ['gzip', gzipSync(raw)],
    ['x-gzip', gzipSync(raw)],
    ['deflate', deflateSync(raw)],
    ['br', brotliCompressSync(raw)],
    ['', raw],
    ['identity', raw],
    [' GZIP ', gzipSync(raw)],
  ];
  it.each(encodings)('reads %j', (encoding, body) => {
    expect(decode(body, encoding, 1_000_000)).toBe(text);
  });

  it.each(encodings.filter(([encoding]) => encoding.trim() !== '' && encoding !== 'identity'))('refuses to inflate %j past the limit', (encoding, body) => {
    expect(body.length).toBeLessThan(text.length / 4);
    expect(() => decode(body, encoding, text.length - 1)).toThrow(RangeError);
    expect(decode(body, encoding, text.length)).toBe(text);
  });

  it('refuses an encoding it does not know, naming it', () => {
    expect(() => decode(raw, 'compress', 1_000_000)).toThrow(expect.objectContaining({ code: 'UNSUPPORTED_ENCODING', message: 'unsupported content-encoding compress' }));
  });
});
