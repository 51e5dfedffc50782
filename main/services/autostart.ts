/**
 * Launch at login on Linux: a freedesktop autostart entry, `$XDG_CONFIG_HOME/autostart/burnrate.desktop`
 * (https://specifications.freedesktop.org/autostart-spec/latest/). macOS and Windows use Electron's
 * `app.setLoginItemSettings` instead. Plain Node, so the file's content and place are tested.
 */
import { existsSync, rmSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { writePrivateFile } from './privateFile';

/** Where the autostart entry lives. */
export function autostartFile(env: Readonly<Record<string, string | undefined>> = process.env): string {
  const home = env.HOME ?? homedir();
  return join(env.XDG_CONFIG_HOME || join(home, '.config'), 'autostart', 'burnrate.desktop');
}

/**
 * Quotes one argument of an `Exec` key (Desktop Entry spec, "The Exec key"): arguments with
 * reserved characters go in double quotes with `"`, `` ` ``, `$` and `\` escaped; `%` is doubled.
 * @example quoteExecArgument('/opt/Burnrate App/burnrate') //=> '"/opt/Burnrate App/burnrate"'
 */
export function quoteExecArgument(argument: string): string {
  const percent = argument.replace(/%/g, '%%');
  if (!/[\s"'\\><~|&;$*?#()`]/.test(percent)) return percent;
  return `"${percent.replace(/(["`$\\])/g, '\\$1')}"`;
}

/** The autostart entry that starts Burnrate with these command-line words. */
export function autostartEntry(command: readonly string[]): string {
  return [
    '[Desktop Entry]',
    'Type=Application',
    'Name=Burnrate',
    'Comment=What your GPU and AI-inference providers cost right now',
    `Exec=${command.map(quoteExecArgument).join(' ')}`,
    'Terminal=false',
    'X-GNOME-Autostart-enabled=true',
    '',
  ].join('\n');
}

/** Writes (enabled) or removes (disabled) the autostart entry. Throws the fs error. */
export function setAutostart(enabled: boolean, command: readonly string[], env: Readonly<Record<string, string | undefined>> = process.env): void {
  const file = autostartFile(env);
  if (enabled) writePrivateFile(file, autostartEntry(command));
  else if (existsSync(file)) rmSync(file);
}
