// Connection settings of the Simplismart adapter: the schema, the form fields and the list filters
// each plan type accepts (SEED-0).
import { z } from 'zod';
import { baseUrlField, baseUrlSetting } from '../schema';
import type { SettingField } from '../types';
import { SIMPLISMART_PLAN_TYPES, SIMPLISMART_WINDOW_SIZES, type SimplismartPlanType } from './simplismart.schema';

/** Default platform API base URL. */
export const DEFAULT_BASE_URL = 'https://api.app.simplismart.ai';
/** Default path of the usage-stats endpoint. */
export const DEFAULT_PATH = '/v1/analytics/usage-stats';

/** Settings keys of the list filters. */
export type ListFilterKey =
  | 'deploymentIds'
  | 'deploymentSlugs'
  | 'modelNames'
  | 'trainingJobIds'
  | 'trainingJobNames'
  | 'modelRepoIds'
  | 'modelRepoNames';

/** A list filter: its setting, query parameter, label and plan types. */
export interface ListFilter {
  readonly key: ListFilterKey;
  readonly param: string;
  readonly label: string;
  readonly planTypes: readonly SimplismartPlanType[];
}

/** List filters and the plan types that accept them (SEED-0: anything else is rejected). */
export const LIST_FILTERS: readonly ListFilter[] = [
  { key: 'deploymentIds', param: 'deployment_ids', label: 'Deployment ids', planTypes: ['private', 'byoc'] },
  { key: 'deploymentSlugs', param: 'deployment_slugs', label: 'Deployment slugs', planTypes: ['private', 'byoc'] },
  { key: 'modelNames', param: 'model_names', label: 'Model names', planTypes: ['shared'] },
  { key: 'trainingJobIds', param: 'training_job_ids', label: 'Training job ids', planTypes: ['training'] },
  { key: 'trainingJobNames', param: 'training_job_names', label: 'Training job names', planTypes: ['training'] },
  { key: 'modelRepoIds', param: 'model_repo_ids', label: 'Model repo ids', planTypes: ['compilation'] },
  { key: 'modelRepoNames', param: 'model_repo_names', label: 'Model repo names', planTypes: ['compilation'] },
];

/** `include_all_statuses` is not supported for training and reserved (SEED-0). */
export const INCLUDE_ALL_STATUSES_PLAN_TYPES: readonly SimplismartPlanType[] = ['shared', 'private', 'byoc', 'compilation'];

const filterList = (key: ListFilterKey) =>
  z.array(z.string().trim().min(1, `${key} must not contain empty entries`), { error: `${key} must be a list of strings` }).default([]);

/** Schema of the connection settings. */
export const settingsSchema = z
  .strictObject({
    baseUrl: baseUrlSetting(DEFAULT_BASE_URL),
    path: z
      .string({ error: 'path must be a string' })
      .trim()
      .regex(/^\/[^?#\s]*$/, 'path must start with "/" and carry no query string, e.g. /v1/analytics/usage-stats')
      .default(DEFAULT_PATH),
    planTypes: z
      .array(z.enum(SIMPLISMART_PLAN_TYPES, { error: `each plan type must be one of ${SIMPLISMART_PLAN_TYPES.join(', ')}` }), {
        error: 'planTypes must be a list of plan types',
      })
      .min(1, 'planTypes must enable at least one plan type')
      .default([...SIMPLISMART_PLAN_TYPES])
      .transform((planTypes) => [...new Set(planTypes)]),
    windowSize: z
      .enum(SIMPLISMART_WINDOW_SIZES, { error: `windowSize must be one of ${SIMPLISMART_WINDOW_SIZES.join(', ')}` })
      .default('HOUR'),
    // An empty form field means "the organisation's default workspace".
    workspaceId: z.preprocess(
      (value) => (typeof value === 'string' && value.trim() === '' ? undefined : value),
      z.guid({ error: 'workspaceId must be a workspace UUID (Simplismart: Settings → Workspaces)' }).optional(),
    ),
    deploymentIds: filterList('deploymentIds'),
    deploymentSlugs: filterList('deploymentSlugs'),
    modelNames: filterList('modelNames'),
    trainingJobIds: filterList('trainingJobIds'),
    trainingJobNames: filterList('trainingJobNames'),
    modelRepoIds: filterList('modelRepoIds'),
    modelRepoNames: filterList('modelRepoNames'),
    // The settings form has no boolean field kind, so "true"/"false" text is accepted too.
    includeAllStatuses: z
      .union([z.boolean(), z.enum(['true', 'false']).transform((text) => text === 'true')], {
        error: 'includeAllStatuses must be true or false',
      })
      .default(false),
  })
  .superRefine((settings, ctx) => {
    const enabled = settings.planTypes;
    const check = (key: string, isSet: boolean, allowed: readonly SimplismartPlanType[]): void => {
      if (!isSet || allowed.some((planType) => enabled.includes(planType))) return;
      ctx.addIssue({
        code: 'custom',
        path: [key],
        message:
          `${key} only applies to plan type${allowed.length > 1 ? 's' : ''} ${allowed.join(', ')}, ` +
          `and planTypes enables only ${enabled.join(', ')}: enable ${allowed.length > 1 ? 'one of them' : allowed[0]} or clear ${key}`,
      });
    };
    for (const filter of LIST_FILTERS) check(filter.key, settings[filter.key].length > 0, filter.planTypes);
    check('includeAllStatuses', settings.includeAllStatuses, INCLUDE_ALL_STATUSES_PLAN_TYPES);
  });

/** Parsed connection settings of a Simplismart connection. */
export type SimplismartSettings = z.output<typeof settingsSchema>;

/** Form fields of the connection settings. */
export const SETTINGS_FIELDS: readonly SettingField[] = [
  baseUrlField(DEFAULT_BASE_URL, 'The platform API, not the inference host api.simplismart.live.'),
  {
    key: 'path',
    label: 'Usage path',
    kind: 'text',
    required: false,
    defaultValue: DEFAULT_PATH,
    help: 'Simplismart does not publish this path; change it if the API moves.',
  },
  {
    key: 'planTypes',
    label: 'Plan types',
    kind: 'multi-select',
    required: false,
    options: SIMPLISMART_PLAN_TYPES,
    defaultValue: SIMPLISMART_PLAN_TYPES,
    help: 'One request per enabled plan type; the spend is their sum.',
  },
  {
    key: 'windowSize',
    label: 'Window size',
    kind: 'text',
    required: false,
    defaultValue: 'HOUR',
    help: `Bucket size asked for: ${SIMPLISMART_WINDOW_SIZES.join(', ')}.`,
  },
  {
    key: 'workspaceId',
    label: 'Workspace id',
    kind: 'text',
    required: false,
    help: 'Workspace UUID (Settings → Workspaces). Empty: the organisation default workspace.',
  },
  ...LIST_FILTERS.map(
    (filter): SettingField => ({
      key: filter.key,
      label: filter.label,
      kind: 'string-list',
      required: false,
      defaultValue: [],
      help: `Only for plan type${filter.planTypes.length > 1 ? 's' : ''} ${filter.planTypes.join(', ')}; other plan types are not filtered.`,
    }),
  ),
  {
    key: 'includeAllStatuses',
    label: 'Include all deployment statuses',
    kind: 'text',
    required: false,
    defaultValue: 'false',
    help: 'true counts deleted and failed deployments too (default: only SUCCESS and STOPPED). Not for training or reserved.',
  },
];
