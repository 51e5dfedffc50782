// Writes main/core/zoneNames.ts: the canonical time zone names of the running Node's ICU
// (Intl.supportedValuesOf('timeZone'), and "UTC"), so that main/core/zones.ts can name a zone
// without starting ICU. Run `npm run zone-names` after a Node upgrade; main/core/zones.test.ts
// fails while the list differs from Intl's.
import { writeFileSync } from 'node:fs';

const names = [...new Set([...Intl.supportedValuesOf('timeZone'), 'UTC'])].sort();
const lines = [];
for (let line = ''; names.length > 0; ) {
  const next = names.shift();
  if (line.length + next.length + 1 > 96) {
    lines.push(line);
    line = next;
  } else {
    line = line === '' ? next : `${line} ${next}`;
  }
  if (names.length === 0) lines.push(line);
}
const body = lines.map((l) => `  '${l}',`).join('\n');
writeFileSync(
  new URL('../main/core/zoneNames.ts', import.meta.url),
  `/**
 * Canonical IANA time zone names as ICU ${process.versions.icu} (tz ${process.versions.tz}) spells them: what
 * \`Intl.DateTimeFormat(…, { timeZone }).resolvedOptions().timeZone\` answers for each. Written by
 * scripts/zone-names.mjs (\`npm run zone-names\`); main/core/zones.test.ts checks it against Intl.
 */
export const ZONE_NAMES_TZ_VERSION = '${process.versions.tz}';

/** The names, space-separated in sorted lines. */
const LINES = [
${body}
];

/** Every canonical name. */
export function canonicalZoneNames(): string[] {
  return LINES.join(' ').split(' ');
}
`,
);
