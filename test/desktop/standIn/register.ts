/**
 * Loaded with `node --import` before the built main bundle: resolves `electron` and
 * `node-notifier` to the stand-ins of this folder (Node's synchronous module hooks), and makes
 * `process.platform` and `process.resourcesPath` what the harness configuration says.
 */
import { registerHooks } from 'node:module';
import type { HarnessConfig } from './protocol.ts';

const standIns: Record<string, string> = {
  electron: new URL('./electron.ts', import.meta.url).href,
  'node-notifier': new URL('./nodeNotifier.ts', import.meta.url).href,
};

registerHooks({
  resolve(specifier, context, nextResolve) {
    const target = standIns[specifier];
    if (target) return { url: target, format: 'module-typescript', shortCircuit: true };
    return nextResolve(specifier, context);
  },
});

const config = JSON.parse(process.env.BURNRATE_HARNESS_CONFIG ?? 'null') as HarnessConfig | null;
if (config) {
  Object.defineProperty(process, 'platform', { value: config.platform, enumerable: true });
  Object.defineProperty(process, 'resourcesPath', { value: config.resourcesPath, enumerable: true, writable: true });
}
