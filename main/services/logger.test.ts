import { describe, expect, it } from 'vitest';
import { createLogger } from './logger';

const KEY = 'sk_live_0123456789abcdef';

function capture(options: { quiet?: boolean; secrets?: string[] } = {}) {
  const lines: string[] = [];
  const logger = createLogger({ write: (line) => lines.push(line), secrets: () => options.secrets ?? [KEY], quiet: options.quiet ?? false });
  return { lines, logger };
}

describe('createLogger', () => {
  it('removes keys from messages and fields, including their Basic-auth form', () => {
    const { lines, logger } = capture();
    const basic = Buffer.from(`${KEY}:`).toString('base64');
    logger.warn(`request with ${KEY} failed`, { header: `Basic ${basic}`, nested: { key: KEY } });
    expect(lines).toHaveLength(1);
    expect(lines[0]).not.toContain(KEY);
    expect(lines[0]).not.toContain(basic);
    expect(lines[0]).toContain('[redacted]');
  });

  it('covers keys added after the logger was made', () => {
    const secrets: string[] = [];
    const lines: string[] = [];
    const logger = createLogger({ write: (line) => lines.push(line), secrets: () => secrets });
    secrets.push(KEY);
    logger.error(`bad ${KEY}`);
    expect(lines[0]).toBe('error: bad [redacted]');
  });

  it('writes one line per message, whatever the message holds', () => {
    const { lines, logger } = capture();
    logger.warn('notify-send failed:\nline two\nline three');
    expect(lines).toHaveLength(1);
    expect(lines[0]).not.toContain('\n');
  });

  it('drops info lines in quiet mode but keeps warnings and errors', () => {
    const { lines, logger } = capture({ quiet: true });
    logger.info('refreshed');
    logger.warn('slow');
    logger.error('broken');
    expect(lines).toEqual(['warning: slow', 'error: broken']);
  });
});
