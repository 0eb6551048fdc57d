import { describe, expect, it } from 'vitest';
import { formatTotals, summarizeVitestOutput } from './test-summary.ts';

const green = '\u001b[32m';
const reset = '\u001b[39m';

describe('summarizeVitestOutput', () => {
  it('adds up the passed tests of every project summary', () => {
    const output = [
      ` Test Files  1 passed (1)`,
      `      Tests  ${green}12 passed${reset} (12)`,
      `      Tests  3 passed (3)`,
    ].join('\n');
    expect(summarizeVitestOutput(output)).toEqual({
      passed: 15,
      failed: 0,
      skipped: 0,
      projects: 2,
    });
  });

  it('counts failed and skipped tests separately', () => {
    const output = '      Tests  2 failed | 9 passed | 1 skipped (12)';
    expect(summarizeVitestOutput(output)).toEqual({
      passed: 9,
      failed: 2,
      skipped: 1,
      projects: 1,
    });
  });

  it('ignores the Test Files line so files are not counted as tests', () => {
    expect(summarizeVitestOutput(' Test Files  4 passed (4)').projects).toBe(0);
  });

  it('reports nothing when no project ran a test', () => {
    expect(summarizeVitestOutput('NX   Successfully ran targets')).toEqual({
      passed: 0,
      failed: 0,
      skipped: 0,
      projects: 0,
    });
  });
});

describe('formatTotals', () => {
  it('prints the plain closing line CI reads', () => {
    expect(formatTotals({ passed: 40, failed: 0, skipped: 0, projects: 5 })).toBe(
      '40 passed, 0 failed',
    );
  });

  it('mentions skipped tests only when there are some', () => {
    expect(formatTotals({ passed: 4, failed: 1, skipped: 2, projects: 1 })).toBe(
      '4 passed, 1 failed, 2 skipped',
    );
  });
});
