// The two parts of undici the HTTP client loads (./undiciParts.ts), by their file paths. undici's
// typings describe only its index; these say the files export the same Agent and request.
declare module 'undici/lib/dispatcher/agent.js' {
  import { Agent } from 'undici';
  export default Agent;
}

declare module 'undici/lib/api/api-request.js' {
  import type { Dispatcher } from 'undici';
  /** Dispatcher.prototype.request as undici's index installs it (`this` is the dispatcher). */
  const request: (this: Dispatcher, options: Dispatcher.RequestOptions) => Promise<Dispatcher.ResponseData>;
  export default request;
}
