/**
 * The headless composition root: `burnrate status | watch | serve | demo`.
 */
export async function main(argv: readonly string[]): Promise<number> {
  process.stderr.write(`burnrate: not implemented yet (${argv.join(' ')})\n`);
  return 2;
}
