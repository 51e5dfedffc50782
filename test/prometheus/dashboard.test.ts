/**
 * The shipped Grafana dashboard's queries, proven against a real Prometheus (Debian's package):
 * Prometheus scrapes a running `burnrate demo` with the bearer token and loads the shipped rules;
 * every panel's query (and the workspace variable's) must parse and return data. Grafana itself
 * cannot be installed here; its JSON is only read. Also: `promtool check metrics` is clean on the
 * real exposition. (`promtool check rules` and `promtool test rules` run as their own step of
 * `npm test`: test/run-all.sh.)
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LiveCli, ROOT, isolatedEnv, tempDir } from '../cli/helpers';

const RULES = join(ROOT, 'deploy', 'prometheus', 'burnrate.rules.yml');
const DASHBOARD = join(ROOT, 'deploy', 'grafana', 'burnrate.json');

interface Target {
  readonly expr: string;
  readonly refId: string;
}
interface Panel {
  readonly title: string;
  readonly targets?: readonly Target[];
}
interface PromAnswer {
  readonly status: string;
  readonly error?: string;
  readonly data: { readonly resultType: string; readonly result: readonly unknown[] };
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/**
 * Asks Prometheus again until `attempt` answers (it has no event to wait on from outside): no try
 * count and no deadline, which a busy machine could exceed; a hang is ended by the test's timeout.
 * `what` says what is awaited.
 */
async function eventually<T>(what: string, attempt: () => Promise<T | undefined>): Promise<T> {
  for (;;) {
    const value = await attempt().catch(() => undefined);
    if (value !== undefined) return value;
    // Between tries only, so a not-yet-ready Prometheus is not asked in a busy loop.
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

describe('Grafana dashboard queries against Prometheus scraping `burnrate demo`', () => {
  let demo: LiveCli;
  let prometheus: ChildProcess;
  let promUrl = '';
  let dataDir = '';
  let metricsText = '';
  let prometheusLog = '';

  const query = async (expr: string): Promise<PromAnswer> => {
    const response = await fetch(`${promUrl}/api/v1/query?query=${encodeURIComponent(expr)}`);
    return (await response.json()) as PromAnswer;
  };

  beforeAll(async () => {
    demo = new LiveCli(['demo', '--port', '0'], isolatedEnv(tempDir()));
    const match = await demo.waitForStdout(/Burnrate dashboard: http:\/\/127\.0\.0\.1:(\d+)\/\?token=([A-Za-z0-9_-]+)\n/);
    const [, burnratePort, token] = match;

    dataDir = mkdtempSync(join(tmpdir(), 'burnrate-prometheus-'));
    const config = join(dataDir, 'prometheus.yml');
    writeFileSync(
      config,
      [
        'global: { scrape_interval: 1s, evaluation_interval: 1s }',
        `rule_files: [ ${JSON.stringify(RULES)} ]`,
        'scrape_configs:',
        '  - job_name: burnrate',
        `    authorization: { credentials: ${JSON.stringify(token)} }`,
        `    static_configs: [ { targets: [ "127.0.0.1:${burnratePort}" ] } ]`,
        '',
      ].join('\n'),
    );
    const port = await freePort();
    promUrl = `http://127.0.0.1:${port}`;
    prometheus = spawn(
      'prometheus',
      [`--config.file=${config}`, `--storage.tsdb.path=${join(dataDir, 'data')}`, `--web.listen-address=127.0.0.1:${port}`, '--log.level=warn'],
      { stdio: ['ignore', 'ignore', 'pipe'] },
    );
    prometheus.stderr?.on('data', (chunk: Buffer) => (prometheusLog += chunk.toString()));
    await eventually('Prometheus to be ready', async () => ((await fetch(`${promUrl}/-/ready`)).ok ? true : undefined));
    // Three scrapes (panels use time() and ranges) and one evaluation of the recording rules.
    await eventually('three scrapes of burnrate and the recording rules', async () => {
      const scrapes = await query('count_over_time(burnrate_info{job="burnrate"}[5m]) >= 3');
      const recorded = await query('workspace:burnrate_budget_used:ratio');
      return scrapes.data.result.length > 0 && recorded.data.result.length > 0 ? true : undefined;
    });
    // Read after Prometheus saw the workspaces: `serve` prints its URL before the first refresh.
    metricsText = await (await fetch(`http://127.0.0.1:${burnratePort}/metrics`, { headers: { authorization: `Bearer ${token}` } })).text();
  }, 180_000);

  afterAll(async () => {
    prometheus?.kill('SIGTERM');
    await demo?.stop('SIGINT').catch(() => demo.kill());
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  const dashboard = JSON.parse(readFileSync(DASHBOARD, 'utf8')) as {
    panels: readonly Panel[];
    templating: { list: readonly { name: string; definition: string }[] };
  };
  const targets = dashboard.panels.flatMap((panel) => (panel.targets ?? []).map((target) => ({ panel: panel.title, ...target })));

  it('has a query for spend vs budget, burn rate, projection, provider and resource breakdown, and connection health', () => {
    const titles = dashboard.panels.map((p) => p.title.toLowerCase()).join(' | ');
    for (const word of ['spend vs. budget', 'burn rate', 'projection', 'by provider', 'resources', 'connection health']) expect(titles).toContain(word);
    expect(targets.length).toBeGreaterThanOrEqual(15);
  });

  it.each(targets.map((t) => [`${t.panel} (${t.refId})`, t.expr] as const))('panel %s parses and returns data', async (_name, expr) => {
    const answer = await query(expr.replaceAll('$workspace', '.*'));
    expect(answer.error ?? '', prometheusLog).toBe('');
    expect(answer.status).toBe('success');
    expect(answer.data.result.length, `no data for ${expr}`).toBeGreaterThan(0);
  });

  it('the workspace variable lists both demo workspaces', async () => {
    const variable = dashboard.templating.list.find((v) => v.name === 'workspace');
    expect(variable?.definition).toBe('label_values(burnrate_workspace_spend_usd, workspace)');
    const values = (await (await fetch(`${promUrl}/api/v1/label/workspace/values?match[]=burnrate_workspace_spend_usd`)).json()) as { data: string[] };
    expect([...values.data].sort()).toEqual(['prod', 'research']);
  });

  it('the exposition passes `promtool check metrics` and carries build info and per-resource spend', () => {
    expect(metricsText).toMatch(/^burnrate_build_info\{version="\d+\.\d+\.\d+[^"]*",nodejs="v\d+/m);
    expect(metricsText).toMatch(/^burnrate_resource_spend_usd\{/m);
    expect(metricsText).toMatch(/^burnrate_workspace_budget_threshold_ratio\{workspace="[a-z]+",threshold="50"\} 0\.5$/m);
    const output = execFileSync('promtool', ['check', 'metrics'], { input: metricsText, encoding: 'utf8' });
    expect(output).toBe('');
  });
});
