#!/usr/bin/env node
// npm's `prepare`: build out/ so the `burnrate` bin works right after `npm install`, but only when
// the build is missing or older than its sources. npm also runs `prepare` when `npx burnrate`
// links this package, and a needless rebuild would empty out/ under a running burnrate.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const sources = ['main', 'preload', 'renderer', 'electron.vite.config.ts', 'package.json'];
const outputs = ['out/main/cli.js', 'out/main/index.js', 'out/preload/index.cjs', 'out/renderer/index.html'];

function newest(path) {
  if (!existsSync(path)) return 0;
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let latest = 0;
  for (const entry of readdirSync(path)) latest = Math.max(latest, newest(join(path, entry)));
  return latest;
}

const builtAt = Math.min(...outputs.map((file) => (existsSync(file) ? statSync(file).mtimeMs : 0)));
const changedAt = Math.max(...sources.map(newest));
if (builtAt > 0 && builtAt >= changedAt && !process.env.BURNRATE_FORCE_BUILD) {
  console.log('burnrate: build is up to date (out/)');
  process.exit(0);
}
const result = spawnSync('electron-vite', ['build'], { stdio: 'inherit', shell: process.platform === 'win32' });
process.exit(result.status ?? 1);
