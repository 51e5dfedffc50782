/**
 * The secrets sweep's scanner (issue 10): given API keys and what Burnrate produced (texts,
 * buffers, files), it finds every key in every form it can take in text, and any 8-character
 * fragment of it. Written independently of main/core/redact.ts (the thing it checks): it shares
 * no code with it, so a form redact.ts forgets is still found here.
 *
 * Forms of each key:
 * - raw, JSON-escaped, URL-encoded (`encodeURIComponent`, form encoding, lower-case escapes);
 * - base64 and base64url, padded and unpadded, of the key alone;
 * - the `Basic` header forms of every provider's auth scheme: `Basic base64(key:)` (Civis),
 *   `Basic base64(:key)`, `Basic base64(user:key)` for any user name (the key's bits at each of
 *   the three base64 alignments, as they appear inside any longer base64 text);
 * - the header forms `Bearer key` and `Api-Key key` are covered by the raw form;
 * - every 8-character substring of the raw key (a cut, a mask or a partial redaction).
 * Binary content (SQLite pages, WAL) is read byte for byte (latin1), so ASCII keys stored as UTF-8
 * are found wherever they sit.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { randomBytes } from 'node:crypto';

/** A key to look for, with a label that the report names instead of the key. */
export interface SweepSecret {
  /** E.g. `baseten (team)`: printed in reports; the key itself never is. */
  readonly label: string;
  readonly value: string;
}

/** Something Burnrate produced: stdout, an HTTP body, a file, a notification. */
export interface SweepItem {
  /** Where it came from, e.g. `stdout of burnrate status` or a file path. */
  readonly where: string;
  readonly content: string | Buffer;
}

/** One hit: which key, in which form, where, and at which offset. */
export interface SweepHit {
  readonly where: string;
  readonly label: string;
  readonly form: string;
  readonly offset: number;
}

/** The minimum length of a fragment that counts as a leak. */
export const FRAGMENT_LENGTH = 8;

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
/** Characters real keys contain besides letters and digits; they make the encoded forms differ from the raw one. */
const SPECIALS = '-_.~+/=';

/**
 * A distinctive, long, random-looking key: `prefix` + 44 characters of mixed case letters, digits
 * and `-_.~+/=` (so URL-encoding and base64url change it), from the given random bytes.
 */
export function distinctiveKey(prefix: string, random: Buffer = randomBytes(64)): string {
  let key = prefix;
  for (let i = 0; i < 44; i += 1) {
    const byte = random[i % random.length]!;
    // Every 9th character is a special one, the rest letters and digits.
    key += i % 9 === 4 ? SPECIALS[byte % SPECIALS.length] : ALPHABET[byte % ALPHABET.length];
  }
  return key;
}

function base64(bytes: Buffer): string {
  return bytes.toString('base64');
}

