/**
 * The demo: all five provider fakes on loopback with a realistic two-team scenario, and a
 * configuration pointing at them. Used by `burnrate demo`, by the desktop app when nothing is
 * configured, and by end-to-end tests. Everything it shows is demo data.
 */
import { randomBytes } from 'node:crypto';
import { startBasetenFake, defaultBasetenScenario } from './baseten';
import { startCivisFake, defaultCivisScenario, CIVIS_FAKE_ORG_ID } from './civis';
import { startLimitryFake, defaultLimitryScenario } from './limitry';
import type { Scenario } from './scenario';
import { startSimplismartFake, defaultSimplismartScenario } from './simplismart';
import { startTensorOneFake, defaultTensorOneScenario } from './tensorone';

/** A running demo. */
export interface Demo {
  /** A configuration object in the config-file format (keys inline), pointing at the fakes. */
  readonly config: DemoConfig;
  stop(): Promise<void>;
}

/** The config-file shape the demo produces (validated by the real config parser when used). */
export interface DemoConfig {
  readonly workspaces: ReadonlyArray<{
    readonly id: string;
    readonly name: string;
    readonly timeZone: string;
    readonly budget: { readonly amountUsd: number; readonly period: 'month'; readonly thresholdsPercent: readonly number[] };
    readonly forecastAlerts: boolean;
    readonly connections: ReadonlyArray<Record<string, unknown>>;
  }>;
}

/** Options of {@link startDemo}. */
export interface DemoOptions {
  /** The fakes' clock (epoch ms). Default Date.now. */
  readonly now?: () => number;
  /** Time zone of both workspaces. Default UTC. */
  readonly timeZone?: string;
}

const key = (prefix: string) => `${prefix}${randomBytes(12).toString('hex')}`;

/** A smaller Baseten account for the second team: one always-on deployment and model APIs. */
function prodBasetenScenario(): Scenario {
  const base = defaultBasetenScenario(99);
  return { ...base, resources: base.resources.filter((r) => r.meta?.section !== 'training') };
}

/** Starts the five fakes (six servers: two Baseten accounts) and builds the demo configuration. */
export async function startDemo(options: DemoOptions = {}): Promise<Demo> {
  const now = options.now ?? Date.now;
  const timeZone = options.timeZone ?? 'UTC';
  const keys = {
    baseten: key('bt_demo_'),
    basetenProd: key('bt_demo_'),
    simplismart: key('pg_demo_'),
    civis: key('civis_demo_'),
    tensorone: key('tpo_test_'),
    limitry: key('lmtry_sk_demo_'),
  };
  const started = await Promise.all([
    startBasetenFake({ apiKey: keys.baseten, scenario: defaultBasetenScenario(), now, lagMs: 30 * 60_000 }),
    startSimplismartFake({ apiKey: keys.simplismart, scenario: defaultSimplismartScenario(), now, lagMs: 10 * 60_000 }),
    startCivisFake({ apiKey: keys.civis, scenario: defaultCivisScenario(), now, hardLimit: 10_000 }),
    startTensorOneFake({ apiKey: keys.tensorone, scenario: defaultTensorOneScenario(), now, lagMs: 60 * 60_000 }),
    startLimitryFake({ apiKey: keys.limitry, scenario: defaultLimitryScenario(), now }),
    startBasetenFake({ apiKey: keys.basetenProd, scenario: prodBasetenScenario(), now, lagMs: 30 * 60_000 }),
  ]);
  const [baseten, simplismart, civis, tensorone, limitry, basetenProd] = started;
  const config: DemoConfig = {
    workspaces: [
      {
        id: 'research',
        name: 'Research',
        timeZone,
        budget: { amountUsd: 20_000, period: 'month', thresholdsPercent: [50, 75, 90, 100] },
        forecastAlerts: true,
        connections: [
          { id: 'baseten', provider: 'baseten', name: 'Baseten (research)', apiKey: keys.baseten, baseUrl: baseten.baseUrl },
          { id: 'simplismart', provider: 'simplismart', apiKey: keys.simplismart, baseUrl: simplismart.baseUrl },
          { id: 'civis', provider: 'civis', apiKey: keys.civis, baseUrl: civis.baseUrl, orgId: CIVIS_FAKE_ORG_ID, usdPerCredit: 0.5 },
        ],
      },
      {
        id: 'prod',
        name: 'Prod',
        timeZone,
        budget: { amountUsd: 20_000, period: 'month', thresholdsPercent: [50, 75, 90, 100] },
        forecastAlerts: true,
        connections: [
          { id: 'tensorone', provider: 'tensorone', apiKey: keys.tensorone, baseUrl: tensorone.baseUrl },
          { id: 'limitry', provider: 'limitry', apiKey: keys.limitry, baseUrl: limitry.baseUrl },
          { id: 'baseten-prod', provider: 'baseten', name: 'Baseten (prod)', apiKey: keys.basetenProd, baseUrl: basetenProd.baseUrl },
        ],
      },
    ],
  };
  return {
    config,
    stop: async () => {
      await Promise.all(started.map((fake) => fake.stop()));
    },
  };
}
