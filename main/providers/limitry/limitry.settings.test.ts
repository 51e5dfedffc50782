import { describe, expect, it } from 'vitest';
import { limitryAdapter, LIMITRY_DEFAULT_BASE_URL } from './limitry';

const parse = (input: unknown) => limitryAdapter.settingsSchema.safeParse(input);
const firstMessage = (input: unknown): string => {
  const result = parse(input);
  if (result.success) throw new Error('expected the settings to be rejected');
  return result.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; ');
};

describe('limitryAdapter settings', () => {
  it('describes itself as the Limitry adapter with a sane refresh floor', () => {
    expect(limitryAdapter.id).toBe('limitry');
    expect(limitryAdapter.displayName).toBe('Limitry');
    expect(limitryAdapter.minRefreshMs).toBeGreaterThanOrEqual(60_000);
  });

  it('defaults the base URL to https://api.limitry.com/v1', () => {
    expect(LIMITRY_DEFAULT_BASE_URL).toBe('https://api.limitry.com/v1');
    expect(parse({})).toEqual({ success: true, data: { baseUrl: 'https://api.limitry.com/v1' } });
  });

  it('keeps a configured base URL with its path and drops trailing slashes', () => {
    expect(parse({ baseUrl: 'https://api.limitry.io/v1/' })).toEqual({ success: true, data: { baseUrl: 'https://api.limitry.io/v1' } });
    expect(parse({ baseUrl: 'http://127.0.0.1:8080/v1' }).data).toEqual({ baseUrl: 'http://127.0.0.1:8080/v1' });
  });

  it('rejects unknown keys, naming them', () => {
    expect(firstMessage({ baseUrl: LIMITRY_DEFAULT_BASE_URL, projectId: 'prj_1' })).toMatch(/projectId/);
    expect(firstMessage({ apiKey: 'lmtry_sk_1234' })).toMatch(/apiKey/);
  });

  it.each(['ftp://api.limitry.com/v1', 'api.limitry.com/v1', 'not a url', ''])('rejects the base URL %j with a clear message', (baseUrl) => {
    expect(firstMessage({ baseUrl })).toMatch(/^baseUrl: must be an http\(s\) URL/);
  });

  it('rejects a base URL that is not a string', () => {
    expect(firstMessage({ baseUrl: 42 })).toMatch(/^baseUrl: /);
  });

  it('offers the base URL in the settings form, not the API key', () => {
    expect(limitryAdapter.settings).toEqual([
      expect.objectContaining({ key: 'baseUrl', kind: 'url', required: false, defaultValue: 'https://api.limitry.com/v1' }),
    ]);
    expect(limitryAdapter.settings.some((field) => field.kind === 'secret')).toBe(false);
  });
});
