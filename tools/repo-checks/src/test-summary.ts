/**
 * Adds up the `Tests  …` summary lines that each project's Vitest run prints (Nx replays them
 * from its cache too), so that CI ends on one line: `N passed, N failed`.
 */
export interface TestTotals {
  passed: number;
  failed: number;
  skipped: number;
  projects: number;
}

// Vitest colours its output; the summary is read without the escape codes.
const ansi = new RegExp(String.raw`\u001b\[[0-9;]*m`, 'g');

export function summarizeVitestOutput(output: string): TestTotals {
  const totals: TestTotals = { passed: 0, failed: 0, skipped: 0, projects: 0 };
  for (const line of output.replace(ansi, '').split('\n')) {
    const summary = /^\s*Tests\s+(.+)\(\d+\)\s*$/.exec(line);
    if (!summary?.[1]) continue;
    totals.projects += 1;
    for (const part of summary[1].split('|')) {
      const count = /(\d+)\s+(passed|failed|skipped|todo)/.exec(part.trim());
      if (!count?.[1]) continue;
      const n = Number(count[1]);
      if (count[2] === 'passed') totals.passed += n;
      else if (count[2] === 'failed') totals.failed += n;
      else totals.skipped += n;
    }
  }
  return totals;
}

export function formatTotals(totals: TestTotals): string {
  const skipped = totals.skipped > 0 ? `, ${totals.skipped} skipped` : '';
  return `${totals.passed} passed, ${totals.failed} failed${skipped}`;
}
