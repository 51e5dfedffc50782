// Connection settings of the Civis adapter: organisation, base URL and the credit rate.
import { z } from 'zod';
import { baseUrlField, baseUrlSetting } from '../schema';
import type { SettingField } from '../types';

/** Default API host (civis-python `DEFAULT_API_ENDPOINT`). */
export const CIVIS_DEFAULT_BASE_URL = 'https://api.civisanalytics.com';

/** Most pages of `/usage/llm` read in one fetch, should Civis ever paginate it. */
export const CIVIS_MAX_PAGES = 100;

/** Highest accepted `usdPerCredit`: a guard against a typo (cents entered as dollars × 100…), not a Civis fact. */
export const MAX_USD_PER_CREDIT = 10_000;

/** Schema of the connection settings. */
export const settingsSchema = z.strictObject({
  baseUrl: baseUrlSetting(CIVIS_DEFAULT_BASE_URL),
  orgId: z
    .number({
      error: (issue) =>
        issue.input === undefined
          ? 'orgId is required: the numeric id of your Civis organization (Civis does not reveal it through the API)'
          : 'orgId must be a number: the numeric id of your Civis organization',
    })
    .int({ error: 'orgId must be a whole number' })
    .positive({ error: 'orgId must be a positive organization id' }),
  usdPerCredit: z
    .number({ error: 'usdPerCredit must be a number of US dollars per Civis credit' })
    .positive({ error: 'usdPerCredit must be greater than 0 US dollars per credit' })
    .max(MAX_USD_PER_CREDIT, { error: `usdPerCredit must be at most ${MAX_USD_PER_CREDIT} US dollars per credit` })
    .optional(),
});

/**
 * Connection settings of a Civis connection, after parsing: `baseUrl` without trailing slash,
 * `orgId` (positive integer), and the optional `usdPerCredit` rate (US dollars per credit).
 */
export type CivisSettings = z.output<typeof settingsSchema>;

/** Form fields of the connection settings. */
export const settingFields: readonly SettingField[] = [
  {
    key: 'orgId',
    label: 'Organization ID',
    kind: 'integer',
    required: true,
    help: 'The numeric id of your Civis organization. The API does not reveal it; ask your Civis admin or read organizationId from a usage row.',
  },
  {
    key: 'usdPerCredit',
    label: 'US dollars per credit',
    kind: 'number',
    required: false,
    help: 'The rate from your Civis contract. Without it this connection shows credits and stays out of money totals.',
  },
  baseUrlField(CIVIS_DEFAULT_BASE_URL, 'Change only for a private Civis deployment.'),
];