function toUrlAlphabet(text: string): string {
  return text.replace(/\+/g, '-').replace(/\//g, '_');
}

/** The base64 characters made of the key's bits alone, at each of the 3 alignments inside a longer text. */
function alignedCores(key: Buffer): Array<{ form: string; text: string }> {
  const cores: Array<{ form: string; text: string }> = [];
  for (let shift = 0; shift < 3; shift += 1) {
    const encoded = base64(Buffer.concat([Buffer.alloc(shift, 0x41), key]));
    // Characters 6-bit aligned entirely inside the key's bytes.
    const start = Math.ceil((shift * 8) / 6);
    const end = Math.floor(((shift + key.length) * 8) / 6);
    const core = encoded.slice(start, end);
    cores.push({ form: `base64 inside a longer text (alignment ${shift})`, text: core });
    cores.push({ form: `base64url inside a longer text (alignment ${shift})`, text: toUrlAlphabet(core) });
  }
  return cores;
}

/** Every whole form of a key (not its fragments), each with a name for the report. */
export function keyForms(key: string): Array<{ form: string; text: string }> {
  const bytes = Buffer.from(key, 'utf8');
  const forms: Array<{ form: string; text: string }> = [
    { form: 'raw', text: key },
    { form: 'JSON-escaped', text: JSON.stringify(key).slice(1, -1) },
    { form: 'URL-encoded', text: encodeURIComponent(key) },
    { form: 'URL-encoded (lower-case escapes)', text: encodeURIComponent(key).replace(/%[0-9A-F]{2}/g, (e) => e.toLowerCase()) },
    { form: 'form-encoded', text: new URLSearchParams({ k: key }).toString().slice(2) },
    { form: 'base64 padded', text: base64(bytes) },
    { form: 'base64 unpadded', text: base64(bytes).replace(/=+$/, '') },
    { form: 'base64url padded', text: toUrlAlphabet(base64(bytes)) },
    { form: 'base64url unpadded', text: toUrlAlphabet(base64(bytes)).replace(/=+$/, '') },
    { form: 'Basic base64(key:)', text: `Basic ${base64(Buffer.from(`${key}:`))}` },
    { form: 'base64(key:)', text: base64(Buffer.from(`${key}:`)) },
    { form: 'base64(key:) unpadded', text: base64(Buffer.from(`${key}:`)).replace(/=+$/, '') },
    { form: 'Basic base64(:key)', text: `Basic ${base64(Buffer.from(`:${key}`))}` },
    { form: 'base64(:key)', text: base64(Buffer.from(`:${key}`)) },
    { form: 'Basic base64(apikey:key)', text: `Basic ${base64(Buffer.from(`apikey:${key}`))}` },
    ...alignedCores(bytes),
  ];
  const seen = new Set<string>();
  return forms.filter((f) => f.text.length >= FRAGMENT_LENGTH && !seen.has(f.text) && seen.add(f.text));
}

/** Finds every key, in every form and as any 8-character fragment, in every item. */
export function scanForSecrets(secrets: readonly SweepSecret[], items: readonly SweepItem[]): SweepHit[] {
  const hits: SweepHit[] = [];
  const prepared = secrets.map((secret) => ({
    label: secret.label,
    forms: keyForms(secret.value),
    fragments: Array.from({ length: Math.max(0, secret.value.length - FRAGMENT_LENGTH + 1) }, (_, i) => secret.value.slice(i, i + FRAGMENT_LENGTH)),
  }));
  for (const item of items) {
    const text = typeof item.content === 'string' ? item.content : item.content.toString('latin1');
    for (const secret of prepared) {
      let whole = false;
      for (const { form, text: needle } of secret.forms) {
        const offset = text.indexOf(needle);
        if (offset >= 0) {
          hits.push({ where: item.where, label: secret.label, form, offset });
          whole = true;
        }
      }
      // A whole form contains its own fragments: report fragments only when no whole form was found.
      if (whole) continue;
      for (let i = 0; i < secret.fragments.length; i += 1) {
        const offset = text.indexOf(secret.fragments[i]!);
        if (offset >= 0) {
          hits.push({ where: item.where, label: secret.label, form: `8-character fragment at key offset ${i}`, offset });
          break;
        }
      }
    }
  }
  return hits;
}

/** Every regular file under `dir` (recursively) as a sweep item, except paths `skip` accepts. */
export function filesUnder(dir: string, skip: (path: string) => boolean = () => false): SweepItem[] {
  const items: SweepItem[] = [];
  const walk = (folder: string): void => {
    for (const entry of readdirSync(folder, { withFileTypes: true })) {
      const path = join(folder, entry.name);
      if (skip(path)) continue;
      if (entry.isDirectory()) walk(path);
      else if (entry.isFile() && statSync(path).size > 0) items.push({ where: `file ${relative(dir, path) || path} (in ${dir})`, content: readFileSync(path) });
    }
  };
  walk(dir);
  return items;
}

/** The hits in words, naming label, form, place and offset: never the key. */
export function describeHits(hits: readonly SweepHit[]): string {
  return hits.map((hit) => `${hit.label}: ${hit.form} in ${hit.where} at offset ${hit.offset}`).join('\n');
}
