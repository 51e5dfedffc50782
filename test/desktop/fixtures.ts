/**
 * A person's setup for the desktop tests: two workspaces on loopback Baseten fakes (real HTTP),
 * written as a CLI config file that the app imports on first start. The test can push the
 * "research" workspace over its 50 % budget threshold ({@link TeamFakes.crossThreshold}).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { startBasetenFake, type BasetenFake } from '../../main/providers/baseten/baseten.fake';
import type { Scenario } from '../../main/providers/fake/scenario';

/** The fakes behind the two workspaces. */
export interface TeamFakes {
  readonly research: BasetenFake;
  readonly prod: BasetenFake;
  /** Research's monthly budget (USD), set so the normal spend is far below its 50 % threshold. */
  readonly researchBudgetUsd: number;
  /** From now on research spends enough to be between 50 % and 100 % of its budget. */
  crossThreshold(): void;
  stop(): Promise<void>;
}

const RESEARCH_KEY = 'bt_desktop_research_0123456789abcdef';
const PROD_KEY = 'bt_desktop_prod_0123456789abcdef';

function deployment(id: string, name: string, usdPerHour: number): Scenario['resources'][number] {
  return {
    id,
    name,
    hourlyMicros: usdPerHour * 1_000_000,
    requestsPerHour: 1_000,
    shape: 'flat',
    meta: { section: 'dedicated', kind: 'MODEL_DEPLOYMENT', is_deleted: false, instance_type: 'H100:1x', model_name: 'llama', environment_name: 'production' },
  };
}

/** Starts the fakes and writes the CLI config file `configFile` (keys inline, as people write it); pass it as BURNRATE_CONFIG. */
export async function startTeam(configFile: string): Promise<TeamFakes> {
  // Crossing: from three hours before crossThreshold() on, each hour costs 6 × (hours of the month
  // so far) dollars, which adds 18 × hours to the normal 2 × hours: about 67 % of the budget below.
  // Recent hours only, as real spend grows: the app refreshes just the open tail of the period.
  let boostFromMs = Number.POSITIVE_INFINITY;
  let boostMicros = 0;
  const research = await startBasetenFake({
    apiKey: RESEARCH_KEY,
    scenario: {
      seed: 7,
      resources: [deployment('r1', 'research-h100', 2)],
      override: (_resource, hourStartMs) => (hourStartMs >= boostFromMs ? { costMicros: boostMicros } : undefined),
    },
  });
  const prod = await startBasetenFake({ apiKey: PROD_KEY, scenario: { seed: 8, resources: [deployment('p1', 'prod-h100', 3)] } });
  const now = Date.now();
  const monthStart = Date.UTC(new Date(now).getUTCFullYear(), new Date(now).getUTCMonth(), 1);
  // $2/h normal: a budget of 30 × $1/h × hours-so-far puts the normal spend near 7 % and the
  // crossed one near 67 % (the month is at least one hour old in any test).
  const hours = Math.max(1, (now - monthStart) / 3_600_000);
  const researchBudgetUsd = Math.ceil(30 * hours);
  const config = {
    refreshIntervalSeconds: 3600,
    workspaces: [
      {
        id: 'research',
        name: 'Research',
        timeZone: 'UTC',
        budget: { amountUsd: researchBudgetUsd, period: 'month', thresholdsPercent: [50] },
        forecastAlerts: false,
        connections: [{ id: 'baseten', provider: 'baseten', name: 'Baseten (research)', apiKey: RESEARCH_KEY, baseUrl: research.baseUrl }],
      },
      {
        id: 'prod',
        name: 'Prod',
        timeZone: 'UTC',
        forecastAlerts: false,
        connections: [{ id: 'baseten', provider: 'baseten', name: 'Baseten (prod)', apiKey: PROD_KEY, baseUrl: prod.baseUrl }],
      },
    ],
  };
  mkdirSync(dirname(configFile), { recursive: true });
  writeFileSync(configFile, `${JSON.stringify(config, null, 2)}\n`);
  return {
    research,
    prod,
    researchBudgetUsd,
    crossThreshold: () => {
      const nowMs = Date.now();
      boostFromMs = Math.floor((nowMs - 3 * 3_600_000) / 3_600_000) * 3_600_000;
      boostMicros = Math.round(6 * Math.max(1, (nowMs - monthStart) / 3_600_000)) * 1_000_000;
    },
    stop: async () => {
      await Promise.all([research.stop(), prod.stop()]);
    },
  };
}

/** The API keys of {@link startTeam} (to check they never reach plain files). */
export const TEAM_KEYS = [RESEARCH_KEY, PROD_KEY] as const;
