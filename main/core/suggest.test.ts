import { describe, expect, it } from 'vitest';
import { editDistance, suggest } from './suggest';

describe('editDistance', () => {
  it.each([
    ['status', 'status', 0],
    ['stauts', 'status', 1],
    ['statu', 'status', 1],
    ['sttus', 'status', 1],
    ['wacth', 'watch', 1],
    ['', 'abc', 3],
    ['apiKeyEnvv', 'apiKeyEnv', 1],
  ])('counts %s → %s as %i edits', (a, b, expected) => {
    expect(editDistance(a, b)).toBe(expected);
  });
});

describe('suggest', () => {
  const commands = ['status', 'watch', 'serve', 'demo', 'init', 'doctor', 'export'];
  it('suggests the command a typo was meant to be', () => {
    expect(suggest('stauts', commands)).toBe('status');
    expect(suggest('srve', commands)).toBe('serve');
    expect(suggest('exprot', commands)).toBe('export');
    expect(suggest('DOCTRO', commands)).toBe('doctor');
  });
  it('suggests nothing for a word that is not close to any name', () => {
    expect(suggest('deploy', commands)).toBeNull();
    expect(suggest('x', commands)).toBeNull();
  });
  it('matches config keys case-insensitively', () => {
    expect(suggest('apikeyenv', ['apiKey', 'apiKeyEnv'])).toBe('apiKeyEnv');
    expect(suggest('thresholdPercent', ['amountUsd', 'thresholdsPercent'])).toBe('thresholdsPercent');
  });
});
