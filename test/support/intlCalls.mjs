// Preloaded (`NODE_OPTIONS=--import …`) into a `burnrate` process by test/cli/instantStart.test.ts:
// records every call that starts ICU (Intl's constructors and lists, locale-sensitive string,
// number and date methods, and Date's local-time methods, which V8 answers through ICU's time
// zones), and at exit writes them to $BURNRATE_TEST_INTL_CALLS, one a line with its caller.
import { writeFileSync } from 'node:fs';

const file = process.env.BURNRATE_TEST_INTL_CALLS;
const calls = new Set();
const record = (what) => {
  const caller = (new Error().stack ?? '').split('\n')[3]?.trim() ?? '';
  calls.add(`${what} ${caller}`);
};
for (const name of ['DateTimeFormat', 'NumberFormat', 'Collator', 'PluralRules', 'RelativeTimeFormat', 'ListFormat', 'Segmenter', 'DisplayNames', 'Locale']) {
  const Original = Intl[name];
  if (typeof Original !== 'function') continue;
  const Wrapped = function (...args) {
    record(`Intl.${name}`);
    return new Original(...args);
  };
  Wrapped.prototype = Original.prototype;
  Object.setPrototypeOf(Wrapped, Original);
  Intl[name] = Wrapped;
}
const wrap = (target, method, label) => {
  const original = target[method];
  target[method] = function (...args) {
    record(label);
    return original.apply(this, args);
  };
};
wrap(Intl, 'supportedValuesOf', 'Intl.supportedValuesOf');
for (const method of ['localeCompare', 'toLocaleLowerCase', 'toLocaleUpperCase']) wrap(String.prototype, method, `String#${method}`);
wrap(Number.prototype, 'toLocaleString', 'Number#toLocaleString');
wrap(BigInt.prototype, 'toLocaleString', 'BigInt#toLocaleString');
wrap(Array.prototype, 'toLocaleString', 'Array#toLocaleString');
for (const method of ['getFullYear', 'getMonth', 'getDate', 'getDay', 'getHours', 'getMinutes', 'getSeconds', 'getMilliseconds', 'getTimezoneOffset', 'setFullYear', 'setMonth', 'setDate', 'setHours', 'setMinutes', 'setSeconds', 'setMilliseconds', 'toString', 'toDateString', 'toTimeString', 'toLocaleString', 'toLocaleDateString', 'toLocaleTimeString']) {
  wrap(Date.prototype, method, `Date#${method}`);
}
process.on('exit', () => {
  if (file) writeFileSync(file, [...calls].join('\n'));
});
