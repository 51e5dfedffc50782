// Preloaded (`NODE_OPTIONS=--import …`) into a `burnrate` process by test/cli/instantStart.test.ts:
// at exit it writes to $BURNRATE_TEST_LOADED_MODULES every module the process loaded, one a line:
// the URLs of ES modules and packages (resolved through a module hook) and Node's own modules
// (`process.moduleLoadList`, e.g. `NativeModule http`, which also counts process.getBuiltinModule).
import { writeFileSync } from 'node:fs';
import { registerHooks } from 'node:module';

const file = process.env.BURNRATE_TEST_LOADED_MODULES;
const urls = new Set();
registerHooks({
  resolve(specifier, context, nextResolve) {
    const resolved = nextResolve(specifier, context);
    urls.add(resolved.url);
    return resolved;
  },
});
process.on('exit', () => {
  if (file) writeFileSync(file, [...urls, ...process.moduleLoadList].join('\n'));
});
