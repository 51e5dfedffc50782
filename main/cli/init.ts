/**
 * `burnrate init`: a commented starter config. JSON has no comments, so the explanations are
 * `"$comment"` entries (allowed in any object of the config, ignored when it is read). Keys are
 * never written: each connection names an environment variable (`apiKeyEnv`).
 */
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { resolveConfigPath, systemTimeZone } from '../services/config';
import { optionText, type ParsedOptions } from './args';
import { paintFor } from './color';
import { EXIT, type CliIo } from './io';

/** The starter config's text for a machine in `timeZone`. */
export function starterConfig(timeZone: string): string {
  const config = {
    $comment: [
      'Burnrate starter config, written by `burnrate init`. "$comment" entries are notes for people: edit or delete them.',
      'Each connection reads its API key from the environment variable named by "apiKeyEnv" (export BASETEN_API_KEY=...).',
      'Or put the key inline as "apiKey": "..." instead of "apiKeyEnv" (keep this file private: chmod 600).',
      'Remove the providers you do not use. Then check with `burnrate doctor` and look with `burnrate status`.',
      'Every key is described in the README, section "Configuration".',
    ],
    refreshIntervalSeconds: 300,
    workspaces: [
      {
        $comment: 'One workspace per team or budget. Periods start at midnight in timeZone.',
        id: 'main',
        name: 'Main',
        timeZone,
        budget: {
          $comment: 'Alerts at these percentages of amountUsd; period is day, week or month.',
          amountUsd: 1000,
          period: 'month',
          thresholdsPercent: [50, 75, 90, 100],
        },
        forecastAlerts: false,
        connections: [
          { id: 'baseten', provider: 'baseten', apiKeyEnv: 'BASETEN_API_KEY' },
          { $comment: 'planTypes: which Simplismart plans to count (default: all).', id: 'simplismart', provider: 'simplismart', apiKeyEnv: 'SIMPLISMART_API_KEY' },
          { id: 'tensorone', provider: 'tensorone', apiKeyEnv: 'TENSORONE_API_KEY' },
          { id: 'limitry', provider: 'limitry', apiKeyEnv: 'LIMITRY_API_KEY' },
          {
            $comment: 'orgId: your Civis organization id (replace 1). usdPerCredit turns credits into dollars; without it Civis shows credits only.',
            id: 'civis',
            provider: 'civis',
            apiKeyEnv: 'CIVIS_API_KEY',
            orgId: 1,
          },
        ],
      },
    ],
  };
  return `${JSON.stringify(config, null, 2)}\n`;
}

/** Why `init` did not write. */
export class InitRefused extends Error {
  override readonly name = 'InitRefused';
}

/**
 * Writes the starter config to `file` with mode 0600 (its folder 0700 when created). Never
 * overwrites: an existing file is an {@link InitRefused}.
 */
export function writeStarterConfig(file: string, timeZone: string = systemTimeZone()): void {
  mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
  try {
    // 'wx': fails if the file exists, atomically (no check-then-write race).
    writeFileSync(file, starterConfig(timeZone), { flag: 'wx', mode: 0o600 });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') throw new InitRefused(`${file} already exists; not overwriting it (move it away first, or pass --config FILE)`);
    throw error;
  }
  // The umask may have cleared bits but never adds any; make it exactly 0600 anyway.
  if (process.platform !== 'win32') chmodSync(file, 0o600);
}

/** `burnrate init [--config FILE]`: writes the starter config (never over an existing file). */
export function initCommand(io: CliIo, values: ParsedOptions): number {
  const file = resolve(resolveConfigPath(optionText(values, 'config'), io.env));
  try {
    writeStarterConfig(file);
  } catch (error) {
    if (error instanceof InitRefused) {
      io.stderr(`burnrate: ${error.message}\n`);
      return EXIT.usage;
    }
    throw error;
  }
  const paint = paintFor(io);
  io.stdout(
    [
      `${paint('green', 'Wrote')} ${file} (mode 0600).`,
      'Next:',
      '  1. Remove the providers you do not use, set your budget and time zone.',
      '  2. Export each apiKeyEnv variable (for example: export BASETEN_API_KEY=...).',
      `  3. Check it: burnrate doctor${optionText(values, 'config') ? ` --config ${optionText(values, 'config')}` : ''}`,
      '',
    ].join('\n'),
  );
  return EXIT.ok;
}
