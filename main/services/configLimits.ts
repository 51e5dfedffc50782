/**
 * What a configuration problem is (a JSON path and a message, thrown together as ConfigError),
 * and the limits every configuration file is held to (main/services/config.ts).
 */

/** A configuration problem: the file, the JSON path and what is wrong. */
export interface ConfigProblem {
  readonly path: string;
  readonly message: string;
}

/** Thrown for a configuration that cannot be used. `problems` lists every issue found. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  constructor(
    readonly file: string,
    readonly problems: readonly ConfigProblem[],
  ) {
    super(problems.map((p) => `${file}: ${p.path}: ${p.message}`).join('\n'));
  }
}

/**
 * Limits on a configuration file, so a hostile or broken one is refused at once (exit 2 naming
 * the limit) instead of running for minutes and dying: a 9 MB file with 250,000 workspaces once
 * took 78 s and 8.3 GB before a stack overflow.
 */
export const CONFIG_LIMITS = {
  /** Largest file accepted, bytes (1 MiB; a large real config is a few KiB). */
  maxFileBytes: 1024 * 1024,
  /** Most workspaces in one file. */
  maxWorkspaces: 100,
  /** Most connections in one workspace. */
  maxConnectionsPerWorkspace: 50,
  /** Most connections in the whole file. */
  maxConnections: 500,
  /** Deepest nesting of objects and arrays (the root object is depth 1). */
  maxDepth: 16,
} as const;
