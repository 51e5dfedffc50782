/**
 * The headless composition root: `burnrate status | watch | serve | demo`.
 * Exit codes: 0 all good; 1 `--check` failed; 2 bad usage or bad config; 3 connections failed.
 *
 * Each command lives in its own module (status.ts, watch.ts, serve.ts for serve and demo,
 * export.ts, init.ts, doctor.ts); options are parsed by args.ts, process I/O is io.ts.
 */
import { ConfigError } from '../services/config';
import { installSystemZones } from '../services/systemZones';
import { COMMANDS, commandHelp, commandNamed, globalHelp, parseOptions, UsageError, VERSION, type ParsedOptions } from './args';
import { doctorCommand } from './doctor';
import { exportCommand } from './export';
import { initCommand } from './init';
import { EXIT, processIo, reportConfigError, type CliIo } from './io';
import { demoCommand, serveCommand } from './serve';
import { statusCommand } from './status';
import { watchCommand } from './watch';

export { VERSION } from './args';

const RUNNERS: Readonly<Record<string, (io: CliIo, values: ParsedOptions) => Promise<number> | number>> = {
  status: statusCommand,
  watch: watchCommand,
  serve: serveCommand,
  demo: demoCommand,
  export: exportCommand,
  init: initCommand,
  doctor: doctorCommand,
};

/** Runs the CLI; resolves to the exit code. */
export async function main(argv: readonly string[], io: CliIo = processIo): Promise<number> {
  const [command, ...rest] = argv;
  installSystemZones();
  try {
    if (command === undefined) {
      io.stderr(globalHelp());
      return EXIT.usage;
    }
    if (command === '--version' || command === '-v' || command === 'version') {
      io.stdout(`burnrate ${VERSION}\n`);
      return EXIT.ok;
    }
    if (command === '--help' || command === '-h' || command === 'help') {
      io.stdout(rest[0] === undefined ? globalHelp() : commandHelp(commandNamed(rest[0])));
      return EXIT.ok;
    }
    if (command.startsWith('-')) {
      throw new UsageError(`unknown option "${command}"; options go after the command (burnrate <command> [options])`);
    }
    const spec = commandNamed(command);
    const values = parseOptions(spec, rest);
    if (values.help) {
      io.stdout(commandHelp(spec));
      return EXIT.ok;
    }
    return await RUNNERS[spec.name]!(io, values);
  } catch (error) {
    if (error instanceof ConfigError) {
      reportConfigError(io, error);
      return EXIT.usage;
    }
    if (error instanceof UsageError) {
      io.stderr(`burnrate: ${error.message}\nRun "burnrate ${error.command ? `${error.command} ` : ''}--help" for usage.\n`);
      return EXIT.usage;
    }
    // A bug, not a provider or config problem: say so plainly (exit 70, EX_SOFTWARE).
    io.stderr(`burnrate: unexpected error: ${error instanceof Error ? error.message : String(error)}\n`);
    return 70;
  }
}

/** Every command name (for tests and completions). */
export const COMMAND_NAMES: readonly string[] = COMMANDS.map((c) => c.name);
