import { describe, expect, it } from 'vitest';
import { tensoroneAdapter, TENSORONE_DEFAULT_BASE_URL } from './tensorone';

function problems(input: unknown): string[] {
  const result = tensoroneAdapter.settingsSchema.safeParse(input);
  if (result.success) return [];
  return result.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
}

describe('tensoroneAdapter descriptor', () => {
  it('identifies itself and never refreshes faster than every five minutes', () => {
    expect(tensoroneAdapter.id).toBe('tensorone');
    expect(tensoroneAdapter.displayName).toBe('TensorOne');
    // Free tier: 100 reads per hour.
    expect(tensoroneAdapter.minRefreshMs).toBeGreaterThanOrEqual(5 * 60_000);
  });

  it('describes exactly the settings the schema accepts, without the API key', () => {
    expect(tensoroneAdapter.settings.map((field) => field.key)).toEqual(['baseUrl', 'resourceTypes']);
    expect(tensoroneAdapter.settings.some((field) => field.kind === 'secret')).toBe(false);
    const types = tensoroneAdapter.settings.find((field) => field.key === 'resourceTypes');
    expect(types?.options).toEqual(['clusters', 'endpoints', 'training', 'ai-services', 'storage', 'bandwidth']);
  });
});

describe('tensoroneAdapter.settingsSchema', () => {
  it('fills in the default base URL and all resource types', () => {
    expect(tensoroneAdapter.settingsSchema.parse({})).toEqual({ baseUrl: TENSORONE_DEFAULT_BASE_URL, resourceTypes: [] });
    expect(TENSORONE_DEFAULT_BASE_URL).toBe('https://api.tensorone.ai');
  });

  it('keeps a custom base URL without its trailing slash', () => {
    expect(tensoroneAdapter.settingsSchema.parse({ baseUrl: 'http://127.0.0.1:8080/' }).baseUrl).toBe('http://127.0.0.1:8080');
  });

  it('accepts a narrowed list of resource types', () => {
    expect(tensoroneAdapter.settingsSchema.parse({ resourceTypes: ['clusters', 'ai-services'] }).resourceTypes).toEqual([
      'clusters',
      'ai-services',
    ]);
  });

  it('rejects unknown keys', () => {
    expect(problems({ baseUrl: 'https://api.tensorone.ai', currency: 'EUR' })).toEqual([': Unrecognized key: "currency"']);
  });

  it('rejects a base URL that is not http(s)', () => {
    expect(problems({ baseUrl: 'ftp://api.tensorone.ai' })).toEqual(['baseUrl: must be an http(s) URL']);
    expect(problems({ baseUrl: 'not a url' })).toEqual(['baseUrl: must be an http(s) URL']);
  });

  it('rejects an unknown resource type and names the allowed ones', () => {
    expect(problems({ resourceTypes: ['clusters', 'gpus'] })).toEqual([
      'resourceTypes.1: must be one of clusters, endpoints, training, ai-services, storage, bandwidth',
    ]);
  });

  it('rejects a resource type listed twice', () => {
    expect(problems({ resourceTypes: ['storage', 'storage'] })).toEqual(['resourceTypes: lists the same resource type twice']);
  });

  it('rejects resource types that are not a list', () => {
    expect(problems({ resourceTypes: 'clusters' })).toHaveLength(1);
  });
});
