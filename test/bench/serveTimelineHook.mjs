// Preloaded (NODE_OPTIONS=--import) into the `serve` process by ./serveTimeline.ts: writes one JSON
// line per event to stderr, `{ "mark": …, "t": epoch ms }` (performance.timeOrigin + now, the same
// clock as the bench and Chromium): Node's own start marks, the URL line, and for each HTTP request
// its socket, its 'request' event (when the event loop got to it) and its answer's finish.
// Benchmark-only: Burnrate itself never loads it.
const epoch = () => performance.timeOrigin + performance.now();
const emit = (mark, extra = {}) => process.stderr.write(`${JSON.stringify({ mark, t: epoch(), ...extra })}\n`);
const timing = performance.nodeTiming;
for (const name of ['nodeStart', 'v8Start', 'environment', 'bootstrapComplete']) {
  if (timing[name] > 0) process.stderr.write(`${JSON.stringify({ mark: `node.${name}`, t: performance.timeOrigin + timing[name] })}\n`);
}
emit('hook.loaded');
const http = process.getBuiltinModule('node:http');
const emitOriginal = http.Server.prototype.emit;
http.Server.prototype.emit = function (event, ...args) {
  if (event === 'listening') emit('http.listening');
  if (event === 'connection') emit('http.connection');
  if (event === 'request') {
    const [req, res] = args;
    const path = (req.url ?? '').replace(/\?.*$/, '');
    emit('http.request', { path });
    res.once('finish', () => emit('http.finish', { path, bytes: Number(res.getHeader('content-length') ?? 0) }));
  }
  return emitOriginal.call(this, event, ...args);
};
const write = process.stdout.write.bind(process.stdout);
process.stdout.write = (chunk, ...rest) => {
  if (String(chunk).includes('Burnrate dashboard:')) emit('url.printed');
  return write(chunk, ...rest);
};
setImmediate(() => emit('loop.first-immediate'));
// The spend database's first open (the start of the engine's database read).
const sqlite = process.getBuiltinModule('node:sqlite');
const RealDatabaseSync = sqlite.DatabaseSync;
let opened = false;
sqlite.DatabaseSync = class extends RealDatabaseSync {
  constructor(...args) {
    if (!opened) emit('sqlite.open');
    opened = true;
    super(...args);
  }
};
