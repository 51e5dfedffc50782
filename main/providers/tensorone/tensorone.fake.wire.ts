// The TensorOne fake's wire vocabulary: path, resource types, currencies and the alert shape.

/** The path the fake serves. */
export const TENSORONE_FAKE_USAGE_PATH = '/v2/billing/usage';

/** Resource types TensorOne bills; a scenario resource names its type in `meta.resourceType`. */
export const TENSORONE_FAKE_RESOURCE_TYPES = ['clusters', 'endpoints', 'training', 'ai-services', 'storage', 'bandwidth'] as const;
/** One resource type. */
export type TensorOneFakeResourceType = (typeof TENSORONE_FAKE_RESOURCE_TYPES)[number];

/** Currencies the API accepts, with the fixed fake rate (units per USD). JPY has no minor unit. */
export const TENSORONE_FAKE_RATES = { USD: 1, EUR: 0.92, GBP: 0.79, JPY: 151.37, CAD: 1.36, AUD: 1.52 } as const;
/** One accepted currency. */
export type TensorOneFakeCurrency = keyof typeof TENSORONE_FAKE_RATES;

/** An alert exactly as the wire carries it. */
export interface TensorOneWireAlert {
  readonly type: string;
  readonly severity: string;
  readonly message: string;
  readonly threshold?: number;
  readonly currentValue?: number;
}
