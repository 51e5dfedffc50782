/**
 * Secret redaction: the last line of defence that keeps API keys out of messages, logs and output.
 * Callers still never put secrets into text on purpose; this catches what slips through
 * (a provider echoing the key in an error detail, a URL with a token, an Authorization header).
 *
 * Every form a key in use can take in text is removed:
 * - the key itself, JSON-escaped and URL-encoded (`encodeURIComponent`, form encoding, lower-case hex);
 * - base64 and base64url, padded or not, of the key at any alignment inside a longer base64 text,
 *   which covers the Basic-auth forms `base64(key:)`, `base64(:key)` and `base64(user:key)` for
 *   any user name; and those base64 forms URL-encoded (`%2B`, `%2F`, `%3D`).
 */

/** What replaces a secret. */
export const REDACTED = '[redacted]';

/** Forms shorter than this are not redacted: they would mangle ordinary words. */
const MIN_FORM_LENGTH = 4;

const formCache = new Map<string, readonly string[]>();
const FORM_CACHE_LIMIT = 256;

/**
 * The base64 text that encodes `secret` whatever bytes precede it: for each of the 3 alignments,
 * the characters made of the secret's bits alone (the first and last character of an encoding may
 * mix in a neighbour's bits, so they are left out; at most 6 bits of the key survive at each end).
 */
function base64Cores(secret: Buffer): string[] {
  const cores: string[] = [];
  for (let prefix = 0; prefix < 3; prefix += 1) {
    const encoded = Buffer.concat([Buffer.alloc(prefix), secret]).toString('base64');
    const first = Math.ceil((prefix * 8) / 6);
    const end = Math.floor(((prefix + secret.length) * 8) / 6);
    cores.push(encoded.slice(first, end));
  }
  return cores;
}

/** Every text form of one secret, longest first (so a longer form is replaced before a part of it). */
export function secretForms(secret: string): readonly string[] {
  const cached = formCache.get(secret);
  if (cached) return cached;
  const forms = new Set<string>([secret, JSON.stringify(secret).slice(1, -1)]);
  const uri = encodeURIComponent(secret);
  forms.add(uri);
  forms.add(uri.replace(/%[0-9A-F]{2}/g, (escape) => escape.toLowerCase()));
  forms.add(uri.replace(/%20/g, '+'));
  // application/x-www-form-urlencoded also escapes !'()* (URLSearchParams, HTML forms).
  const form = new URLSearchParams({ k: secret }).toString().slice(2);
  forms.add(form);
  forms.add(form.replace(/%[0-9A-F]{2}/g, (escape) => escape.toLowerCase()));
  const bytes = Buffer.from(secret, 'utf8');
  for (const core of base64Cores(bytes)) {
    const url = core.replace(/\+/g, '-').replace(/\//g, '_');
    forms.add(core);
    forms.add(url);
    forms.add(encodeURIComponent(core));
  }
  // The padded whole-value encodings (a Basic header "key:" or ":key" ends in padding).
  for (const value of [secret, `${secret}:`, `:${secret}`]) {
    const padded = Buffer.from(value, 'utf8').toString('base64');
    forms.add(padded);
    forms.add(padded.replace(/=+$/, ''));
    forms.add(encodeURIComponent(padded));
  }
  const list = [...forms].filter((form) => form.length >= MIN_FORM_LENGTH).sort((a, b) => b.length - a.length);
  if (formCache.size >= FORM_CACHE_LIMIT) formCache.clear();
  formCache.set(secret, list);
  return list;
}

/**
 * Replaces every occurrence of each secret, in every form listed in the module comment, in `text`.
 * Secrets shorter than 4 characters are ignored: redacting "a" would mangle every message.
 * @example redact('key sk_live_123 failed', ['sk_live_123']) //=> 'key [redacted] failed'
 */
export function redact(text: string, secrets: Iterable<string>): string {
  let result = text;
  for (const secret of secrets) {
    if (!secret || secret.length < MIN_FORM_LENGTH) continue;
    for (const form of secretForms(secret)) {
      if (result.includes(form)) result = result.split(form).join(REDACTED);
    }
  }
  return result;
}
