import { describe, expect, it } from 'vitest';
import { checkInfra } from '../src/check-infra.ts';
import { formatFindings } from '../src/findings.ts';
import { infraDir, repoRoot } from './fixture.ts';

describe('the offline checks on the real infra', () => {
  it('find nothing wrong with infra/, azure.yaml and the local stack config as committed', () => {
    const findings = checkInfra({ infraDir, repoRoot });
    expect(formatFindings(findings)).toBe('');
  });
});
