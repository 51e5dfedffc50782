#!/usr/bin/env node
// The `burnrate` command. The code is built to out/main/cli.js by `npm run build` (also run by
// npm's `prepare` on install). Needs Node >= 22.19 (undici 8); `npx burnrate` uses the project's Node 24.
import { existsSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';

const major = Number(process.versions.node.split('.')[0]);
if (major < 22) {
  process.stderr.write(`burnrate needs Node.js 22.19 or newer (this is ${process.version}); run it with npx burnrate.\n`);
  process.exit(2);
}
const built = fileURLToPath(new URL('../out/main/cli.js', import.meta.url));
if (!existsSync(built)) {
  process.stderr.write('burnrate is not built yet: run `npm run build` first.\n');
  process.exit(2);
}
const { main } = await import(pathToFileURL(built).href);
process.exitCode = await main(process.argv.slice(2));
