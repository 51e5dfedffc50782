// TensorOne's own figures beside Burnrate's: projection, alerts, credits and rate-limit state.
import { MoneyParseError, toMicros } from '../../core/money';
import { type ProviderAlert, type ProviderExtras, type RateLimitState } from '../../core/report';
import { readRateLimit } from '../rateLimit';
import { type TensorOneUsageAnswer } from './tensorone.schema';

/** TensorOne's own figures (projection, alerts, credits, rate limit) for the report's extras. */
export function extrasOf(answer: TensorOneUsageAnswer, headers: Readonly<Record<string, string>>): ProviderExtras {
  const extras: {
    providerProjection?: ProviderExtras['providerProjection'];
    providerAlerts?: ProviderAlert[];
    rateLimit?: RateLimitState;
  } = {};
  if (answer.projections) {
    extras.providerProjection = {
      projectedMicros: answer.projections.projectedCost,
      confidence: answer.projections.confidence ?? null,
      trend: answer.projections.trend ?? null,
    };
  }
  if (answer.alerts) {
    extras.providerAlerts = answer.alerts.map((alert) => {
      // Only budget alerts carry money; spike alerts carry percentages, which the message states.
      const money = alert.type === 'budget_exceeded';
      const thresholdMicros = money ? optionalMicros(alert.threshold) : undefined;
      const currentMicros = money ? optionalMicros(alert.currentValue) : undefined;
      return {
        type: alert.type,
        severity: alert.severity,
        message: alert.message,
        ...(thresholdMicros === undefined ? {} : { thresholdMicros }),
        ...(currentMicros === undefined ? {} : { currentMicros }),
      };
    });
  }
  const rateLimit = readRateLimit(headers, { resetInUnixSeconds: true });
  if (rateLimit) extras.rateLimit = rateLimit;
  return extras;
}

function optionalMicros(value: number | null | undefined): number | undefined {
  if (value === null || value === undefined) return undefined;
  try {
    return toMicros(value, 'alert amount');
  } catch (error) {
    // An alert amount too large to hold exactly is dropped; the alert's message still says it.
    if (error instanceof MoneyParseError) return undefined;
    throw error;
  }
}
