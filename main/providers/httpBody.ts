/**
 * Reading an HTTP answer's body within a byte limit: the raw bytes (stopping as soon as the limit
 * is passed) and their Content-Encoding, refusing to inflate past the limit either.
 */
import type { Dispatcher } from 'undici';

/** Reads a body up to `limit` bytes; a declared or actual size over it stops reading at once. */
export async function readBody(response: Dispatcher.ResponseData, limit: number): Promise<Buffer> {
  const tooLarge = (): Error => Object.assign(new Error(`response body over ${limit} bytes`), { code: 'ERR_BUFFER_TOO_LARGE' });
  const declared = Number(response.headers['content-length']);
  if (Number.isFinite(declared) && declared > limit) {
    response.body.destroy();
    throw tooLarge();
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of response.body) {
    const buffer = chunk as Buffer;
    size += buffer.length;
    if (size > limit) {
      response.body.destroy();
      throw tooLarge();
    }
    chunks.push(buffer);
  }
  return Buffer.concat(chunks, size);
}

/** Decodes a body by its Content-Encoding, refusing to inflate past `maxBytes`. */
export function decode(raw: Buffer, encoding: string | string[] | undefined, maxBytes: number): string {
  const name = (Array.isArray(encoding) ? encoding.join(',') : (encoding ?? '')).trim().toLowerCase();
  const options = { maxOutputLength: maxBytes };
  switch (name) {
    case '':
    case 'identity':
      return raw.toString('utf8');
    case 'gzip':
    case 'x-gzip':
      return zlib().gunzipSync(raw, options).toString('utf8');
    case 'deflate':
      return zlib().inflateSync(raw, options).toString('utf8');
    case 'br':
      return zlib().brotliDecompressSync(raw, options).toString('utf8');
    default:
      throw Object.assign(new Error(`unsupported content-encoding ${name}`), { code: 'UNSUPPORTED_ENCODING' });
  }
}

/**
 * node:zlib, loaded at the first compressed answer: every command would otherwise load it at start
 * (about 4 ms), and `status` and `serve` answer from the spend database before any answer arrives.
 */
function zlib(): typeof import('node:zlib') {
  return process.getBuiltinModule('node:zlib');
}
