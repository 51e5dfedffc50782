/**
 * No non-test source file in main/ or preload/ over 400 lines: a bigger one is doing more than one job
 * (docs/architecture.md). Split it along its seams; there is no list of exceptions.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(__dirname, '../..');
const MAX_LINES = 400;

function sourceFiles(folder: string): string[] {
  return readdirSync(folder, { withFileTypes: true }).flatMap((entry) => {
    const path = join(folder, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return /\.tsx?$/.test(entry.name) && !/\.test\.tsx?$/.test(entry.name) ? [path] : [];
  });
}

/** Lines as `wc -l` and editors count them (a final newline ends the last line, it does not start one). */
function lineCount(text: string): number {
  return text.split('\n').length - (text.endsWith('\n') ? 1 : 0);
}

describe('file size', () => {
  it(`keeps every non-test source file in main/ and preload/ at ${MAX_LINES} lines or fewer`, () => {
    const over = ['main', 'preload']
      .flatMap((folder) => sourceFiles(join(ROOT, folder)))
      .map((file) => ({ file: relative(ROOT, file).split('\\').join('/'), lines: lineCount(readFileSync(file, 'utf8')) }))
      .filter(({ lines }) => lines > MAX_LINES)
      .map(({ file, lines }) => `${file}: ${lines} lines`);
    expect(over).toEqual([]);
  });
});
