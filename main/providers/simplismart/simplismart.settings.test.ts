import { describe, expect, it } from 'vitest';
import { simplismartAdapter, usageUrl } from './simplismart';

const schema = simplismartAdapter.settingsSchema;

function problem(raw: unknown): { path: string; message: string } {
  const result = schema.safeParse(raw);
  if (result.success) throw new Error(`expected ${JSON.stringify(raw)} to be rejected`);
  const issue = result.error.issues[0];
  return { path: issue?.path.join('.') ?? '', message: issue?.message ?? '' };
}

describe('Simplismart settings', () => {
  it('fills in the defaults from the decided contract', () => {
    expect(schema.parse({})).toEqual({
      baseUrl: 'https://api.app.simplismart.ai',
      path: '/v1/analytics/usage-stats',
      planTypes: ['shared', 'private', 'byoc', 'reserved', 'training', 'compilation'],
      windowSize: 'HOUR',
      workspaceId: undefined,
      deploymentIds: [],
      deploymentSlugs: [],
      modelNames: [],
      trainingJobIds: [],
      trainingJobNames: [],
      modelRepoIds: [],
      modelRepoNames: [],
      includeAllStatuses: false,
    });
  });

  it('trims a trailing slash, removes duplicate plan types and reads form text', () => {
    const settings = schema.parse({
      baseUrl: 'http://127.0.0.1:9999/',
      planTypes: ['private', 'byoc', 'private'],
      includeAllStatuses: 'true',
      workspaceId: '  ',
    });
    expect(settings.baseUrl).toBe('http://127.0.0.1:9999');
    expect(settings.planTypes).toEqual(['private', 'byoc']);
    expect(settings.includeAllStatuses).toBe(true);
    expect(settings.workspaceId).toBeUndefined();
  });

  it('rejects unknown keys, the API key included', () => {
    expect(problem({ apiKey: 'x' })).toEqual({ path: '', message: 'Unrecognized key: "apiKey"' });
    expect(problem({ plan_type: 'shared' }).message).toContain('plan_type');
  });

  it.each([
    [{ baseUrl: 'ftp://example.com' }, 'baseUrl', 'must be an http(s) URL'],
    [{ path: 'v1/usage' }, 'path', 'path must start with "/" and carry no query string, e.g. /v1/analytics/usage-stats'],
    [{ path: '/v1/usage?x=1' }, 'path', 'path must start with "/"'],
    [{ planTypes: ['dedicated'] }, 'planTypes.0', 'each plan type must be one of shared, private, byoc, reserved, training, compilation'],
    [{ planTypes: [] }, 'planTypes', 'planTypes must enable at least one plan type'],
    [{ planTypes: 'shared' }, 'planTypes', 'planTypes must be a list of plan types'],
    [{ windowSize: 'hourly' }, 'windowSize', 'windowSize must be one of MINUTE, 15MIN, 30MIN, HOUR, 3HOUR, 6HOUR, 12HOUR, DAY, WEEK'],
    [{ workspaceId: 'main' }, 'workspaceId', 'workspaceId must be a workspace UUID (Simplismart: Settings → Workspaces)'],
    [{ deploymentSlugs: ['a', ' '] }, 'deploymentSlugs.1', 'deploymentSlugs must not contain empty entries'],
    [{ modelNames: 'DeepSeek-R1' }, 'modelNames', 'modelNames must be a list of strings'],
    [{ includeAllStatuses: 'yes' }, 'includeAllStatuses', 'includeAllStatuses must be true or false'],
  ])('rejects %j with a clear message', (raw, path, message) => {
    const found = problem(raw);
    expect(found.path).toBe(path);
    expect(found.message).toContain(message);
  });

  it('rejects a filter that no enabled plan type accepts, naming the plan types that do', () => {
    expect(problem({ planTypes: ['private'], modelNames: ['DeepSeek-R1'] })).toEqual({
      path: 'modelNames',
      message: 'modelNames only applies to plan type shared, and planTypes enables only private: enable shared or clear modelNames',
    });
    expect(problem({ planTypes: ['shared', 'training'], deploymentSlugs: ['prod'] })).toEqual({
      path: 'deploymentSlugs',
      message:
        'deploymentSlugs only applies to plan types private, byoc, and planTypes enables only shared, training: enable one of them or clear deploymentSlugs',
    });
    expect(problem({ planTypes: ['training', 'reserved'], includeAllStatuses: true }).path).toBe('includeAllStatuses');
    expect(problem({ planTypes: ['shared'], modelRepoNames: ['repo'] }).path).toBe('modelRepoNames');
    expect(problem({ planTypes: ['private'], trainingJobIds: ['job'] }).path).toBe('trainingJobIds');
  });

  it('accepts a filter when at least one enabled plan type takes it', () => {
    expect(schema.safeParse({ planTypes: ['shared', 'byoc'], deploymentIds: ['d1'], modelNames: ['m'] }).success).toBe(true);
    expect(schema.safeParse({ planTypes: ['compilation', 'training'], includeAllStatuses: true }).success).toBe(true);
  });

  it('describes a form field for every setting except the API key', () => {
    const keys = simplismartAdapter.settings.map((field) => field.key);
    expect(keys).not.toContain('apiKey');
    const everyKey = Object.keys(schema.parse({ workspaceId: '0b6f1c2d-3e4f-4a5b-8c6d-7e8f9a0b1c2d' }));
    expect(keys.sort()).toEqual(everyKey.sort());
    const planTypes = simplismartAdapter.settings.find((field) => field.key === 'planTypes');
    expect(planTypes?.options).toEqual(['shared', 'private', 'byoc', 'reserved', 'training', 'compilation']);
    // Every default shown in the form is accepted by the schema.
    const defaults = Object.fromEntries(simplismartAdapter.settings.map((field) => [field.key, field.defaultValue]));
    expect(schema.safeParse(defaults).success).toBe(true);
    expect(simplismartAdapter.minRefreshMs).toBeGreaterThanOrEqual(60_000);
  });

  it('builds the request URL with UTC bounds and repeated list keys', () => {
    const settings = schema.parse({
      baseUrl: 'https://proxy.example.com/simplismart/',
      planTypes: ['private', 'shared'],
      deploymentSlugs: ['a', 'b'],
      modelNames: ['DeepSeek-R1'],
      windowSize: '15MIN',
      workspaceId: '0B6F1C2D-3E4F-4A5B-8C6D-7E8F9A0B1C2D',
    });
    const url = usageUrl(settings, 'private', { startMs: Date.UTC(2026, 3, 1), endMs: Date.UTC(2026, 3, 2, 12, 30, 0, 250) });
    expect(url.href).toBe(
      'https://proxy.example.com/simplismart/v1/analytics/usage-stats?plan_type=private&start_time=2026-04-01T00%3A00%3A00Z' +
        '&end_time=2026-04-02T12%3A30%3A00.250Z&window_size=15MIN&workspace_id=0B6F1C2D-3E4F-4A5B-8C6D-7E8F9A0B1C2D' +
        '&deployment_slugs=a&deployment_slugs=b',
    );
  });
});
