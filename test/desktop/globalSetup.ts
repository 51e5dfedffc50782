import { spawnSync } from 'node:child_process';

/** Builds out/ when it is missing or older than its sources (scripts/prepare.mjs decides). */
export default function globalSetup(): void {
  const result = spawnSync(process.execPath, ['scripts/prepare.mjs'], { stdio: 'inherit' });
  if (result.status !== 0) throw new Error('The build failed: the desktop harness runs the built bundle (out/).');
}
