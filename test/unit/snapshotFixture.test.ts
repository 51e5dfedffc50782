/**
 * The e2e fixture (test/e2e/fixtures/snapshot.json) is validated by the StatusDocument schema, not
 * cast: it parses, and a fixture with a wrong type or a field the document does not define fails.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { fixtureSnapshot, parseSnapshotFixture } from '../e2e/support';

/** The fixture as plain JSON, to break on purpose. */
interface RawFixture {
  status: { workspaces: Array<Record<string, unknown> & { connections: Array<Record<string, unknown>> }> };
}
const raw = (): RawFixture => JSON.parse(readFileSync('test/e2e/fixtures/snapshot.json', 'utf8')) as RawFixture;

describe('the e2e snapshot fixture', () => {
  it('is a valid AppSnapshot, field for field', () => {
    const snapshot = fixtureSnapshot();
    expect(snapshot.status.workspaces.length).toBeGreaterThan(0);
    expect(snapshot).toEqual(raw());
  });

  it('is refused with a wrong type, naming the field', () => {
    const broken = raw();
    broken.status.workspaces[1]!.connections[0]!.spentUsd = '12.50';
    expect(() => parseSnapshotFixture(broken)).toThrow(/status\.workspaces\[1\]\.connections\[0\]\.spentUsd/);
  });

  it('is refused with a field the StatusDocument does not define (a typo)', () => {
    const broken = raw();
    broken.status.workspaces[0]!.burnRateUsdPerHr = 1;
    expect(() => parseSnapshotFixture(broken)).toThrow(/fields the StatusDocument does not define/);
  });
});
