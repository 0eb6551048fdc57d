/**
 * Reads a captured `npm test` log on stdin and prints the closing line `N passed, N failed`.
 * Exits non-zero when a test failed or when no test ran at all.
 */
import { text } from 'node:stream/consumers';
import { formatTotals, summarizeVitestOutput } from '../test-summary.ts';

const totals = summarizeVitestOutput(await text(process.stdin));
console.log(`tests: ${formatTotals(totals)}`);
if (totals.projects === 0) {
  console.error('No Vitest summary found in the log: did `npm test` run any project?');
  process.exit(1);
}
process.exit(totals.failed > 0 ? 1 : 0);
