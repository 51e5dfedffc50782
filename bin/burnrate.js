#!/usr/bin/env node
// The `burnrate` command. The code is built to out/main/cli.js by `npm run build` (also run by
// npm's `prepare` on install). Needs Node >= 22.19 (undici 8); `npx burnrate` uses the project's Node 24.
const [major, minor] = process.versions.node.split('.').map(Number);
if (major < 22 || (major === 22 && minor < 19)) {
  process.stderr.write(`burnrate needs Node.js 22.19 or newer (this is ${process.version}); run it with npx burnrate.\n`);
  process.exit(2);
}
// Built-ins through getBuiltinModule, not `import`: an ESM import of a built-in reads all its
// exports, lazy ones included (electron.vite.config.ts, builtinsWithoutFacades).
const { existsSync } = process.getBuiltinModule('node:fs');
const module = process.getBuiltinModule('node:module');
const { homedir } = process.getBuiltinModule('node:os');
const { join } = process.getBuiltinModule('node:path');
const { fileURLToPath, pathToFileURL } = process.getBuiltinModule('node:url');
const built = fileURLToPath(new URL('../out/main/cli.js', import.meta.url));
if (!existsSync(built)) {
  process.stderr.write('burnrate is not built yet: run `npm run build` first.\n');
  process.exit(2);
}
// `watch` runs for days: on Linux, glibc's malloc is told to give memory back. One malloc arena
// instead of glibc's default of up to eight per core (memory freed by V8's and libuv's worker
// threads otherwise stays held in their own arenas: about 30 MB after the first refresh round),
// and fixed thresholds instead of glibc's adaptive ones: blocks of 64 KiB and more are mapped and
// unmapped on their own, and free memory over 128 KiB at the top of the heap is returned (the
// adaptive thresholds rise after the first round's large buffers are freed, and then ~14 MB of
// freed memory stayed resident). README, Performance.
// glibc reads these only at process start, so the process replaces itself once (same PID, same
// arguments) with them set. Values the user set are kept; BURNRATE_NO_REEXEC=1 skips this.
// Not for `serve`, whose target is its start-up time (a second Node start costs ~50 ms).
const MALLOC_ENV = { MALLOC_ARENA_MAX: '1', MALLOC_MMAP_THRESHOLD_: '65536', MALLOC_TRIM_THRESHOLD_: '131072' };
const mallocUnset = Object.keys(MALLOC_ENV).filter((name) => process.env[name] === undefined);
if (process.argv[2] === 'watch' && process.platform === 'linux' && mallocUnset.length > 0 && process.env.BURNRATE_NO_REEXEC !== '1' && typeof process.execve === 'function') {
  try {
    const env = { ...process.env };
    for (const name of mallocUnset) env[name] = MALLOC_ENV[name];
    // --liftoff-only (WebAssembly on V8's baseline compiler) takes effect only from the command
    // line (v8.setFlagsFromString at run time does nothing for it): undici's WebAssembly HTTP parser
    // was recompiled by the optimizing tier mid-round, in 15-20 MB of malloc (main/services/heapMode.ts).
    const v8Flags = process.execArgv.includes('--liftoff-only') ? [] : ['--liftoff-only'];
    process.execve(process.execPath, [process.execPath, ...v8Flags, ...process.execArgv, ...process.argv.slice(1)], env);
  } catch {
    // Not replaced (e.g. the binary cannot be executed again): run on with glibc's defaults.
  }
}
// V8's compile cache (README, "Headless command line"): later starts reuse the compiled code of the bundle instead
// of compiling it again (about a tenth of a warm `status`). Node checks each entry against the
// source, so an upgrade is never served stale code; NODE_DISABLE_COMPILE_CACHE=1 turns it off.
module.enableCompileCache?.(compileCacheDir(process.env));
const { main } = await import(pathToFileURL(built).href);
process.exitCode = await main(process.argv.slice(2));

/** `<OS cache folder>/burnrate/compile-cache`: ~/.cache on Linux ($XDG_CACHE_HOME), ~/Library/Caches on macOS, %LOCALAPPDATA% on Windows. */
function compileCacheDir(env) {
  const home = env.HOME ?? env.USERPROFILE ?? homedir();
  if (process.platform === 'win32') return join(env.LOCALAPPDATA ?? join(home, 'AppData', 'Local'), 'burnrate', 'cache', 'compile-cache');
  if (process.platform === 'darwin') return join(home, 'Library', 'Caches', 'burnrate', 'compile-cache');
  return join(env.XDG_CACHE_HOME || join(home, '.cache'), 'burnrate', 'compile-cache');
}
