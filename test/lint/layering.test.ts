import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const eslint = new ESLint({ cwd: process.cwd() });

async function violations(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return (result?.messages ?? []).filter((m) => m.ruleId === 'no-restricted-imports').map((m) => m.message);
}

describe('the layering rule', () => {
  it.each([
    ['main/core/fixture.ts', "import { app } from 'electron';\nexport const x = app;\n", /main\/core is pure: no electron/],
    ['main/core/fixture.ts', "import { readFileSync } from 'node:fs';\nexport const x = readFileSync;\n", /no I\/O/],
    ['main/core/fixture.ts', "import { x } from '../services/poller';\nexport const y = x;\n", /outer layers/],
    ['main/providers/fixture.ts', "import { x } from '../services/poller';\nexport const y = x;\n", /only main\/core/],
    ['main/providers/fixture.ts', "import { app } from 'electron';\nexport const x = app;\n", /never import electron/],
    ['main/services/fixture.ts', "import { safeStorage } from 'electron';\nexport const x = safeStorage;\n", /never to electron/],
    ['main/services/fixture.ts', "import { x } from '../electron/tray';\nexport const y = x;\n", /shells/],
    ['main/cli/fixture.ts', "import { x } from '../electron/tray';\nexport const y = x;\n", /without Electron/],
    ['renderer/src/fixture.tsx', "import { ipcRenderer } from 'electron';\nexport const x = ipcRenderer;\n", /never imports electron/],
    ['renderer/src/fixture.tsx', "import { toMicros } from '../../main/core/money';\nexport const x = toMicros;\n", /never imports main/],
    ['preload/api.ts', "import { z } from 'zod';\nexport const x = z;\n", /zero imports/],
    ['preload/settings.ts', "import { toMicros } from '../main/core/money';\nexport const x = toMicros;\n", /zero imports/],
    ['preload/statusDocument.ts', "import { z } from 'zod';\nexport const x = z;\n", /zero imports/],
  ])('rejects a wrong import in %s', async (filePath, code, message) => {
    const found = await violations(filePath, code);
    expect(found.length).toBeGreaterThan(0);
    expect(found.some((m) => message.test(m))).toBe(true);
  });

  it.each([
    ['main/cli/fixture.ts', "import { startDemo } from '../../test/fakes/demo';\nexport const x = startDemo;\n"],
    ['main/electron/fixture.ts', "import { startDemo } from '../../test/fakes/demo';\nexport const x = startDemo;\n"],
    ['main/services/fixture.ts', "import { World } from '../../test/replay/world';\nexport const x = World;\n"],
    ['main/providers/baseten/fixture.ts', "import type { Fault } from '../../../test/fakes/harness';\nexport type X = Fault;\n"],
    ['main/core/fixture.ts', "import { x } from '../../test/support/anything';\nexport const y = x;\n"],
    ['main/demo/fixture.ts', "import { x } from '../../test/cli/helpers';\nexport const y = x;\n"],
    ['main/index.ts', "import { x } from '../test/e2e/support';\nexport const y = x;\n"],
    ['preload/index.ts', "import { x } from '../test/e2e/support';\nexport const y = x;\n"],
    ['renderer/src/fixture.tsx', "import snapshot from '../../test/e2e/fixtures/snapshot.json';\nexport const x = snapshot;\n"],
  ])('refuses an import of test code from production code in %s', async (filePath, code) => {
    const found = await violations(filePath, code);
    expect(found.some((m) => /Production code \(main\/, preload\/, renderer\/\) never imports test\//.test(m)), found.join('\n')).toBe(true);
  });

  it.each([
    ['main/demo/fixture.ts', "import { PROVIDERS } from '../providers/registry';\nexport const x = PROVIDERS;\n"],
    ['main/cli/fixture.ts', "import { startDemo } from '../demo/demo';\nexport const x = startDemo;\n"],
    ['main/core/fixture.ts', "import { toMicros } from './money';\nimport type { AppSnapshot } from '../../preload/api';\nexport const x = toMicros;\nexport type Y = AppSnapshot;\n"],
    ['main/providers/fixture.ts', "import { toMicros } from '../core/money';\nexport const x = toMicros;\n"],
    ['main/electron/fixture.ts', "import { app } from 'electron';\nimport { systemClock } from '../services/ports';\nexport const x = [app, systemClock];\n"],
    ['main/cli/fixture.ts', "import { systemClock } from '../services/ports';\nexport const x = systemClock;\n"],
    ['preload/api.ts', "import type { StatusDocument } from './statusDocument';\nexport type { StatusDocument };\nexport * from './settings';\n"],
  ])('allows the imports its layer may make in %s', async (filePath, code) => {
    expect(await violations(filePath, code)).toEqual([]);
  });

  it('finds no violation in the repository itself', { timeout: 120_000 }, async () => {
    const results = await eslint.lintFiles(['main', 'preload', 'renderer']);
    const layering = results.flatMap((r) => r.messages.filter((m) => m.ruleId === 'no-restricted-imports').map((m) => `${r.filePath}: ${m.message}`));
    expect(layering).toEqual([]);
  });
});
