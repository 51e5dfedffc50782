/**
 * Colour for people, never for programs: through Node's `util.styleText`, on when stdout is a
 * terminal, off with `NO_COLOR` (any non-empty value, https://no-color.org), forced on with
 * `FORCE_COLOR` (any value but `0`/`false`). NO_COLOR wins when both are set.
 */
import { styleText } from 'node:util';
import type { CliIo } from './io';

/** The styles the CLI uses. */
export type Style = 'bold' | 'dim' | 'red' | 'green' | 'yellow' | 'cyan';

/** Paints text in a style, or returns it unchanged when colour is off. */
export type Paint = (style: Style | readonly Style[], text: string) => string;

/** Whether to colour output for this environment and stream. */
export function colorEnabled(env: Readonly<Record<string, string | undefined>>, isTTY: boolean): boolean {
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  if (env.FORCE_COLOR !== undefined) return env.FORCE_COLOR !== '0' && env.FORCE_COLOR.toLowerCase() !== 'false';
  return isTTY && env.TERM !== 'dumb';
}

/** A painter: styleText when `enabled`, identity otherwise. */
export function painter(enabled: boolean): Paint {
  return (style, text) => (enabled && text !== '' ? styleText(style as Parameters<typeof styleText>[0], text, { validateStream: false }) : text);
}

/** No colour (JSON, tests). */
export const plain: Paint = (_style, text) => text;

/** Visible width of text that may carry colour codes. */
export function visibleLength(text: string): number {
  // eslint-disable-next-line no-control-regex
  return [...text.replace(/\u001b\[[0-9;]*m/g, '')].length;
}

/** Colour for stdout, by environment and terminal. */
export function paintFor(io: CliIo): Paint {
  return painter(colorEnabled(io.env, io.stdoutIsTTY ?? false));
}
