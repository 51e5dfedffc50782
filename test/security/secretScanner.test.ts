/**
 * The secrets sweep's scanner can fail: every form of a key it claims to find is found when
 * planted in other text (and in binary content), an 8-character fragment anywhere is found, a
 * 7-character one and unrelated text are not. Then the product's redaction is held to it: every
 * planted form, redacted by main/core/redact.ts, leaves 0 hits.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { redact } from '../../main/core/redact';
import { describeHits, distinctiveKey, filesUnder, keyForms, scanForSecrets, type SweepSecret } from '../support/secretScanner';

/** Seeded: the same keys every run. */
const seeded = (seed: string) => createHash('sha512').update(seed).digest();
const KEY = distinctiveKey('bt_sweep_', seeded('scanner key 1'));
const OTHER = distinctiveKey('lm_sweep_', seeded('scanner key 2'));
const secrets: SweepSecret[] = [
  { label: 'baseten', value: KEY },
  { label: 'limitry', value: OTHER },
];

describe('the secrets scanner', () => {
  it('makes long, mixed keys whose encoded forms differ from the raw one', () => {
    expect(KEY.length).toBeGreaterThanOrEqual(50);
    expect(KEY).toMatch(/[a-z]/);
    expect(KEY).toMatch(/[A-Z]/);
    expect(KEY).toMatch(/\d/);
    expect(encodeURIComponent(KEY)).not.toBe(KEY);
    expect(KEY).not.toBe(OTHER);
  });

  it('lists raw, URL-encoded, base64 (padded, unpadded, url) and Basic forms', () => {
    const names = keyForms(KEY).map((f) => f.form);
    for (const form of ['raw', 'URL-encoded', 'base64 padded', 'base64 unpadded', 'Basic base64(key:)', 'Basic base64(:key)', 'Basic base64(apikey:key)']) {
      expect(names).toContain(form);
    }
    // base64url is listed where it differs from base64 (a forms list without duplicates).
    const base64 = Buffer.from(KEY).toString('base64');
    if (/[+/]/.test(base64)) expect(names).toContain('base64url padded');
  });

  it.each(keyForms(KEY).map((f) => [f.form, f.text] as const))('finds the %s form planted in other text', (form, text) => {
    const hits = scanForSecrets(secrets, [{ where: 'planted', content: `{"error":"denied for ${text} (see docs)"}` }]);
    expect(hits.map((h) => h.form)).toContain(form);
    expect(hits.every((h) => h.label === 'baseten')).toBe(true);
  });

  it('finds a Basic header with any user name (the key at every base64 alignment)', () => {
    for (const user of ['', 'a', 'ab', 'abc', 'api', 'someone@example.com']) {
      const header = `Authorization: Basic ${Buffer.from(`${user}:${KEY}`).toString('base64')}`;
      expect(scanForSecrets(secrets, [{ where: user, content: header }]), user).not.toHaveLength(0);
    }
  });

  it('finds any 8-character fragment in the middle of other text, and not a 7-character one', () => {
    for (let i = 0; i + 8 <= KEY.length; i += 1) {
      const hits = scanForSecrets(secrets, [{ where: 'cut', content: `…truncated at 200 characters: ${KEY.slice(i, i + 8)}… more` }]);
      expect(hits, `fragment at ${i}`).toHaveLength(1);
      expect(hits[0]!.form).toBe(`8-character fragment at key offset ${i}`);
    }
    expect(scanForSecrets(secrets, [{ where: 'masked', content: `key ••••${KEY.slice(-4)} and ${KEY.slice(10, 17)}` }])).toEqual([]);
  });

  it('reads buffers and files byte for byte (a key inside a SQLite page)', () => {
    const page = Buffer.concat([Buffer.from([0, 13, 0, 255, 1]), Buffer.from(`{"message":"${OTHER}"}`, 'utf8'), Buffer.alloc(64)]);
    expect(scanForSecrets(secrets, [{ where: 'db', content: page }]).map((h) => h.label)).toEqual(['limitry']);
    const dir = mkdtempSync(join(tmpdir(), 'burnrate-scanner-'));
    try {
      mkdirSync(join(dir, 'state'));
      writeFileSync(join(dir, 'state', 'burnrate.sqlite-wal'), page);
      writeFileSync(join(dir, 'clean.log'), 'nothing here\n');
      const hits = scanForSecrets(secrets, filesUnder(dir));
      expect(hits).toHaveLength(1);
      expect(hits[0]!.where).toContain('burnrate.sqlite-wal');
      // The report names the key's label and form, never the key.
      expect(describeHits(hits)).not.toContain(OTHER.slice(0, 8));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('finds nothing in unrelated text', () => {
    expect(scanForSecrets(secrets, [{ where: 'clean', content: 'Baseten: the key was refused (401). Keys start with bt_ and are 40 characters long.' }])).toEqual([]);
  });
});

describe('the product redaction against the scanner', () => {
  it.each(keyForms(KEY).map((f) => [f.form, f.text] as const))('redact() leaves no trace of the %s form', (_form, text) => {
    const message = `Baseten answered 401: {"detail":"bad credentials ${text}","echo":"${text}"}`;
    const hits = scanForSecrets(secrets, [{ where: 'redacted', content: redact(message, [KEY, OTHER]) }]);
    expect(hits, describeHits(hits)).toEqual([]);
  });
});
