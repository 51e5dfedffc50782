/**
 * One type environment per layer (tsconfig.node.json for main/ and preload/, tsconfig.web.json for
 * renderer/, tsconfig.test.json for tests) and no clock in main/core or main/providers.
 *
 * The typecheck half writes a probe file into the real folder, checks that the real config of
 * `npm run typecheck` takes it in, then compiles it with that config's options (a throwaway
 * tsconfig that extends the real one and lists only the probe, so the check takes seconds, not
 * the minutes of a whole-project run) and expects the forbidden global to be refused. The same
 * probe in the other layer compiles: the error comes from the environment, not from the setup.
 */
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { ESLint } from 'eslint';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(__dirname, '../..');
const TSC = join(ROOT, 'node_modules/typescript/bin/tsc');

interface Compiled {
  readonly code: number;
  readonly output: string;
}

function runTsc(args: readonly string[]): Promise<Compiled> {
  return new Promise((done) => {
    execFile(process.execPath, [TSC, ...args], { cwd: ROOT }, (error, stdout, stderr) => {
      done({ code: error ? ((error as { code?: number }).code ?? 1) : 0, output: `${stdout}${stderr}` });
    });
  });
}

/** The files the real config takes in (its include/exclude globs expanded, nothing compiled). */
function filesOf(config: string): string[] {
  const parsed = ts.getParsedCommandLineOfConfigFile(join(ROOT, config), {}, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: (d) => { throw new Error(String(d.messageText)); } });
  if (!parsed) throw new Error(`${config} could not be read`);
  return parsed.fileNames.map((file) => resolve(file));
}

/** Writes `code` to `folder/<probe>.ts`, compiles it with `config`'s options only, removes both. */
async function probe(config: string, folder: string, code: string): Promise<Compiled & { included: boolean }> {
  const id = randomBytes(4).toString('hex');
  const file = join(ROOT, folder, `typeProbe${id}.ts`);
  const probeConfig = join(ROOT, `tsconfig.probe-${id}.json`);
  writeFileSync(file, code);
  writeFileSync(probeConfig, JSON.stringify({ extends: `./${config}`, include: [], files: [`./${folder}/typeProbe${id}.ts`] }));
  try {
    const included = filesOf(config).includes(file);
    return { ...(await runTsc(['--noEmit', '-p', probeConfig])), included };
  } finally {
    rmSync(file, { force: true });
    rmSync(probeConfig, { force: true });
  }
}

/** Each probe runs the TypeScript compiler once (seconds; far more on a loaded machine). */
const COMPILE_TIMEOUT_MS = 180_000;

const USES_DOCUMENT = 'export const title: string = document.title;\n';
const USES_PROCESS = 'export const home: string | undefined = process.env.HOME;\n';

describe('npm run typecheck', () => {
  it('checks each layer in its own environment', () => {
    const script = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts.typecheck;
    for (const config of ['tsconfig.node.json', 'tsconfig.web.json', 'tsconfig.test.json']) expect(script).toContain(`-p ${config}`);
  });

  it('refuses `document` in main/core (no DOM types for main/)', async () => {
    const result = await probe('tsconfig.node.json', 'main/core', USES_DOCUMENT);
    expect(result.included).toBe(true);
    expect(result.code).not.toBe(0);
    expect(result.output).toMatch(/typeProbe\w+\.ts.*error TS\d+: Cannot find name 'document'/);
  }, COMPILE_TIMEOUT_MS);

  it('refuses `process` in renderer/ (no Node types for the renderer)', async () => {
    const result = await probe('tsconfig.web.json', 'renderer/src', USES_PROCESS);
    expect(result.included).toBe(true);
    expect(result.code).not.toBe(0);
    expect(result.output).toMatch(/typeProbe\w+\.ts.*error TS\d+: Cannot find name 'process'/);
  }, COMPILE_TIMEOUT_MS);

  it('accepts each global in the layer that has it', async () => {
    const [inRenderer, inMain] = await Promise.all([probe('tsconfig.web.json', 'renderer/src', USES_DOCUMENT), probe('tsconfig.node.json', 'main/services', USES_PROCESS)]);
    expect(inRenderer).toMatchObject({ included: true, code: 0 });
    expect(inMain).toMatchObject({ included: true, code: 0 });
  }, COMPILE_TIMEOUT_MS);
});

describe('lint: globals per folder and no clock in main/core and main/providers', () => {
  const eslint = new ESLint({ cwd: ROOT });
  const problems = async (filePath: string, code: string): Promise<string[]> => {
    const [result] = await eslint.lintText(code, { filePath });
    return (result?.messages ?? []).map((m) => `${m.ruleId}: ${m.message}`);
  };

  it.each([
    ['main/core/fixture.ts', 'export const nowMs = Date.now();\n'],
    ['main/core/fixture.ts', 'export const clock = Date.now;\n'],
    ['main/core/fixture.ts', 'export const today = new Date();\n'],
    ['main/core/fixture.ts', 'export const t = performance.now();\n'],
    ['main/providers/fixture.ts', 'export const nowMs = Date.now();\n'],
    ['main/providers/baseten/fixture.ts', 'export const today = new Date();\n'],
  ])('refuses reading the clock in %s: %s', async (filePath, code) => {
    expect(await problems(filePath, code)).toEqual([expect.stringMatching(/^no-restricted-syntax: No clock here/)]);
  });

  it.each([
    ['main/core/fixture.ts', 'export const iso = (ms: number): string => new Date(ms).toISOString();\n'],
    ['main/services/fixture.ts', 'export const nowMs = Date.now();\n'],
    ['main/core/fixture.test.ts', 'export const nowMs = Date.now();\n'],
  ])('allows %s: %s', async (filePath, code) => {
    expect(await problems(filePath, code)).toEqual([]);
  });

  it.each([
    ['main/core/fixture.ts', 'export const title = document.title;\n', /no-restricted-globals: .*main\/ and preload\/ run in Node/],
    ['preload/fixture.ts', 'export const w = window;\n', /no-restricted-globals: .*main\/ and preload\/ run in Node/],
    ['renderer/src/fixture.tsx', 'export const home = process.env.HOME;\n', /no-restricted-globals: .*no Node globals/],
    ['renderer/src/fixture.ts', 'export const b = Buffer.from("x");\n', /no-restricted-globals: .*no Node globals/],
  ])('refuses the other runtime’s globals in %s', async (filePath, code, message) => {
    const found = await problems(filePath, code);
    expect(found.some((m) => message.test(m))).toBe(true);
  });
});
