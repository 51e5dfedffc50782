import { describe, expect, it } from 'vitest';
import { REDACTED, redact } from './redact';

const KEY = 'sk_live_Q7w+R9/zX2!v8ZpL4mN6';

const base64 = (text: string) => Buffer.from(text, 'utf8').toString('base64');
const unpadded = (text: string) => base64(text).replace(/=+$/, '');
const base64url = (text: string) => Buffer.from(text, 'utf8').toString('base64url');

/** True when any 8 consecutive characters of `secret` (or of its base64 forms) survive in `text`. */
function leaksFragment(text: string, secret: string): boolean {
  for (const form of [secret, base64(secret), unpadded(secret)]) {
    for (let i = 0; i + 8 <= form.length; i += 1) if (text.includes(form.slice(i, i + 8))) return true;
  }
  return false;
}

describe('redact', () => {
  it.each<[string, string]>([
    ['raw', KEY],
    ['JSON-escaped', JSON.stringify(`a"${KEY}`).slice(1, -1)],
    ['URL-encoded', encodeURIComponent(KEY)],
    ['URL-encoded with lower-case hex', encodeURIComponent(KEY).replace(/%[0-9A-F]{2}/g, (e) => e.toLowerCase())],
    ['form-encoded', new URLSearchParams({ k: KEY }).toString()],
    ['base64 padded', base64(KEY)],
    ['base64 unpadded', unpadded(KEY)],
    ['base64url', base64url(KEY)],
    ['Basic auth, key as user', `Basic ${base64(`${KEY}:`)}`],
    ['Basic auth, key as password', `Basic ${base64(`:${KEY}`)}`],
    ['Basic auth, key as password of a named user', `Basic ${base64(`api:${KEY}`)}`],
    ['Basic auth, named user, unpadded', unpadded(`someone:${KEY}`)],
    ['Basic auth, longer user, URL-encoded', encodeURIComponent(base64(`user@example.com:${KEY}`))],
    ['base64 inside a JSON blob at odd alignment', base64(`{"x":"${KEY}","y":1}`)],
  ])('removes the key in %s form', (_name, form) => {
    const text = `before ${form} after`;
    const cleaned = redact(text, [KEY]);
    expect(cleaned).toContain(REDACTED);
    expect(leaksFragment(cleaned, KEY)).toBe(false);
  });

  it('leaves text without secrets alone and ignores secrets shorter than 4 characters', () => {
    expect(redact('TensorOne rejected the API key (401)', [KEY, 'abc'])).toBe('TensorOne rejected the API key (401)');
  });

  it('redacts every key in use, not only the first', () => {
    const other = 'bt_live_SECOND_key_987654321';
    expect(redact(`${KEY} and ${base64(other)}`, [KEY, other])).toBe(`${REDACTED} and ${REDACTED}`);
  });
});
